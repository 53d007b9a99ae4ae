/**
 * RocketMQ's DefaultMQProducer semantics over our remoting client (rocketmq-protocol.md §2.3):
 * SEND_MESSAGE_V2 to the master of a round-robin queue; sync sends retry inside one total
 * sendMsgTimeout budget on network failures and the retryable broker codes, steering away from
 * the broker that failed; async sends are bounded in flight and retry network failures only;
 * oneway sends are fire-and-forget. Every attempt is reported through onAttempt, because a retry
 * after a timeout may duplicate a message the broker did store, and the audit must know.
 */
import {ConnectionError, MqbenchError, RemotingError, TimeoutError} from '../errors.js'
import type {TopicRouteData} from '../protocol/bodies/topic-route-data.js'
import {encodeSendMessageRequestHeaderV2, decodeSendMessageResponseHeader} from '../protocol/headers/send-message.js'
import {createUniqIdGenerator, type UniqIdGenerator} from '../protocol/message/message-id.js'
import {newRequest} from '../protocol/remoting-command.js'
import {RequestCode} from '../protocol/request-code.js'
import {ResponseCode} from '../protocol/response-code.js'
import {RemotingClient} from '../remoting/remoting-client.js'
import {HEARTBEAT_INTERVAL_MS, heartbeatAllBrokers} from './heartbeat.js'
import {ownUniqKey, sendPropertiesText} from './send-properties.js'
import {serializeTypeCode, type SerializeTypeName} from './serialize-type.js'
import {InFlightLimiter} from './in-flight-limiter.js'
import type {Message, MessageQueue} from './message.js'
import {QueueSelector} from './queue-selector.js'
import {borrowDefaultRoute, publishQueues, RouteCache} from './route-cache.js'
import {RETRYABLE_SEND_CODES, sendStatusOf, type SendResult, type SendStatus} from './send-result.js'
import {AUTO_CREATE_TOPIC_KEY_TOPIC} from '../protocol/common/mix-all.js'

export interface ProducerOptions {
  namesrvAddr: string
  producerGroup: string
  sendMsgTimeout?: number
  retryTimesWhenSendFailed?: number
  retryTimesWhenSendAsyncFailed?: number
  retryAnotherBrokerWhenNotStoreOK?: boolean
  maxInFlight?: number
  maxMessageSize?: number
  /**
   * Header type of our requests (rocketmq.serialize.type). Default JSON, what a real broker is
   * started with; ROCKETMQ is cheaper to code and is what RocketMQ's benchmark tools force, so load
   * against the embedded broker (which answers in kind) should use it. Ignored with `remoting`.
   */
  serializeType?: SerializeTypeName
  /** Share one connection pool between clients; otherwise the producer owns its own. */
  remoting?: RemotingClient
  /** HEART_BEAT period declaring producerGroup to every known broker (default 30 s, as Java). */
  heartbeatIntervalMs?: number
  log?: (line: string) => void
}

/** One try of one send, as the workload ledger records it. */
export interface SendAttempt {
  attempt: number
  queue: MessageQueue
  brokerAddr?: string
  elapsedMs: number
  status?: SendStatus
  error?: Error
}

export interface SendOptions {
  /** Send to exactly this queue: one attempt, no retry (Java's send(msg, mq)). */
  queue?: MessageQueue
  onAttempt?: (attempt: SendAttempt) => void
}

interface PreparedMessage {
  topic: string
  body: Buffer
  flag: number
  properties: string
  uniqKey: string
}

interface RetryPolicy {
  maxAttempts: number
  /** true: sendMsgTimeout covers all attempts (sync); false: each attempt gets it whole (async). */
  totalBudget: boolean
  retryBrokerCodes: boolean
  retryNotStoreOK: boolean
}

const DEFAULT_TOPIC = AUTO_CREATE_TOPIC_KEY_TOPIC
const DEFAULT_TOPIC_QUEUE_NUMS = 4
const BORROWED_ROUTE_TTL_MS = 30_000

export class Producer {
  private readonly remoting: RemotingClient
  private readonly ownsRemoting: boolean
  private readonly routes: RouteCache
  private readonly selector = new QueueSelector()
  private readonly limiter: InFlightLimiter
  private readonly uniqIds: UniqIdGenerator = createUniqIdGenerator()
  private readonly borrowed = new Map<string, {queues: MessageQueue[]; atMs: number}>()
  /** publishQueues() of the route object they came from, so a send does not rebuild them. */
  private readonly publishMemo = new Map<string, {route: TopicRouteData; queues: MessageQueue[]}>()
  private readonly sendMsgTimeout: number
  private started = false
  private heartbeatTimer: NodeJS.Timeout | undefined
  readonly clientId = `127.0.0.1@${process.pid}#${process.hrtime.bigint()}`

  constructor(private readonly opts: ProducerOptions) {
    this.ownsRemoting = opts.remoting === undefined
    this.remoting = opts.remoting ?? new RemotingClient({log: opts.log, serializeType: serializeTypeCode(opts.serializeType)})
    this.routes = new RouteCache({remoting: this.remoting, namesrvAddr: opts.namesrvAddr, log: opts.log})
    this.limiter = new InFlightLimiter(opts.maxInFlight ?? 1024)
    this.sendMsgTimeout = opts.sendMsgTimeout ?? 3000
  }

  async start(): Promise<void> {
    this.routes.start()
    this.started = true
    // Like Java's MQClientInstance: brokers learn producerGroup from periodic heartbeats (producerConnection).
    this.heartbeatTimer ??= setInterval(() => {
      this.heartbeat().catch((err: Error) => this.opts.log?.(`heartbeat failed: ${err.message}`))
    }, this.opts.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS)
    this.heartbeatTimer.unref()
  }

  /** HEART_BEAT with producerGroup to every broker this producer has a route to. */
  async heartbeat(): Promise<void> {
    const data = {clientID: this.clientId, producerDataSet: [{groupName: this.opts.producerGroup}], consumerDataSet: []}
    await heartbeatAllBrokers(this.remoting, this.routes.allBrokerAddrs(), data, this.sendMsgTimeout)
  }

  async shutdown(): Promise<void> {
    this.started = false
    if (this.heartbeatTimer !== undefined) clearInterval(this.heartbeatTimer)
    this.heartbeatTimer = undefined
    this.routes.stop()
    if (this.ownsRemoting) this.remoting.close()
  }

  /** Async sends currently holding an in-flight slot. */
  get inFlight(): number {
    return this.limiter.inFlight
  }

  send(msg: Message, opts: SendOptions = {}): Promise<SendResult> {
    return this.sendWithRetries(this.prepare(msg), opts, {
      maxAttempts: opts.queue === undefined ? 1 + (this.opts.retryTimesWhenSendFailed ?? 2) : 1,
      totalBudget: true,
      retryBrokerCodes: true,
      retryNotStoreOK: this.opts.retryAnotherBrokerWhenNotStoreOK ?? false,
    })
  }

  /** Waits for an in-flight slot (maxInFlight), then sends; broker error codes are not retried. */
  async sendAsync(msg: Message, opts: SendOptions = {}): Promise<SendResult> {
    const prepared = this.prepare(msg)
    await this.limiter.acquire()
    try {
      return await this.sendWithRetries(prepared, opts, {
        maxAttempts: opts.queue === undefined ? 1 + (this.opts.retryTimesWhenSendAsyncFailed ?? 2) : 1,
        totalBudget: false,
        retryBrokerCodes: false,
        retryNotStoreOK: false,
      })
    } finally {
      this.limiter.release()
    }
  }

  /** Resolves once the frame is written; the broker never answers, so nothing is known about storage. */
  async sendOneway(msg: Message, opts: SendOptions = {}): Promise<void> {
    const prepared = this.prepare(msg)
    const queues = this.cachedPublishQueues(prepared.topic) ?? (await this.publishQueuesOf(prepared.topic))
    const mq = opts.queue ?? this.selector.select(prepared.topic, queues)
    await this.remoting.invokeOneway(this.masterAddrOf(mq), this.sendRequest(prepared, mq))
  }

  private prepare(msg: Message): PreparedMessage {
    if (!this.started) throw new MqbenchError('NOT_STARTED', 'producer used before start() or after shutdown()')
    const maxMessageSize = this.opts.maxMessageSize ?? 4 * 1024 * 1024
    if (msg.body.length === 0 || msg.body.length > maxMessageSize) {
      throw new MqbenchError('MESSAGE_ILLEGAL', `message body of ${msg.body.length} bytes is outside 1..${maxMessageSize}`, {
        topic: msg.topic,
      })
    }
    // Kept across retries so the audit (and the broker's index) sees one identity per message.
    const uniqKey = ownUniqKey(msg) ?? this.uniqIds.next()
    return {topic: msg.topic, body: msg.body, flag: msg.flag ?? 0, properties: sendPropertiesText(msg, uniqKey), uniqKey}
  }

  private async sendWithRetries(prepared: PreparedMessage, opts: SendOptions, policy: RetryPolicy): Promise<SendResult> {
    const beginMs = Date.now()
    let lastBrokerName: string | undefined
    let lastError: Error | undefined
    let lastResult: SendResult | undefined
    for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
      const elapsedMs = Date.now() - beginMs
      const timeoutMs = policy.totalBudget ? this.sendMsgTimeout - elapsedMs : this.sendMsgTimeout
      if (timeoutMs <= 0) {
        throw Object.assign(
          new TimeoutError(`send of ${prepared.uniqKey} used up sendMsgTimeout ${this.sendMsgTimeout} ms in ${attempt - 1} attempt(s)`, {
            cause: lastError,
            topic: prepared.topic,
          }),
          {attempts: attempt - 1},
        )
      }
      // Also with a chosen queue: its broker's address comes from the route (Java's send(msg, mq) looks it up too).
      const queues = this.cachedPublishQueues(prepared.topic) ?? (await this.publishQueuesOf(prepared.topic))
      const mq = opts.queue ?? this.selector.select(prepared.topic, queues, lastBrokerName)
      lastBrokerName = mq.brokerName
      try {
        const result = await this.attemptOnce(prepared, mq, timeoutMs, attempt, beginMs, opts)
        if (result.status === 'SEND_OK' || !policy.retryNotStoreOK || attempt === policy.maxAttempts) return result
        lastResult = result
      } catch (err) {
        lastError = err as Error
        if (!isRetryable(lastError, policy) || attempt === policy.maxAttempts) throw Object.assign(lastError, {attempts: attempt})
        this.routes.refreshSoon(prepared.topic)
      }
    }
    // Only reachable when every attempt ended in a non-SEND_OK status: Java returns the last one.
    return lastResult!
  }

  private async attemptOnce(
    prepared: PreparedMessage,
    mq: MessageQueue,
    timeoutMs: number,
    attempt: number,
    beginMs: number,
    opts: SendOptions,
  ): Promise<SendResult> {
    let brokerAddr: string | undefined
    try {
      brokerAddr = this.masterAddrOf(mq)
      const response = await this.remoting.invoke(brokerAddr, this.sendRequest(prepared, mq), timeoutMs)
      const status = sendStatusOf(response)
      const header = decodeSendMessageResponseHeader(response.extFields)
      opts.onAttempt?.({attempt, queue: mq, brokerAddr, elapsedMs: Date.now() - beginMs, status})
      return {
        status,
        msgId: prepared.uniqKey,
        offsetMsgId: header.msgId,
        queue: {topic: mq.topic, brokerName: mq.brokerName, queueId: header.queueId},
        queueOffset: header.queueOffset,
        attempts: attempt,
      }
    } catch (err) {
      opts.onAttempt?.({attempt, queue: mq, brokerAddr, elapsedMs: Date.now() - beginMs, error: err as Error})
      throw err
    }
  }

  private sendRequest(prepared: PreparedMessage, mq: MessageQueue) {
    const header = encodeSendMessageRequestHeaderV2({
      producerGroup: this.opts.producerGroup,
      topic: prepared.topic,
      defaultTopic: DEFAULT_TOPIC,
      defaultTopicQueueNums: DEFAULT_TOPIC_QUEUE_NUMS,
      queueId: mq.queueId,
      sysFlag: 0,
      bornTimestamp: Date.now(),
      flag: prepared.flag,
      properties: prepared.properties,
      reconsumeTimes: 0,
      unitMode: false,
      bname: mq.brokerName,
    })
    return newRequest(RequestCode.SEND_MESSAGE_V2, header, prepared.body)
  }

  private masterAddrOf(mq: MessageQueue): string {
    const addr = this.routes.masterAddr(mq.brokerName)
    if (addr === undefined) {
      this.routes.refreshSoon(mq.topic)
      throw new ConnectionError(`broker ${mq.brokerName} has no master in the route`, {brokerName: mq.brokerName})
    }
    return addr
  }

  /**
   * The topic's writable queues without a promise, while its cached route is the one they were
   * computed from; undefined when publishQueuesOf must decide (no route yet, a borrowed route, none writable).
   */
  private cachedPublishQueues(topic: string): MessageQueue[] | undefined {
    const route = this.routes.cachedRoute(topic)
    if (route === undefined || this.borrowed.has(topic)) return undefined
    const memo = this.publishMemo.get(topic)
    if (memo !== undefined && memo.route === route) return memo.queues
    const queues = publishQueues(topic, route)
    if (queues.length === 0) return undefined
    this.publishMemo.set(topic, {route, queues})
    return queues
  }

  /** The topic's writable queues; an unknown topic borrows TBW102's brokers so they auto-create it. */
  private async publishQueuesOf(topic: string): Promise<MessageQueue[]> {
    const borrowed = this.borrowed.get(topic)
    if (borrowed !== undefined && Date.now() - borrowed.atMs < BORROWED_ROUTE_TTL_MS) return borrowed.queues
    let queues: MessageQueue[]
    try {
      queues = publishQueues(topic, await this.routes.getRoute(topic))
      this.borrowed.delete(topic)
    } catch (err) {
      if (!(err instanceof RemotingError && err.responseCode === ResponseCode.TOPIC_NOT_EXIST)) throw err
      const template = await this.routes.getRoute(DEFAULT_TOPIC).catch(() => {
        throw err
      })
      queues = publishQueues(topic, borrowDefaultRoute(template, DEFAULT_TOPIC_QUEUE_NUMS))
      this.borrowed.set(topic, {queues, atMs: Date.now()})
    }
    if (queues.length === 0) {
      this.routes.refreshSoon(topic)
      throw new MqbenchError('NO_ROUTE', `topic ${topic} has no writable queue on a broker with a master`, {topic})
    }
    return queues
  }
}

function isRetryable(err: Error, policy: RetryPolicy): boolean {
  if (err instanceof ConnectionError || err instanceof TimeoutError) return true
  return policy.retryBrokerCodes && err instanceof RemotingError && RETRYABLE_SEND_CODES.has(err.responseCode)
}
