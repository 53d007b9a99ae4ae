/**
 * An in-process namesrv + broker replicas on RemotingServer, just enough of GET_ROUTEINFO_BY_TOPIC
 * and PULL_MESSAGE for the drain to be exercised through the real PullConsumer over TCP.
 */
import {encodeTopicRouteData, type TopicRouteData} from '../../../src/protocol/bodies/topic-route-data.js'
import {crc32} from '../../../src/protocol/crc32.js'
import {decodeGetRouteInfoRequestHeader} from '../../../src/protocol/headers/namesrv.js'
import {decodePullMessageRequestHeader, encodePullMessageResponseHeader} from '../../../src/protocol/headers/pull-message.js'
import {encodeMessageRecord} from '../../../src/protocol/message/message-ext.js'
import {newResponse} from '../../../src/protocol/remoting-command.js'
import {RequestCode} from '../../../src/protocol/request-code.js'
import {ResponseCode} from '../../../src/protocol/response-code.js'
import {RemotingServer} from '../../../src/remoting/remoting-server.js'

export interface StoredMessage { pid: number; seq: number; body?: Buffer; badCrc?: boolean; foreign?: boolean }

/** One replica: topic → queueId → messages at offsets minOffset.. */
export class FakeReplica {
  readonly server = new RemotingServer({port: 0})
  readonly queues = new Map<string, Map<number, Buffer[]>>()
  readonly minOffset = new Map<string, number>()
  addr = ''
  pulls = 0

  constructor() {
    this.server.registerHandler(RequestCode.PULL_MESSAGE, (req) => {
      this.pulls++
      const h = decodePullMessageRequestHeader(req.extFields)
      const records = this.queues.get(h.topic)?.get(h.queueId) ?? []
      const min = this.minOffset.get(`${h.topic}/${h.queueId}`) ?? 0
      const max = records.length
      const header = (next: number) => encodePullMessageResponseHeader({suggestWhichBrokerId: 0, nextBeginOffset: next, minOffset: min, maxOffset: max})
      if (h.queueOffset < min) return newResponse(req, ResponseCode.PULL_OFFSET_MOVED, {extFields: header(min)})
      if (h.queueOffset >= max) return newResponse(req, ResponseCode.PULL_NOT_FOUND, {extFields: header(max)})
      const end = Math.min(max, h.queueOffset + h.maxMsgNums)
      return newResponse(req, ResponseCode.SUCCESS, {extFields: header(end), body: Buffer.concat(records.slice(h.queueOffset, end))})
    })
  }

  async start(): Promise<this> {
    this.addr = `127.0.0.1:${await this.server.start()}`
    return this
  }

  store(topic: string, queueId: number, m: StoredMessage): void {
    let byQueue = this.queues.get(topic)
    if (byQueue === undefined) this.queues.set(topic, (byQueue = new Map()))
    let records = byQueue.get(queueId)
    if (records === undefined) byQueue.set(queueId, (records = []))
    const body = m.body ?? Buffer.from(`body ${m.pid}:${m.seq}`)
    const crc = m.badCrc ? (crc32(body) ^ 1) >>> 0 : crc32(body)
    const properties: Record<string, string> = m.foreign ? {KEYS: 'x'} : {MQB_RUN: 'r1', MQB_PID: String(m.pid), MQB_SEQ: String(m.seq), MQB_CRC: String(crc)}
    records.push(encodeMessageRecord({
      topic, queueId, flag: 0, queueOffset: records.length, commitLogOffset: 0, sysFlag: 0, bornTimestamp: 1000 + m.seq,
      bornHost: '127.0.0.1:5000', storeTimestamp: 2000 + m.seq, storeHost: this.addr || '127.0.0.1:1', reconsumeTimes: 0,
      preparedTransactionOffset: 0, body, properties,
    }))
  }
}

/** A namesrv answering routes from a table; unknown topics get TOPIC_NOT_EXIST. */
export class FakeNamesrv {
  readonly server = new RemotingServer({port: 0})
  readonly routes = new Map<string, TopicRouteData>()
  addr = ''

  constructor() {
    this.server.registerHandler(RequestCode.GET_ROUTEINFO_BY_TOPIC, (req) => {
      const route = this.routes.get(decodeGetRouteInfoRequestHeader(req.extFields).topic)
      if (route === undefined) return newResponse(req, ResponseCode.TOPIC_NOT_EXIST, {remark: 'no route'})
      return newResponse(req, ResponseCode.SUCCESS, {body: encodeTopicRouteData(route)})
    })
  }

  async start(): Promise<this> {
    this.addr = `127.0.0.1:${await this.server.start()}`
    return this
  }

  route(topic: string, brokerName: string, brokerAddrs: Record<string, string>, readQueueNums: number): void {
    this.routes.set(topic, {
      queueDatas: [{brokerName, readQueueNums, writeQueueNums: readQueueNums, perm: 6, topicSysFlag: 0}],
      brokerDatas: [{cluster: 'c', brokerName, brokerAddrs}],
      filterServerTable: {},
    })
  }
}

/** The identity reader the runner would pass (the workload's, reduced to what the drain needs). */
export function readTestIdentity(m: {properties: Record<string, string>}): {producerId: number; seq: number; bodyCrc: number} | undefined {
  const p = m.properties
  if (p.MQB_RUN !== 'r1') return undefined
  return {producerId: Number(p.MQB_PID), seq: Number(p.MQB_SEQ), bodyCrc: Number(p.MQB_CRC)}
}
