/**
 * A stand-alone pull consumer (DefaultMQPullConsumer semantics, rocketmq-protocol.md §2.4, §3.3,
 * §3.4, §9.4): pulls carry their own subscription ("*", TAG) so no heartbeat is needed before the
 * first pull; long-polls wait on the broker with an RPC deadline longer than the hold; each queue
 * goes next to the broker id the broker suggested, and to any address of the broker name when
 * that id is gone, so reads continue from a slave when the master is down.
 */
import {MqbenchError, RemotingError} from '../errors.js'
import {MASTER_ID} from '../protocol/common/mix-all.js'
import {
  decodeOffsetResponseHeader,
  encodeQueryConsumerOffsetRequestHeader,
  encodeUpdateConsumerOffsetRequestHeader,
} from '../protocol/headers/consumer-offset.js'
import {encodeConsumerSendMsgBackRequestHeader} from '../protocol/headers/consumer-send-msg-back.js'
import {decodePullMessageResponseHeader, encodePullMessageRequestHeader, PullSysFlag} from '../protocol/headers/pull-message.js'
import {decodeMessages, type DecodeOptions} from '../protocol/message/message-decoder.js'
import type {MessageExt} from '../protocol/message/message-ext.js'
import {newRequest, type RemotingCommand} from '../protocol/remoting-command.js'
import {RequestCode} from '../protocol/request-code.js'
import {ResponseCode, responseCodeName} from '../protocol/response-code.js'
import {RemotingClient} from '../remoting/remoting-client.js'
import {serializeTypeCode, type SerializeTypeName} from './serialize-type.js'
import {expectSuccess} from './expect-success.js'
import {heartbeatAllBrokers} from './heartbeat.js'
import {queueKey, type MessageQueue} from './message.js'
import {RouteCache, subscribeQueues} from './route-cache.js'

export type PullStatus = 'FOUND' | 'NO_NEW_MSG' | 'NO_MATCHED_MSG' | 'OFFSET_ILLEGAL'

export interface PullResult {
  status: PullStatus
  nextBeginOffset: number
  minOffset: number
  maxOffset: number
  suggestWhichBrokerId: number
  messages: MessageExt[]
  /** With PullOptions.raw: the response body, records back to back, not decoded (messages is then empty). */
  records?: Buffer
  /** Where this pull went, so deliveries can be attributed to master or slave. */
  brokerAddr: string
  brokerId: number
}

export interface PullOptions {
  /** How the records are decoded (e.g. viewBody for a reader that checks bodies itself). */
  decode?: DecodeOptions
  /** Leave the records undecoded in PullResult.records, for a reader that reads them in place (record-view.ts). */
  raw?: boolean
  /** Broker hold time when nothing is new (default 15000 as Java's push consumer); 0 = no hold. */
  suspendTimeoutMillis?: number
  brokerId?: number
  /** Piggy-backed commit (COMMIT_OFFSET flag); ignored when pulling from a slave, as in Java. */
  commitOffset?: number
}

export interface PullConsumerOptions {
  namesrvAddr: string
  consumerGroup: string
  remoting?: RemotingClient
  /** Header type of our requests; see ProducerOptions.serializeType. Ignored with `remoting`. */
  serializeType?: SerializeTypeName
  /** RPC timeout for non-pull requests (offsets, heartbeat). */
  timeoutMs?: number
  heartbeatIntervalMs?: number
  log?: (line: string) => void
}

const DEFAULT_SUSPEND_MS = 15_000
/** DefaultMQPushConsumerImpl.sendMessageBack's RPC timeout. */
const SEND_BACK_TIMEOUT_MS = 5000

/** The one mapping from a PULL response code to PullStatus; other codes are broker errors. */
export function pullStatusOf(response: RemotingCommand): PullStatus {
  switch (response.code) {
    case ResponseCode.SUCCESS:
      return 'FOUND'
    case ResponseCode.PULL_NOT_FOUND:
      return 'NO_NEW_MSG'
    case ResponseCode.PULL_RETRY_IMMEDIATELY:
      return 'NO_MATCHED_MSG'
    case ResponseCode.PULL_OFFSET_MOVED:
      return 'OFFSET_ILLEGAL'
    default:
      throw new RemotingError(
        response.code,
        `pull failed: ${responseCodeName(response.code)} (${response.code})${response.remark ? `: ${response.remark}` : ''}`,
        {remark: response.remark},
      )
  }
}

export class PullConsumer {
  readonly clientId = `127.0.0.1@${process.pid}#${process.hrtime.bigint()}`
  private readonly remoting: RemotingClient
  private readonly ownsRemoting: boolean
  private readonly routes: RouteCache
  private readonly suggested = new Map<string, number>()
  private readonly topics = new Set<string>()
  private readonly timeoutMs: number
  private heartbeatTimer: NodeJS.Timeout | undefined

  constructor(private readonly opts: PullConsumerOptions) {
    this.ownsRemoting = opts.remoting === undefined
    this.remoting = opts.remoting ?? new RemotingClient({log: opts.log, serializeType: serializeTypeCode(opts.serializeType)})
    this.routes = new RouteCache({remoting: this.remoting, namesrvAddr: opts.namesrvAddr, log: opts.log})
    this.timeoutMs = opts.timeoutMs ?? 3000
  }

  async start(): Promise<void> {
    this.routes.start()
    this.heartbeatTimer ??= setInterval(() => {
      this.heartbeat().catch((err: Error) => this.opts.log?.(`heartbeat failed: ${err.message}`))
    }, this.opts.heartbeatIntervalMs ?? 30_000)
    this.heartbeatTimer.unref()
  }

  async shutdown(): Promise<void> {
    if (this.heartbeatTimer !== undefined) clearInterval(this.heartbeatTimer)
    this.heartbeatTimer = undefined
    this.routes.stop()
    if (this.ownsRemoting) this.remoting.close()
  }

  async fetchSubscribeQueues(topic: string): Promise<MessageQueue[]> {
    this.topics.add(topic)
    return subscribeQueues(topic, await this.routes.getRoute(topic, {refresh: true}))
  }

  async pull(mq: MessageQueue, offset: number, maxNums: number, opts: PullOptions = {}): Promise<PullResult> {
    this.topics.add(mq.topic)
    const suspendMs = opts.suspendTimeoutMillis ?? DEFAULT_SUSPEND_MS
    const target = await this.pullTarget(mq, opts.brokerId ?? this.suggested.get(queueKey(mq)) ?? 0)
    let sysFlag = PullSysFlag.SUBSCRIPTION
    if (suspendMs > 0) sysFlag |= PullSysFlag.SUSPEND
    // A slave never stores commits from pulls; Java clears the flag for it too.
    if (opts.commitOffset !== undefined && target.brokerId === MASTER_ID) sysFlag |= PullSysFlag.COMMIT_OFFSET
    const header = encodePullMessageRequestHeader({
      consumerGroup: this.opts.consumerGroup,
      topic: mq.topic,
      queueId: mq.queueId,
      queueOffset: offset,
      maxMsgNums: maxNums,
      sysFlag,
      commitOffset: opts.commitOffset ?? 0,
      suspendTimeoutMillis: suspendMs,
      subscription: '*',
      subVersion: 0,
      expressionType: 'TAG',
      bname: mq.brokerName,
    })
    // The RPC must outlive the broker's hold, or every empty long-poll would look like a timeout.
    const rpcTimeoutMs = suspendMs + Math.max(suspendMs, 5000)
    const response = await this.remoting
      .invoke(target.addr, newRequest(RequestCode.PULL_MESSAGE, header), rpcTimeoutMs)
      .catch((err: unknown) => {
        // A dead broker stays in the route until namesrv notices; look again before the next pull.
        this.routes.refreshSoon(mq.topic)
        throw err
      })
    const status = pullStatusOf(response)
    const h = decodePullMessageResponseHeader(response.extFields)
    this.suggested.set(queueKey(mq), h.suggestWhichBrokerId)
    return {
      status,
      nextBeginOffset: h.nextBeginOffset,
      minOffset: h.minOffset,
      maxOffset: h.maxOffset,
      suggestWhichBrokerId: h.suggestWhichBrokerId,
      messages: status === 'FOUND' && response.body !== undefined && opts.raw !== true ? decodeMessages(response.body, opts.decode) : [],
      ...(status === 'FOUND' && response.body !== undefined && opts.raw === true && {records: response.body}),
      brokerAddr: target.addr,
      brokerId: target.brokerId,
    }
  }

  /** The group's committed offset, or undefined when the broker has none (QUERY_NOT_FOUND). */
  async queryOffset(mq: MessageQueue): Promise<number | undefined> {
    const target = await this.pullTarget(mq, 0)
    const header = encodeQueryConsumerOffsetRequestHeader({consumerGroup: this.opts.consumerGroup, topic: mq.topic, queueId: mq.queueId})
    const response = await this.remoting.invoke(target.addr, newRequest(RequestCode.QUERY_CONSUMER_OFFSET, header), this.timeoutMs)
    if (response.code === ResponseCode.QUERY_NOT_FOUND) return undefined
    expectSuccess(response, 'QUERY_CONSUMER_OFFSET')
    return decodeOffsetResponseHeader(response.extFields).offset
  }

  /** Waits for the broker's answer (Java sends this oneway; the ledger wants to know it arrived). */
  async commitOffset(mq: MessageQueue, offset: number): Promise<void> {
    const addr = await this.masterAddr(mq)
    const header = encodeUpdateConsumerOffsetRequestHeader({
      consumerGroup: this.opts.consumerGroup,
      topic: mq.topic,
      queueId: mq.queueId,
      commitOffset: offset,
    })
    const response = await this.remoting.invoke(addr, newRequest(RequestCode.UPDATE_CONSUMER_OFFSET, header), this.timeoutMs)
    expectSuccess(response, 'UPDATE_CONSUMER_OFFSET')
  }

  /**
   * CONSUMER_SEND_MSG_BACK (rocketmq-protocol.md §3.5): hands a message the application failed on back to
   * the master of the broker it came from, which stores it in %RETRY%<group> (delayLevel 0 = broker picks
   * 3 + reconsumeTimes, -1 = straight to %DLQ%<group>) or, past maxReconsumeTimes, in %DLQ%<group>.
   * Rejects on failure; Java then falls back to a plain send, our callers re-consume instead.
   */
  async sendMessageBack(mq: MessageQueue, msg: MessageExt, opts: {delayLevel?: number; maxReconsumeTimes?: number} = {}): Promise<void> {
    const addr = await this.masterAddr(mq)
    const header = encodeConsumerSendMsgBackRequestHeader({
      offset: msg.commitLogOffset,
      group: this.opts.consumerGroup,
      delayLevel: opts.delayLevel ?? 0,
      originMsgId: msg.properties.UNIQ_KEY,
      originTopic: msg.properties.RETRY_TOPIC ?? msg.topic,
      unitMode: false,
      maxReconsumeTimes: opts.maxReconsumeTimes ?? 16,
    })
    const response = await this.remoting.invoke(addr, newRequest(RequestCode.CONSUMER_SEND_MSG_BACK, header), SEND_BACK_TIMEOUT_MS)
    expectSuccess(response, 'CONSUMER_SEND_MSG_BACK')
  }

  /** HEART_BEAT to every known broker address, declaring the group as CONSUME_ACTIVELY on its topics. */
  async heartbeat(): Promise<void> {
    await heartbeatAllBrokers(this.remoting, this.routes.allBrokerAddrs(), {
      clientID: this.clientId,
      producerDataSet: [],
      consumerDataSet: [
        {
          groupName: this.opts.consumerGroup,
          consumeType: 'CONSUME_ACTIVELY',
          messageModel: 'CLUSTERING',
          consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
          unitMode: false,
          subscriptionDataSet: [...this.topics].map((topic) => ({
            classFilterMode: false, topic, subString: '*', tagsSet: [], codeSet: [], subVersion: 0, expressionType: 'TAG',
          })),
        },
      ],
    }, this.timeoutMs)
  }

  /** The wanted broker id if the route has it, else the lowest id present (master first). */
  private async pullTarget(mq: MessageQueue, brokerId: number): Promise<{addr: string; brokerId: number}> {
    let addrs = this.routes.brokerAddrs(mq.brokerName)
    if (addrs === undefined || Object.keys(addrs).length === 0) {
      await this.routes.getRoute(mq.topic, {refresh: true})
      addrs = this.routes.brokerAddrs(mq.brokerName)
    }
    if (addrs !== undefined) {
      const wanted = addrs[String(brokerId)]
      if (wanted !== undefined) return {addr: wanted, brokerId}
      const ids = Object.keys(addrs).map(Number).sort((a, b) => a - b)
      if (ids.length > 0) return {addr: addrs[String(ids[0])]!, brokerId: ids[0]!}
    }
    throw new MqbenchError('BROKER_NOT_FOUND', `no address for broker ${mq.brokerName} in the route of ${mq.topic}`, {
      brokerName: mq.brokerName,
      topic: mq.topic,
    })
  }

  private async masterAddr(mq: MessageQueue): Promise<string> {
    if (this.routes.masterAddr(mq.brokerName) === undefined) await this.routes.getRoute(mq.topic, {refresh: true})
    const addr = this.routes.masterAddr(mq.brokerName)
    if (addr === undefined) {
      throw new MqbenchError('BROKER_NOT_FOUND', `broker ${mq.brokerName} has no master (id ${MASTER_ID}) in the route`, {
        brokerName: mq.brokerName,
      })
    }
    return addr
  }
}
