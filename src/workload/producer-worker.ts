/**
 * One producer worker: a Producer (src/client) driven by the open-loop schedule, every send written to
 * the producer ledger. START records reach the file before the sends they describe (one writeSync per
 * wake-up batch), so a worker killed mid-send can never make a stored message look unattempted;
 * OUTCOME records are buffered and flushed every 100 ms (a lost outcome only turns an ack into
 * "unknown", which the audit allows).
 */
import {Producer, type SendOptions} from '../client/producer.js'
import type {Message, MessageQueue} from '../client/message.js'
import type {SendResult} from '../client/send-result.js'
import {ProducerLedgerWriter, writeBrokerNames} from '../recorder/ledger/index.js'
import {ConfigError} from '../errors.js'
import {crc32} from '../protocol/crc32.js'
import {ArrivalSchedule} from './arrival-schedule.js'
import {BODY_PREFIX_BYTES, buildMessageBody, identityProperties} from './message-identity.js'
import {compensateOutbox} from './outbox/compensator.js'
import {OutboxTable} from './outbox/outbox-table.js'
import {ProducerStats} from './producer-stats.js'
import {SecondTicker} from './second-ticker.js'
import {createSeededRandom, type SeededRandom} from './seeded-random.js'
import {classifySendError, outcomeOfStatus} from './send-outcome.js'
import {epochNowMs, SendPacer} from './send-pacer.js'
import type {DoneMessage, ProducerWorkerConfig, TickMessage} from './worker-messages.js'

const OUTCOME_FLUSH_INTERVAL_MS = 100

/** The slice of Producer this worker uses; a seam for tests. */
export type ProducerLike = Pick<Producer, 'start' | 'shutdown' | 'send' | 'sendAsync' | 'sendOneway'>

export interface ProducerWorkerDeps {
  emit: (m: TickMessage | DoneMessage) => void
  producer?: ProducerLike
  now?: () => number
}

export class ProducerWorker {
  private readonly producer: ProducerLike
  private readonly ledger: ProducerLedgerWriter
  private readonly stats = new ProducerStats()
  private readonly rng: SeededRandom
  private readonly now: () => number
  private schedule!: ArrivalSchedule
  private pacer: SendPacer | undefined
  private measureFromMs = 0
  private readonly batchSeqs: number[] = []
  private readonly batchBodies: Buffer[] = []
  private readonly brokerIndex = new Map<string, number>()
  private nextSeq = 0
  private startedInterval = 0
  private startedMeasured = 0
  private readonly ticker = new SecondTicker(() => this.now(), () => this.measureFromMs)
  private flushTimer: NodeJS.Timeout | undefined
  private stopping = false
  private outbox: OutboxTable | undefined
  private outboxResent = 0

  constructor(private readonly config: ProducerWorkerConfig, private readonly deps: ProducerWorkerDeps) {
    validateProducerConfig(config)
    this.now = deps.now ?? epochNowMs
    this.producer = deps.producer ?? new Producer({
      namesrvAddr: config.namesrvAddr,
      producerGroup: config.producerGroup,
      sendMsgTimeout: config.sendMsgTimeout,
      retryTimesWhenSendFailed: config.retryTimesWhenSendFailed,
      retryTimesWhenSendAsyncFailed: config.retryTimesWhenSendAsyncFailed,
      retryAnotherBrokerWhenNotStoreOK: config.retryAnotherBrokerWhenNotStoreOK,
      maxInFlight: config.maxInFlight,
      serializeType: config.wireFormat ?? 'JSON',
    })
    this.ledger = new ProducerLedgerWriter(config.ledgerPath)
    this.rng = createSeededRandom(config.seed ^ Math.imul(config.producerId + 1, 0x9e3779b1))
  }

  async start(): Promise<void> {
    await this.producer.start()
    const path = this.config.outbox?.path
    if (path === undefined) return
    // Read what a crashed incarnation left PENDING before this one appends its own entries.
    const pending = OutboxTable.readPending(path)
    this.outbox = new OutboxTable(path)
    const report = await compensateOutbox({
      pending, table: this.outbox, ledger: this.ledger, runId: this.config.runId, topic: this.config.topic,
      send: (m) => this.producer.send(m), now: this.now,
    })
    this.outboxResent = report.resent
  }

  /**
   * Runs the schedule to its end (or stop()), then reports done. Slot 0 (warm-up start) is at
   * startAtMs, else config.startAtMs, else now; a start already in the past counts as late sends.
   */
  async run(startAtMs?: number): Promise<DoneMessage> {
    const {config} = this
    const startMs = startAtMs ?? config.startAtMs ?? this.now()
    this.measureFromMs = startMs + config.warmupMs
    this.schedule = new ArrivalSchedule({
      ratePerSec: config.ratePerSec, startMs, durationMs: config.warmupMs + config.durationMs, maxBacklogMs: config.maxBacklogMs,
    })
    const pacer = new SendPacer({
      schedule: this.schedule,
      maxInFlight: config.maxInFlight,
      now: this.now,
      beforeBatch: (intended, n) => this.ledgerStarts(intended, n),
      issue: (intendedMs, i) => this.sendOne(intendedMs, this.batchSeqs[i]!, this.batchBodies[i]!),
    })
    this.pacer = pacer
    if (this.stopping) pacer.stop()
    this.flushTimer = setInterval(() => this.ledger.flushSync(), OUTCOME_FLUSH_INTERVAL_MS)
    this.ticker.start((k) => {
      if (this.stopping) return false
      this.stats.dropped(this.schedule.dropped, k >= 0)
      this.emitTick(k < 0 ? 'warmup' : 'load', k)
      return true
    })
    let pacerStats
    try {
      pacerStats = await pacer.run()
    } finally {
      clearInterval(this.flushTimer)
      this.ticker.stop()
      this.ledger.close()
      this.outbox?.close()
    }
    const last = this.ticker.pendingSecond()
    this.stats.dropped(this.schedule.dropped, last >= 0)
    this.emitTick(last < 0 ? 'warmup' : 'load', last)
    await this.producer.shutdown()
    const totals = this.stats.totals()
    this.stats.destroy()
    const cpu = process.cpuUsage()
    return {
      type: 'done', role: 'producer', workerId: this.config.workerId, t: this.ticker.secondsSinceMeasure(), phase: 'load',
      counts: totals.counts, sendHist: totals.sendHist, serviceHist: totals.serviceHist, byStatus: totals.byStatus,
      warmupCounts: totals.warmupCounts, attempted: this.nextSeq, started: this.startedMeasured, maxStartLagMs: pacerStats.maxStartLagMs,
      brokerNames: [...this.brokerIndex.keys()], cpuUserUs: cpu.user, cpuSystemUs: cpu.system,
      outboxResent: this.config.outbox ? this.outboxResent : undefined,
    }
  }

  /** Starts no further sends; run() resolves once outstanding ones settle. */
  stop(): void {
    this.stopping = true
    this.pacer?.stop()
  }

  /**
   * Before a batch is sent: its START records reach the ledger file, and with an outbox its PENDING rows reach
   * the outbox first — a kill between the two must never leave a started message the compensator cannot resend.
   */
  private ledgerStarts(intended: number[], n: number): void {
    const {config} = this
    for (let i = 0; i < n; i++) {
      const seq = this.nextSeq++
      this.batchSeqs[i] = seq
      const body = buildMessageBody(config.bodySizeBytes, config.producerId, seq, intended[i]!, this.rng)
      this.batchBodies[i] = body
      this.outbox?.pending({producerId: config.producerId, seq, intendedMs: intended[i]!, body})
      this.ledger.start(config.producerId, seq, intended[i]!)
    }
    this.ledger.flushSync()
  }

  private async sendOne(intendedMs: number, seq: number, body: Buffer): Promise<void> {
    const {config} = this
    const inWindow = intendedMs >= this.measureFromMs
    const identity = {runId: config.runId, producerId: config.producerId, seq, bodyCrc: crc32(body), intendedMs}
    const msg: Message = {topic: config.topic, body, tags: config.tags, properties: identityProperties(identity)}
    const opts: SendOptions = {}
    if (config.queues !== undefined && config.queues.length > 0) opts.queue = config.queues[seq % config.queues.length] as MessageQueue
    const startMs = this.now()
    this.startedInterval++
    if (startMs >= this.measureFromMs) this.startedMeasured++
    try {
      if (config.sendMode === 'oneway') {
        await this.producer.sendOneway(msg, opts)
        this.stats.oneway(startMs, this.now(), inWindow)
        return // nothing is known about storage: no OUTCOME, the audit treats it as "unknown"
      }
      const result = config.sendMode === 'async' ? await this.producer.sendAsync(msg, opts) : await this.producer.send(msg, opts)
      this.recordAck(seq, intendedMs, startMs, result, inWindow)
    } catch (err) {
      const e = classifySendError(err)
      this.stats.error(e, inWindow)
      this.ledger.outcome({
        producerId: config.producerId, seq, outcome: e.outcome, brokerCode: e.brokerCode, retries: e.attempts - 1, intendedMs, ackMs: this.now(),
      })
    }
  }

  private recordAck(seq: number, intendedMs: number, startMs: number, result: SendResult, inWindow: boolean): void {
    const ackMs = this.now()
    if (result.status === 'SEND_OK') this.outbox?.success(this.config.producerId, seq)
    this.stats.ack(result.status, intendedMs, startMs, ackMs, result.attempts, inWindow)
    this.ledger.outcome({
      producerId: this.config.producerId, seq, outcome: outcomeOfStatus(result.status), retries: result.attempts - 1,
      queueId: result.queue.queueId, queueOffset: result.queueOffset, intendedMs, ackMs, brokerName: this.brokerNameIndex(result.queue.brokerName),
    })
  }

  private brokerNameIndex(name: string): number {
    let i = this.brokerIndex.get(name)
    if (i === undefined) {
      i = this.brokerIndex.size
      this.brokerIndex.set(name, i)
      writeBrokerNames(this.config.ledgerPath, [...this.brokerIndex.keys()])
    }
    return i
  }

  private emitTick(phase: 'warmup' | 'load', t = this.ticker.pendingSecond()): void {
    const tick = this.stats.takeTick()
    const started = this.startedInterval
    this.startedInterval = 0
    this.deps.emit({type: 'tick', role: 'producer', workerId: this.config.workerId, t, phase, started, ...tick})
  }
}

/** Refuses a config that would fail every send the same way, before anything is sent or ledgered. */
export function validateProducerConfig(c: ProducerWorkerConfig): void {
  const problems: string[] = []
  if (!['sync', 'async', 'oneway'].includes(c.sendMode)) problems.push(`sendMode must be sync, async or oneway, got ${String(c.sendMode)}`)
  if (!(c.ratePerSec >= 0 && Number.isFinite(c.ratePerSec))) problems.push(`ratePerSec must be ≥ 0, got ${c.ratePerSec}`)
  if (!(c.durationMs >= 0)) problems.push(`durationMs must be ≥ 0, got ${c.durationMs}`)
  if (!(c.warmupMs >= 0)) problems.push(`warmupMs must be ≥ 0, got ${c.warmupMs}`)
  if (!Number.isInteger(c.maxInFlight) || c.maxInFlight < 1) problems.push(`maxInFlight must be an integer ≥ 1, got ${c.maxInFlight}`)
  if (!Number.isInteger(c.bodySizeBytes) || c.bodySizeBytes < BODY_PREFIX_BYTES) {
    problems.push(`bodySizeBytes must be an integer ≥ ${BODY_PREFIX_BYTES} (the identity prefix), got ${c.bodySizeBytes}`)
  }
  if (c.outbox !== undefined && c.sendMode === 'oneway') problems.push('an outbox needs sync or async sends (oneway never learns SEND_OK)')
  if (!Number.isInteger(c.producerId) || c.producerId < 0 || c.producerId > 0xfffffffe) problems.push(`producerId must be an integer in 0..4294967294, got ${c.producerId}`)
  if (problems.length > 0) throw new ConfigError(`producer worker ${c.workerId}: ${problems.join('; ')}`)
}
