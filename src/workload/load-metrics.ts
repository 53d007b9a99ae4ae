/**
 * Merges what the workers report: per-second ticks into the timeline and the live progress line,
 * `done` messages into cumulative histograms and counters. Histograms arrive encoded and are merged
 * here, never as sample lists (style rule 11).
 */
import {
  SEND_STATUSES, Timeline, addSendCounters, createLatencyHistogram, decodeHistogram, destroyHistogram,
  emptySendCounters, mergeInto, summarize, totalErrors, totalStatuses,
  type Histogram, type LatencySummary, type SecondSink, type SendCounters, type SendStatus, type TimelinePoint,
} from '../metrics/index.js'
import type {ConsumerCounts, DoneMessage, TickMessage} from './worker-messages.js'

interface SecondBucket {
  sendCount: number
  consumeCount: number
  errors: number
  send: Histogram
  e2e: Histogram
  reported: number
}

function isSendCounters(c: SendCounters | ConsumerCounts): c is SendCounters {
  return (c as SendCounters).SEND_OK !== undefined
}

function mergeEncoded(target: Histogram, encoded: string | undefined): void {
  if (!encoded) return
  const h = decodeHistogram(encoded)
  try {
    mergeInto(target, h)
  } finally {
    destroyHistogram(h)
  }
}

export interface LoadTotals {
  counters: SendCounters
  consumed: number
  corruptDeliveries: number
  attempted: number
  send: LatencySummary
  sendService: LatencySummary
  e2e: LatencySummary
  byStatus: Partial<Record<SendStatus, LatencySummary>>
  producerCpuUs: number
  consumerCpuUs: number
  maxStartLagMs: number
}

export class LoadMetrics {
  private readonly seconds = new Map<number, SecondBucket>()
  private readonly timeline = new Timeline()
  private readonly producerDone: DoneMessage[] = []
  private readonly consumerDone: DoneMessage[] = []

  constructor(private readonly workers: number, private readonly sink?: SecondSink) {}

  /**
   * Adds one worker tick; returns the timeline point only once every worker reported that second: a
   * point drawn from the first tick alone shows `send 0/s` whenever a consumer reported first.
   */
  addTick(tick: TickMessage): TimelinePoint | undefined {
    // The timeline starts with the measured window; consumers tick from their own start, before it.
    if (tick.phase === 'warmup' || tick.t < 0) return undefined
    let b = this.seconds.get(tick.t)
    if (!b) {
      b = {sendCount: 0, consumeCount: 0, errors: 0, send: createLatencyHistogram(), e2e: createLatencyHistogram(), reported: 0}
      this.seconds.set(tick.t, b)
    }
    if (isSendCounters(tick.counts)) {
      b.sendCount += totalStatuses(tick.counts)
      b.errors += totalErrors(tick.counts)
    } else {
      b.consumeCount += tick.counts.consumed
      b.errors += tick.counts.pullErrors
    }
    mergeEncoded(b.send, tick.sendHist)
    mergeEncoded(b.e2e, tick.e2eHist)
    b.reported++
    const point = this.pointOf(tick.t, b)
    this.timeline.add(point)
    if (b.reported < this.workers) return undefined
    this.release(tick.t)
    return point
  }

  addDone(done: DoneMessage): void {
    ;(done.role === 'producer' ? this.producerDone : this.consumerDone).push(done)
  }

  points(): TimelinePoint[] {
    return this.timeline.points()
  }

  totals(): LoadTotals {
    const send = createLatencyHistogram()
    const service = createLatencyHistogram()
    const e2e = createLatencyHistogram()
    const byStatus = new Map<SendStatus, Histogram>()
    let counters = emptySendCounters()
    let attempted = 0
    let producerCpuUs = 0
    let maxStartLagMs = 0
    for (const d of this.producerDone) {
      if (isSendCounters(d.counts)) counters = addSendCounters(counters, d.counts)
      attempted += d.attempted ?? 0
      producerCpuUs += d.cpuUserUs + d.cpuSystemUs
      maxStartLagMs = Math.max(maxStartLagMs, d.maxStartLagMs ?? 0)
      mergeEncoded(send, d.sendHist)
      mergeEncoded(service, d.serviceHist)
      for (const status of SEND_STATUSES) {
        const enc = d.byStatus?.[status]
        if (!enc) continue
        if (!byStatus.has(status)) byStatus.set(status, createLatencyHistogram())
        mergeEncoded(byStatus.get(status)!, enc)
      }
    }
    let consumed = 0
    let corruptDeliveries = 0
    let consumerCpuUs = 0
    for (const d of this.consumerDone) {
      if (!isSendCounters(d.counts)) {
        consumed += d.counts.consumed
        corruptDeliveries += d.counts.corrupt
      }
      consumerCpuUs += d.cpuUserUs + d.cpuSystemUs
      mergeEncoded(e2e, d.e2eHist)
    }
    const statusSummaries: Partial<Record<SendStatus, LatencySummary>> = {}
    for (const [status, h] of byStatus) statusSummaries[status] = summarize(h)
    const result: LoadTotals = {
      counters, consumed, corruptDeliveries, attempted, send: summarize(send), sendService: summarize(service),
      e2e: summarize(e2e), byStatus: statusSummaries, producerCpuUs, consumerCpuUs, maxStartLagMs,
    }
    for (const h of [send, service, e2e, ...byStatus.values()]) destroyHistogram(h)
    return result
  }

  /** Frees every per-second histogram still held (seconds some worker never reported). */
  close(): void {
    for (const t of [...this.seconds.keys()].sort((a, b) => a - b)) this.release(t)
    this.sink?.close()
  }

  private pointOf(t: number, b: SecondBucket): TimelinePoint {
    return {
      t, sendTps: b.sendCount, consumeTps: b.consumeCount, errors: b.errors,
      sendP99Ms: b.send.totalCount > 0 ? b.send.getValueAtPercentile(99) / 1000 : 0,
      e2eP99Ms: b.e2e.totalCount > 0 ? b.e2e.getValueAtPercentile(99) / 1000 : 0,
    }
  }

  private release(t: number): void {
    const b = this.seconds.get(t)
    if (!b) return
    this.sink?.second(t, b.send, b.e2e)
    destroyHistogram(b.send)
    destroyHistogram(b.e2e)
    this.seconds.delete(t)
  }
}
