/**
 * A producer worker's measurements: per-second interval counters and histograms for ticks, and the
 * cumulative measured-window totals for `done`. Warm-up sends are counted on their own and never
 * reach a histogram, so a cold JIT or connection set-up does not colour the percentiles.
 *
 * Two latencies per ack: intended → ack (coordinated-omission corrected, what a user of an open
 * system waits) and send start → ack (service time, what the broker and client cost).
 */
import {
  addSendCounters, emptySendCounters, LatencyRecorder, type SendCounters, type SendStatus,
} from '../metrics/index.js'
import {countError, type ClassifiedError} from './send-outcome.js'

export interface ProducerTickStats {
  counts: SendCounters
  sendHist: string
  serviceHist: string
  byStatus: Partial<Record<SendStatus, string>>
}

export class ProducerStats {
  private interval = emptySendCounters()
  private measured = emptySendCounters()
  private warmup = emptySendCounters()
  private readonly send = new LatencyRecorder()
  private readonly service = new LatencyRecorder()
  private readonly byStatus = new Map<SendStatus, LatencyRecorder>()
  private droppedSeen = 0

  /** One send that got a SendStatus back. Times are epoch ms. */
  ack(status: SendStatus, intendedMs: number, startMs: number, ackMs: number, attempts: number, inWindow: boolean): void {
    const retries = attempts - 1
    this.interval[status]++
    this.interval.retries += retries
    const total = inWindow ? this.measured : this.warmup
    total[status]++
    total.retries += retries
    if (!inWindow) return
    const latencyUs = (ackMs - intendedMs) * 1000
    this.send.record(latencyUs)
    this.service.record((ackMs - startMs) * 1000)
    this.recorderFor(status).record(latencyUs)
  }

  /** A oneway send: only the time to hand the frame to the socket is known. */
  oneway(startMs: number, writtenMs: number, inWindow: boolean): void {
    if (inWindow) this.service.record((writtenMs - startMs) * 1000)
  }

  error(e: ClassifiedError, inWindow: boolean): void {
    countError(this.interval, e)
    this.interval.retries += e.attempts - 1
    const total = inWindow ? this.measured : this.warmup
    countError(total, e)
    total.retries += e.attempts - 1
  }

  /** Drops are reported as a running total by the schedule; attribute the increase to the current phase. */
  dropped(totalDropped: number, inWindow: boolean): void {
    const delta = totalDropped - this.droppedSeen
    if (delta <= 0) return
    this.droppedSeen = totalDropped
    this.interval.dropped += delta
    ;(inWindow ? this.measured : this.warmup).dropped += delta
  }

  /** Values of the interval since the previous call; they move into the cumulative histograms. */
  takeTick(): ProducerTickStats {
    const counts = this.interval
    this.interval = emptySendCounters()
    const byStatus: Partial<Record<SendStatus, string>> = {}
    for (const [status, rec] of this.byStatus) byStatus[status] = rec.takeInterval()
    return {counts, sendHist: this.send.takeInterval(), serviceHist: this.service.takeInterval(), byStatus}
  }

  /** Cumulative measured-window values plus warm-up counts; call after the last takeTick(). */
  totals(): ProducerTickStats & {warmupCounts: SendCounters} {
    const byStatus: Partial<Record<SendStatus, string>> = {}
    for (const [status, rec] of this.byStatus) byStatus[status] = rec.encodeTotal()
    return {
      counts: addSendCounters(this.measured, emptySendCounters()),
      warmupCounts: addSendCounters(this.warmup, emptySendCounters()),
      sendHist: this.send.encodeTotal(),
      serviceHist: this.service.encodeTotal(),
      byStatus,
    }
  }

  destroy(): void {
    this.send.destroy()
    this.service.destroy()
    for (const rec of this.byStatus.values()) rec.destroy()
  }

  private recorderFor(status: SendStatus): LatencyRecorder {
    let rec = this.byStatus.get(status)
    if (rec === undefined) {
      rec = new LatencyRecorder()
      this.byStatus.set(status, rec)
    }
    return rec
  }
}
