/**
 * A namesrv and brokers faked with RemotingServer, so client semantics are tested over real
 * loopback TCP. Each broker records every request and answers through a per-code function.
 */
import net from 'node:net'
import {FrameDecoder} from '../../../src/protocol/frame.js'
import {encodeClusterInfo} from '../../../src/protocol/bodies/cluster-info.js'
import {encodeTopicRouteData, type TopicRouteData} from '../../../src/protocol/bodies/topic-route-data.js'
import {newResponse, type RemotingCommand} from '../../../src/protocol/remoting-command.js'
import {RequestCode} from '../../../src/protocol/request-code.js'
import {ResponseCode} from '../../../src/protocol/response-code.js'
import {RemotingServer, type RequestHandler} from '../../../src/remoting/remoting-server.js'

export class FakeBroker {
  readonly requests: RemotingCommand[] = []
  readonly handlers = new Map<number, RequestHandler>()
  addr = ''
  private readonly server = new RemotingServer({port: 0})

  constructor(readonly brokerName: string) {}

  async start(): Promise<this> {
    const codes = [
      RequestCode.SEND_MESSAGE_V2, RequestCode.PULL_MESSAGE, RequestCode.QUERY_CONSUMER_OFFSET,
      RequestCode.UPDATE_CONSUMER_OFFSET, RequestCode.HEART_BEAT, RequestCode.UPDATE_AND_CREATE_TOPIC,
      RequestCode.GET_MAX_OFFSET, RequestCode.GET_MIN_OFFSET,
    ]
    for (const code of codes) {
      this.server.registerHandler(code, (req, conn) => {
        this.requests.push(req)
        const h = this.handlers.get(code)
        return h === undefined ? newResponse(req, ResponseCode.SUCCESS) : h(req, conn)
      })
    }
    this.addr = `127.0.0.1:${await this.server.start()}`
    return this
  }

  on(code: number, h: RequestHandler): void {
    this.handlers.set(code, h)
  }

  stop(): Promise<void> {
    return this.server.stop()
  }
}

/** Answers SEND with a status code and a well-formed response header. */
export function sendAnswer(code: number, queueOffset = 7): RequestHandler {
  return (req) =>
    newResponse(req, code, {
      extFields: {msgId: '7F00000100002A9F00000000000000AA', queueId: req.extFields!.e!, queueOffset: String(queueOffset), MSG_REGION: 'DefaultRegion', TRACE_ON: 'true'},
      ...(code === 0 || (code >= 10 && code <= 12) ? {} : {remark: `code ${code} on purpose`}),
    })
}

export class FakeNamesrv {
  /** topic → route, or a raw JSON text to return byte for byte. */
  readonly routes = new Map<string, TopicRouteData | string>()
  clusterInfoText: string | undefined
  readonly requests: RemotingCommand[] = []
  addr = ''
  private readonly server = new RemotingServer({port: 0})

  async start(): Promise<this> {
    this.server.registerHandler(RequestCode.GET_ROUTEINFO_BY_TOPIC, (req) => {
      this.requests.push(req)
      const route = this.routes.get(req.extFields!.topic!)
      if (route === undefined) {
        return newResponse(req, ResponseCode.TOPIC_NOT_EXIST, {remark: `No topic route info in name server for the topic: ${req.extFields!.topic}`})
      }
      const body = typeof route === 'string' ? Buffer.from(route) : encodeTopicRouteData(route)
      return newResponse(req, ResponseCode.SUCCESS, {body})
    })
    this.server.registerHandler(RequestCode.GET_BROKER_CLUSTER_INFO, (req) =>
      newResponse(req, ResponseCode.SUCCESS, {body: Buffer.from(this.clusterInfoText ?? encodeClusterInfo({brokerAddrTable: {}, clusterAddrTable: {}}).toString())}),
    )
    this.addr = `127.0.0.1:${await this.server.start()}`
    return this
  }

  stop(): Promise<void> {
    return this.server.stop()
  }
}

/** A route over the given brokers: queueNums queues each, perm RW, master (and optional slave) addresses. */
export function routeOf(brokers: Array<{name: string; master?: string; slave?: string; perm?: number}>, queueNums = 2): TopicRouteData {
  return {
    queueDatas: brokers.map((b) => ({brokerName: b.name, readQueueNums: queueNums, writeQueueNums: queueNums, perm: b.perm ?? 6, topicSysFlag: 0})),
    brokerDatas: brokers.map((b) => {
      const brokerAddrs: Record<string, string> = {}
      if (b.master !== undefined) brokerAddrs['0'] = b.master
      if (b.slave !== undefined) brokerAddrs['1'] = b.slave
      return {cluster: 'DefaultCluster', brokerName: b.name, brokerAddrs}
    }),
    filterServerTable: {},
  }
}

/** A TCP relay in front of a fake server that records the header type of every frame sent through it. */
export class TypeRecordingRelay {
  readonly requestTypes: Array<0 | 1> = []
  readonly responseTypes: Array<0 | 1> = []
  addr = ''
  private readonly server = net.createServer((client) => this.relay(client))
  private readonly sockets = new Set<net.Socket>()

  constructor(private readonly target: string) {}

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.addr = `127.0.0.1:${(this.server.address() as net.AddressInfo).port}`
    return this
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private relay(client: net.Socket): void {
    const [host, port] = this.target.split(':')
    const upstream = net.connect({host, port: Number(port)})
    for (const [from, to, types] of [[client, upstream, this.requestTypes], [upstream, client, this.responseTypes]] as const) {
      this.sockets.add(from)
      const decoder = new FrameDecoder()
      from.on('data', (chunk: Buffer) => {
        decoder.pushEach(chunk, (_cmd, type) => types.push(type))
        to.write(chunk)
      })
      from.on('error', () => {})
      from.on('close', () => to.destroy())
    }
  }
}
