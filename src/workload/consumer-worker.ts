/**
 * One consumer worker: a PullConsumer over its share of the topic's queues (AllocateMessageQueueAveragely),
 * one long-poll loop per queue. Every delivery is written to the delivery ledger and the ledger is
 * flushed *before* the offset that acknowledges it is committed (piggy-backed on the next pull), so a
 * consumer killed at any moment redelivers rather than loses — at-least-once, as RocketMQ promises.
 *
 * On stop, each queue keeps pulling until it reaches the max offset the broker reported at stop time
 * (bounded by drainTimeoutMs), commits, and the worker reports done.
 */
import {Admin} from '../client/admin.js'
import type {MessageQueue} from '../client/message.js'
import {PullConsumer, type PullResult} from '../client/pull-consumer.js'
import {DeliveryLedgerWriter, MAIN_TOPIC_INDEX, NOT_OURS, RETRY_TOPIC_INDEX} from '../recorder/ledger/index.js'
import {RunBrokenError} from '../errors.js'
import {LatencyRecorder} from '../metrics/index.js'
import type {MessageExt} from '../protocol/message/message-ext.js'
import {retryTopic} from '../protocol/common/mix-all.js'
import {serializeTypeCode} from '../client/serialize-type.js'
import {RemotingClient} from '../remoting/remoting-client.js'
import {allocateMessageQueueAveragely} from './allocate-message-queue.js'
import {BehaviourConsumer} from './consumer-behaviours/behaviour-consumer.js'
import {IdempotencyStore} from './consumer-behaviours/idempotency-store.js'
import {bodyMatches, identityKey, readIdentity} from './message-identity.js'
import {createSeededRandom} from './seeded-random.js'
import {SecondTicker} from './second-ticker.js'
import {epochNowMs} from './send-pacer.js'
import type {ConsumerCounts, ConsumerWorkerConfig, DoneMessage, TickMessage} from './worker-messages.js'

const PULL_ERROR_BACKOFF_MS = 200
/** Delivery-ledger topic index of %RETRY%<group> (0 = main topic), as the drain numbers extra topics. */
const RETRY_ROUTE_ATTEMPTS = 50
const DRAIN_EMPTY_PULL_PAUSE_MS = 10

export interface ConsumerWorkerDeps {
  emit: (m: TickMessage | DoneMessage) => void
  now?: () => number
}

function emptyCounts(): ConsumerCounts {
  return {consumed: 0, corrupt: 0, foreign: 0, pullErrors: 0}
}

function addCounts(into: ConsumerCounts, c: ConsumerCounts): void {
  into.consumed += c.consumed
  into.corrupt += c.corrupt
  into.foreign += c.foreign
  into.pullErrors += c.pullErrors
}

export class ConsumerWorker {
  private readonly remoting: RemotingClient
  private readonly consumer: PullConsumer
  private readonly admin: Admin
  private readonly ledger: DeliveryLedgerWriter
  private readonly e2e = new LatencyRecorder()
  private readonly now: () => number
  private readonly measureFromMs: number
  private interval = emptyCounts()
  private readonly total = emptyCounts()
  private queues: MessageQueue[] = []
  private stopping = false
  private drainDeadlineMs = Infinity
  private readonly drainTargets = new Map<MessageQueue, number>()
  private undrained = 0
  private readonly ticker: SecondTicker
  private stopRequested: (() => void) | undefined
  private readonly behaviour: BehaviourConsumer | undefined
  private readonly idempotency: IdempotencyStore | undefined

  constructor(private readonly config: ConsumerWorkerConfig, private readonly deps: ConsumerWorkerDeps) {
    this.now = deps.now ?? epochNowMs
    this.measureFromMs = config.measureFromMs ?? this.now()
    this.ticker = new SecondTicker(this.now, () => this.measureFromMs)
    this.remoting = new RemotingClient({serializeType: serializeTypeCode(config.wireFormat ?? 'JSON')})
    this.consumer = new PullConsumer({namesrvAddr: config.namesrvAddr, consumerGroup: config.consumerGroup, remoting: this.remoting})
    this.admin = new Admin({namesrvAddr: config.namesrvAddr, remoting: this.remoting})
    this.ledger = new DeliveryLedgerWriter(config.ledgerPath)
    if (config.behaviour !== undefined) {
      const path = config.behaviour.idempotencyStorePath
      this.idempotency = config.behaviour.name === 'idempotent' && path !== undefined ? new IdempotencyStore(path) : undefined
      this.behaviour = this.newBehaviourConsumer(this.idempotency)
    }
  }

  private newBehaviourConsumer(idempotency: IdempotencyStore | undefined): BehaviourConsumer {
    const rng = createSeededRandom((this.config.seed ?? 1) ^ Math.imul(this.config.workerId + 1, 0x85ebca6b))
    return new BehaviourConsumer(this.config.behaviour!, {
      process: (m, mq) => this.deliver(m, 0, Date.now(), mq.topic === this.config.topic ? MAIN_TOPIC_INDEX : RETRY_TOPIC_INDEX),
      flush: () => this.ledger.flushSync(),
      commit: (mq, offset) => this.consumer.commitOffset(mq, offset),
      sendBack: (mq, m, maxReconsumeTimes) => this.consumer.sendMessageBack(mq, m, {maxReconsumeTimes}),
      keyOf: (m) => {
        const id = readIdentity(m)
        return id !== undefined && id.runId === this.config.runId ? identityKey(id.producerId, id.seq) : undefined
      },
      random: () => rng.next(),
      sleep,
      stopping: () => this.stopping,
    }, idempotency)
  }

  /** Starts the client and takes this worker's share of the queues. */
  async start(): Promise<void> {
    await this.consumer.start()
    const all = await this.consumer.fetchSubscribeQueues(this.config.topic)
    this.queues = allocateMessageQueueAveragely(all, this.config.groupClientIds, this.config.clientId)
    await this.consumer.heartbeat().catch(() => undefined) // registers the group; pulls work without it
    if (this.behaviour !== undefined) this.queues.push(...await this.retryQueues())
  }

  /** A push consumer also consumes %RETRY%<group>; the heartbeat just created it, namesrv learns it shortly. */
  private async retryQueues(): Promise<MessageQueue[]> {
    const topic = retryTopic(this.config.consumerGroup)
    let last: unknown
    for (let i = 0; i < RETRY_ROUTE_ATTEMPTS; i++) {
      try {
        const all = await this.consumer.fetchSubscribeQueues(topic)
        if (all.length > 0) return allocateMessageQueueAveragely(all, this.config.groupClientIds, this.config.clientId)
      } catch (err) {
        last = err
      }
      await sleep(100)
    }
    throw new RunBrokenError(`consumer ${this.config.workerId}: no route for ${topic} after ${RETRY_ROUTE_ATTEMPTS} tries`, {cause: last})
  }

  get assignedQueues(): readonly MessageQueue[] {
    return this.queues
  }

  async run(): Promise<DoneMessage> {
    this.ticker.start((k) => {
      this.emitTick(this.stopping ? 'drain' : k < 0 ? 'warmup' : 'load', k)
      return true
    })
    const stopped = new Promise<void>((resolve) => (this.stopRequested = resolve))
    const loops = this.queues.map((mq) => this.pullLoop(mq))
    await stopped
    await Promise.all(loops)
    this.ticker.stop()
    this.ledger.close()
    this.idempotency?.close()
    this.emitTick('drain')
    const e2eHist = this.e2e.encodeTotal()
    this.e2e.destroy()
    await this.consumer.shutdown()
    this.admin.shutdown()
    this.remoting.close()
    const cpu = process.cpuUsage()
    return {
      type: 'done', role: 'consumer', workerId: this.config.workerId, t: this.ticker.secondsSinceMeasure(), phase: 'drain',
      counts: {...this.total}, e2eHist, undrainedQueues: this.undrained, cpuUserUs: cpu.user, cpuSystemUs: cpu.system,
      behaviourCounts: this.behaviour ? {...this.behaviour.counts} : undefined,
    }
  }

  /** Fixes each queue's drain target (its max offset now) and lets the loops finish once they reach it. */
  async stop(): Promise<void> {
    if (this.stopping) return
    this.drainDeadlineMs = this.now() + (this.config.drainTimeoutMs ?? 30_000)
    await Promise.all(this.queues.map(async (mq) => {
      // Unknown target (broker down): drain until the deadline or until a pull finds nothing new.
      const target = await this.admin.getMaxOffset(mq).catch(() => -1)
      this.drainTargets.set(mq, target)
    }))
    this.stopping = true
    this.stopRequested?.()
  }

  private async pullLoop(mq: MessageQueue): Promise<void> {
    const batch = this.config.pullBatchSize ?? 32
    const suspendMs = this.config.suspendTimeoutMillis ?? 1000
    let offset = (await this.consumer.queryOffset(mq).catch(() => undefined)) ?? 0
    let committed: number | undefined
    while (!this.drained(mq, offset)) {
      let result: PullResult
      try {
        // While draining, never hold: an empty answer means the queue is as far as it will get.
        result = await this.consumer.pull(mq, offset, batch, {suspendTimeoutMillis: this.stopping ? 0 : suspendMs, commitOffset: committed})
      } catch {
        this.interval.pullErrors++
        await sleep(PULL_ERROR_BACKOFF_MS)
        continue
      }
      if (this.behaviour !== undefined) {
        if (result.status === 'FOUND') committed = await this.behaviour.consumeBatch(mq, result.messages, result.nextBeginOffset)
        offset = result.nextBeginOffset
        committed = this.behaviour.commitCandidate(mq) ?? committed
      } else {
        if (result.status === 'FOUND') {
          const deliveredMs = Date.now()
          for (const m of result.messages) this.deliver(m, result.brokerId, deliveredMs)
          this.ledger.flushSync() // deliveries are on file before the offset acknowledging them leaves
        }
        offset = result.nextBeginOffset
        committed = offset
      }
      if (this.stopping && result.status !== 'FOUND') {
        if ((this.drainTargets.get(mq) ?? -1) < 0) break
        await sleep(DRAIN_EMPTY_PULL_PAUSE_MS) // behind the target but nothing visible yet: the dispatch lags
      }
    }
    if (this.stopping && offset < (this.drainTargets.get(mq) ?? 0)) this.undrained++
    await this.consumer.commitOffset(mq, this.behaviour?.commitCandidate(mq) ?? offset).catch(() => {
      this.interval.pullErrors++
    })
  }

  private drained(mq: MessageQueue, offset: number): boolean {
    if (!this.stopping) return false
    if (this.now() >= this.drainDeadlineMs) return true
    const target = this.drainTargets.get(mq) ?? -1
    return target >= 0 && offset >= target
  }

  private deliver(m: MessageExt, brokerId: number, deliveredMs: number, topic = 0): void {
    const id = readIdentity(m)
    const ours = id !== undefined && id.runId === this.config.runId
    const crcOk = ours ? bodyMatches(m.body, id) : true
    this.ledger.record({
      producerId: ours ? id.producerId : NOT_OURS, seq: ours ? id.seq : 0, queueId: m.queueId, queueOffset: m.queueOffset,
      brokerId, reconsumeTimes: m.reconsumeTimes, crcOk, deliveredMs, bornMs: m.bornTimestamp, storeMs: m.storeTimestamp, topic,
    })
    this.interval.consumed++
    if (!ours) this.interval.foreign++
    else if (!crcOk) this.interval.corrupt++
    // Born timestamp and now come from the same host clock (all processes run on one machine).
    if (ours && id.intendedMs >= this.measureFromMs) this.e2e.record((deliveredMs - m.bornTimestamp) * 1000)
  }

  private emitTick(phase: 'warmup' | 'load' | 'drain', t = this.ticker.pendingSecond()): void {
    const counts = this.interval
    this.interval = emptyCounts()
    addCounts(this.total, counts)
    this.deps.emit({type: 'tick', role: 'consumer', workerId: this.config.workerId, t, phase, counts, e2eHist: this.e2e.takeInterval()})
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
