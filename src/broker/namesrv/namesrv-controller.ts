/**
 * The embedded namesrv: a RemotingServer whose handlers read and write the RouteInfoManager,
 * plus the 5 s scan that expires silent brokers (RocketMQ NamesrvController).
 */
import {decodeRegisterBrokerBody} from '../../protocol/bodies/register-broker-body.js'
import {encodeClusterInfo} from '../../protocol/bodies/cluster-info.js'
import {encodeTopicList} from '../../protocol/bodies/name-lists.js'
import {encodeTopicRouteData} from '../../protocol/bodies/topic-route-data.js'
import {bodyCrc} from '../../protocol/crc32.js'
import {
  decodeGetRouteInfoRequestHeader, decodeRegisterBrokerRequestHeader, decodeUnregisterBrokerRequestHeader,
  encodeRegisterBrokerResponseHeader,
} from '../../protocol/headers/namesrv.js'
import {newResponse, type RemotingCommand} from '../../protocol/remoting-command.js'
import {RequestCode} from '../../protocol/request-code.js'
import {ResponseCode} from '../../protocol/response-code.js'
import {RemotingServer, type ConnectionContext} from '../../remoting/remoting-server.js'
import {BROKER_CHANNEL_EXPIRED_MS, type RegisteredTopicConfig, RouteInfoManager} from './route-info-manager.js'

export interface NamesrvOptions {
  host?: string
  /** 0 = any free port. */
  listenPort: number
  brokerExpiryMs?: number
  scanIntervalMs?: number
  log?: (line: string) => void
}

/** An empty body (a broker without topics) registers the address only. */
function decodeRegisterBody(body: Buffer | undefined): {
  dataVersion: {counter: number; timestamp: number}
  topicConfigTable: Record<string, RegisteredTopicConfig>
} {
  if (body === undefined || body.length === 0) return {dataVersion: {counter: 0, timestamp: 0}, topicConfigTable: {}}
  const {topicConfigTable, dataVersion} = decodeRegisterBrokerBody(body).topicConfigSerializeWrapper
  return {dataVersion, topicConfigTable}
}

export class NamesrvController {
  readonly routes = new RouteInfoManager()
  private readonly server: RemotingServer
  private scanTimer: NodeJS.Timeout | undefined
  private readonly watchedChannels = new Set<number>()
  private port = 0

  constructor(private readonly opts: NamesrvOptions) {
    this.server = new RemotingServer({host: opts.host ?? '127.0.0.1', port: opts.listenPort, log: opts.log})
    this.server.registerHandler(RequestCode.REGISTER_BROKER, (req, conn) => this.registerBroker(req, conn))
    this.server.registerHandler(RequestCode.UNREGISTER_BROKER, (req) => {
      this.routes.unregisterBroker(decodeUnregisterBrokerRequestHeader(req.extFields))
      return newResponse(req, ResponseCode.SUCCESS)
    })
    this.server.registerHandler(RequestCode.GET_ROUTEINFO_BY_TOPIC, (req) => this.getRouteInfo(req))
    this.server.registerHandler(RequestCode.GET_BROKER_CLUSTER_INFO, (req) =>
      newResponse(req, ResponseCode.SUCCESS, {body: encodeClusterInfo(this.routes.getClusterInfo())}),
    )
    // mqadmin topicList, and consumerProgress without -g (it finds groups by their %RETRY% topics).
    this.server.registerHandler(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, (req) =>
      newResponse(req, ResponseCode.SUCCESS, {body: encodeTopicList({topicList: this.routes.allTopics()})}),
    )
  }

  /** @returns the bound port. */
  async start(): Promise<number> {
    this.port = await this.server.start()
    const expiry = this.opts.brokerExpiryMs ?? BROKER_CHANNEL_EXPIRED_MS
    this.scanTimer = setInterval(() => {
      for (const addr of this.routes.scanNotActiveBroker(Date.now(), expiry)) this.opts.log?.(`namesrv: broker ${addr} expired`)
    }, this.opts.scanIntervalMs ?? 5000)
    this.scanTimer.unref()
    return this.port
  }

  async stop(): Promise<void> {
    if (this.scanTimer) clearInterval(this.scanTimer)
    await this.server.stop()
  }

  private registerBroker(req: RemotingCommand, conn: ConnectionContext): RemotingCommand {
    const h = decodeRegisterBrokerRequestHeader(req.extFields)
    if (h.compressed === true) {
      return newResponse(req, ResponseCode.SYSTEM_ERROR, {remark: 'compressed RegisterBrokerBody is not supported'})
    }
    if (h.bodyCrc32 !== undefined && h.bodyCrc32 !== 0 && req.body && bodyCrc(req.body) !== h.bodyCrc32) {
      return newResponse(req, ResponseCode.SYSTEM_ERROR, {remark: 'crc32 not match'})
    }
    const body = decodeRegisterBody(req.body)
    const result = this.routes.registerBroker({...h, ...body, channelId: conn.id})
    if (!this.watchedChannels.has(conn.id)) {
      this.watchedChannels.add(conn.id)
      conn.onClose(() => {
        this.watchedChannels.delete(conn.id)
        this.routes.onChannelClose(conn.id)
      })
    }
    return newResponse(req, ResponseCode.SUCCESS, {extFields: encodeRegisterBrokerResponseHeader(result)})
  }

  private getRouteInfo(req: RemotingCommand): RemotingCommand {
    const {topic} = decodeGetRouteInfoRequestHeader(req.extFields)
    const route = this.routes.pickupTopicRouteData(topic)
    if (route === undefined) {
      return newResponse(req, ResponseCode.TOPIC_NOT_EXIST, {
        remark: `No topic route info in name server for the topic: ${topic}`,
      })
    }
    return newResponse(req, ResponseCode.SUCCESS, {body: encodeTopicRouteData(route)})
  }
}
