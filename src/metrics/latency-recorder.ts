/**
 * One latency series inside a worker: an interval histogram that is encoded and reset once per tick,
 * and a cumulative one for the final `done` message. The two histograms are created once and owned
 * here, so WASM memory has exactly one owner and one release point (destroy()).
 */
import {
  createLatencyHistogram, destroyHistogram, encodeHistogram, mergeInto, recordLatencyUs, summarize,
  type Histogram, type LatencySummary,
} from './histograms.js'

export class LatencyRecorder {
  private readonly interval: Histogram = createLatencyHistogram()
  private readonly total: Histogram = createLatencyHistogram()
  private destroyed = false

  record(us: number): void {
    recordLatencyUs(this.interval, us)
  }

  /** Values recorded since the previous call; they also move into the cumulative histogram. */
  takeInterval(): string {
    const encoded = encodeHistogram(this.interval)
    mergeInto(this.total, this.interval)
    this.interval.reset()
    return encoded
  }

  /** Everything recorded so far, including the interval not yet taken; takes nothing away from the next interval. */
  encodeTotal(): string {
    return this.withSnapshot(encodeHistogram)
  }

  summarizeTotal(): LatencySummary {
    return this.withSnapshot(summarize)
  }

  destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    destroyHistogram(this.interval)
    destroyHistogram(this.total)
  }

  private withSnapshot<T>(read: (h: Histogram) => T): T {
    if (this.interval.totalCount === 0) return read(this.total)
    const snapshot = createLatencyHistogram()
    try {
      mergeInto(snapshot, this.total)
      mergeInto(snapshot, this.interval)
      return read(snapshot)
    } finally {
      destroyHistogram(snapshot)
    }
  }
}
