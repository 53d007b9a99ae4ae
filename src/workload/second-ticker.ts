/**
 * The per-second tick clock both workers share. Ticks fire on whole seconds of the measured window,
 * so every worker's t lines up across processes; tick k covers [k, k+1) s (negative k = warm-up).
 * A timer that fires early or late never repeats or skips a label: the next k is at least one past
 * the last.
 */
export class SecondTicker {
  private timer: NodeJS.Timeout | undefined
  private nextSecond = -Infinity

  constructor(
    private readonly now: () => number,
    /** A getter: the producer learns its window only when it starts. */
    private readonly measureFromMs: () => number,
  ) {}

  secondsSinceMeasure(): number {
    return Math.floor((this.now() - this.measureFromMs()) / 1000)
  }

  /** The interval the values since the last tick belong to (the one whose timer is pending). */
  pendingSecond(): number {
    return Number.isFinite(this.nextSecond) ? this.nextSecond - 1 : this.secondsSinceMeasure()
  }

  /** Calls onTick(k) at the end of each second k until it returns false or stop() is called. */
  start(onTick: (k: number) => boolean): void {
    const sinceMs = this.now() - this.measureFromMs()
    const k = Math.max(this.nextSecond, Math.floor(sinceMs / 1000))
    this.nextSecond = k + 1
    this.timer = setTimeout(() => {
      if (onTick(k)) this.start(onTick)
    }, Math.max(1, Math.ceil((k + 1) * 1000 - sinceMs)))
  }

  stop(): void {
    clearTimeout(this.timer)
  }
}
