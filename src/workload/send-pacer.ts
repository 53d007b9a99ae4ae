/**
 * Drives an ArrivalSchedule with real timers. setTimeout cannot hit 50 µs intervals (20k msg/s) and on
 * a busy machine it fires late, so the pacer never relies on one timer per send: each wake-up starts
 * *every* send that is due by then (bounded by free in-flight slots), then sleeps until the next due
 * slot (≥ 1 ms). Intended times are absolute, so a late wake-up changes latency, never the rate.
 * When all in-flight slots are busy the pacer waits for a completion instead of a timer.
 */
import type {ArrivalSchedule} from './arrival-schedule.js'

export interface SendPacerOptions {
  schedule: ArrivalSchedule
  /** Upper bound of concurrently outstanding sends. */
  maxInFlight: number
  /** Epoch ms with sub-ms precision. */
  now?: () => number
  /**
   * Called once per wake-up with the intended times of the sends about to start (out[0..n)), before
   * any of them is issued: the producer ledger makes their START records durable here.
   */
  beforeBatch?: (intended: number[], n: number) => void
  /** Starts one send; must settle (never reject) once the send has an outcome. */
  issue: (intendedMs: number, indexInBatch: number) => Promise<void>
}

export interface PacerStats {
  started: number
  dropped: number
  /** Largest observed (actual start − intended start), ms: how far the driver itself fell behind. */
  maxStartLagMs: number
}

export function epochNowMs(): number {
  return performance.timeOrigin + performance.now()
}

export class SendPacer {
  private readonly opts: SendPacerOptions
  private readonly now: () => number
  private readonly batch: number[] = []
  private inFlight = 0
  private stopped = false
  private timer: NodeJS.Timeout | undefined
  private immediate: NodeJS.Immediate | undefined
  private waitingForSlot = false
  private maxStartLagMs = 0
  private resolveRun: ((stats: PacerStats) => void) | undefined
  private readonly onSettled = (): void => {
    this.inFlight--
    if (this.waitingForSlot || this.stopped || this.inFlight === 0) this.scheduleImmediate()
  }

  constructor(opts: SendPacerOptions) {
    if (!(opts.maxInFlight >= 1)) throw new RangeError(`maxInFlight must be ≥ 1, got ${opts.maxInFlight}`)
    this.opts = opts
    this.now = opts.now ?? epochNowMs
  }

  get outstanding(): number {
    return this.inFlight
  }

  /** Runs the schedule to its end (or until stop()) and resolves once no send is outstanding. */
  run(): Promise<PacerStats> {
    return new Promise((resolve) => {
      this.resolveRun = resolve
      this.wake()
    })
  }

  /** Starts no further sends; run() resolves when the outstanding ones settle. */
  stop(): void {
    this.stopped = true
    this.scheduleImmediate()
  }

  private wake(): void {
    this.timer = undefined
    this.immediate = undefined
    const {schedule} = this.opts
    let now = this.now()
    if (!this.stopped) {
      const n = schedule.take(now, this.opts.maxInFlight - this.inFlight, this.batch)
      if (n > 0) this.startBatch(n, now)
      now = this.now()
    }
    if (this.stopped || schedule.finished(now)) {
      if (this.inFlight === 0) this.finish()
      return // the last completion wakes us again
    }
    this.waitingForSlot = this.inFlight >= this.opts.maxInFlight
    if (this.waitingForSlot) return
    const next = schedule.nextDueMs(now)
    if (next === undefined) return
    const delayMs = next - now
    if (delayMs <= 0) this.scheduleImmediate()
    else this.timer = setTimeout(() => this.wake(), Math.max(1, Math.floor(delayMs)))
  }

  private startBatch(n: number, now: number): void {
    const lag = now - this.batch[0]!
    if (lag > this.maxStartLagMs) this.maxStartLagMs = lag
    this.opts.beforeBatch?.(this.batch, n)
    this.inFlight += n
    for (let i = 0; i < n; i++) this.opts.issue(this.batch[i]!, i).then(this.onSettled, this.onSettled)
  }

  private scheduleImmediate(): void {
    if (this.immediate !== undefined) return
    if (this.timer !== undefined) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    this.immediate = setImmediate(() => this.wake())
  }

  private finish(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    const resolve = this.resolveRun
    this.resolveRun = undefined
    resolve?.({started: this.opts.schedule.started, dropped: this.opts.schedule.dropped, maxStartLagMs: this.maxStartLagMs})
  }
}
