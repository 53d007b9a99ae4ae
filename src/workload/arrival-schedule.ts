/**
 * Open-loop arrival schedule: send i is *intended* to start at startMs + i / rate, whatever happened to
 * the sends before it. Latency is then measured from that intended time, so a stalled broker shows up
 * as latency instead of as a quietly lower send rate (coordinated omission, as wrk2 corrects it).
 *
 * The schedule never slows down. When the driver falls behind (no free in-flight slot, a GC pause, a
 * paused broker), due sends queue up as backlog and start late, each keeping its own intended time.
 * Once the backlog is older than maxBacklogMs those oldest slots are given up and counted as dropped
 * (k6's "dropped iterations"), so a long stall cannot build an unbounded burst.
 *
 * rate 0 means closed loop: as fast as the in-flight bound allows, and the intended time of a send is
 * the moment a slot frees up (latency = service time plus the driver's own delay).
 *
 * The class is a pure state machine over the times it is given, so it is tested with a fake clock.
 */

export interface ArrivalScheduleOptions {
  /** Sends per second; 0 = closed loop (as fast as free slots allow). */
  ratePerSec: number
  /** Epoch ms (fractional) of slot 0. */
  startMs: number
  /** Length of the schedule from startMs; slots at or after startMs + durationMs are never due. */
  durationMs: number
  /** A due slot older than this (relative to now) is dropped instead of started. Default 1000. */
  maxBacklogMs?: number
}

export const DEFAULT_MAX_BACKLOG_MS = 1000

export class ArrivalSchedule {
  readonly ratePerSec: number
  readonly startMs: number
  readonly endMs: number
  private readonly intervalMs: number
  private readonly maxBacklogMs: number
  /** Total slots for an open-loop schedule; Infinity for closed loop (bounded by endMs instead). */
  private readonly totalSlots: number
  private nextSlot = 0
  private droppedCount = 0
  private startedCount = 0

  constructor(opts: ArrivalScheduleOptions) {
    if (!(opts.ratePerSec >= 0) || !Number.isFinite(opts.ratePerSec)) throw new RangeError(`ratePerSec must be ≥ 0, got ${opts.ratePerSec}`)
    if (!(opts.durationMs >= 0)) throw new RangeError(`durationMs must be ≥ 0, got ${opts.durationMs}`)
    this.ratePerSec = opts.ratePerSec
    this.startMs = opts.startMs
    this.endMs = opts.startMs + opts.durationMs
    this.intervalMs = opts.ratePerSec > 0 ? 1000 / opts.ratePerSec : 0
    this.maxBacklogMs = opts.maxBacklogMs ?? DEFAULT_MAX_BACKLOG_MS
    this.totalSlots = opts.ratePerSec > 0 ? Math.max(0, Math.ceil((opts.durationMs * opts.ratePerSec) / 1000 - 1e-9)) : Infinity
  }

  get closedLoop(): boolean {
    return this.ratePerSec === 0
  }

  /** Slots given up because the backlog grew older than maxBacklogMs. */
  get dropped(): number {
    return this.droppedCount
  }

  /** Slots handed out by take(). */
  get started(): number {
    return this.startedCount
  }

  /** Intended start of slot i (open loop). */
  intendedAt(slot: number): number {
    return this.startMs + slot * this.intervalMs
  }

  /** True once every slot is started or dropped (open loop) or the end time passed (closed loop). */
  finished(nowMs: number): boolean {
    if (this.closedLoop) return nowMs >= this.endMs
    return this.nextSlot >= this.totalSlots
  }

  /**
   * When the next slot becomes due; undefined when none is left. The driver sleeps until then unless
   * it is waiting for a free slot instead.
   */
  nextDueMs(nowMs: number): number | undefined {
    if (this.closedLoop) return nowMs < this.endMs ? Math.max(nowMs, this.startMs) : undefined
    return this.nextSlot < this.totalSlots ? this.intendedAt(this.nextSlot) : undefined
  }

  /** Slots due at nowMs that have not been started yet (after dropping the too-old ones). */
  backlog(nowMs: number): number {
    this.dropStale(nowMs)
    if (this.closedLoop) return 0
    return this.dueSlots(nowMs) - this.nextSlot
  }

  /**
   * Hands out up to freeSlots due sends, writing their intended times into out[0..n) and returning n.
   * Slots more than maxBacklogMs behind nowMs are dropped first. `out` is reused by the caller so the
   * hot path allocates nothing.
   */
  take(nowMs: number, freeSlots: number, out: number[]): number {
    if (freeSlots <= 0) {
      this.dropStale(nowMs)
      return 0
    }
    if (this.closedLoop) {
      if (nowMs < this.startMs || nowMs >= this.endMs) return 0
      for (let i = 0; i < freeSlots; i++) out[i] = nowMs
      this.startedCount += freeSlots
      return freeSlots
    }
    this.dropStale(nowMs)
    const n = Math.min(freeSlots, this.dueSlots(nowMs) - this.nextSlot)
    for (let i = 0; i < n; i++) out[i] = this.intendedAt(this.nextSlot + i)
    this.nextSlot += Math.max(0, n)
    this.startedCount += Math.max(0, n)
    return Math.max(0, n)
  }

  /** Number of slots whose intended time is ≤ nowMs (exclusive upper index). */
  private dueSlots(nowMs: number): number {
    if (nowMs < this.startMs) return 0
    const due = Math.floor((nowMs - this.startMs) / this.intervalMs) + 1
    return Math.min(due, this.totalSlots)
  }

  private dropStale(nowMs: number): void {
    if (this.closedLoop) return
    const oldestAllowedMs = nowMs - this.maxBacklogMs
    if (this.nextSlot >= this.totalSlots || this.intendedAt(this.nextSlot) >= oldestAllowedMs) return
    // First slot whose intended time is still within the bound.
    let keep = Math.ceil((oldestAllowedMs - this.startMs) / this.intervalMs)
    if (this.intendedAt(keep) < oldestAllowedMs) keep++
    keep = Math.min(keep, this.totalSlots)
    this.droppedCount += keep - this.nextSlot
    this.nextSlot = keep
  }
}
