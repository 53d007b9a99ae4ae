/**
 * A counting semaphore with a FIFO wait queue: bounds async sends in flight (style rule 8) so an
 * open-loop workload that outruns the broker waits for a slot instead of growing memory.
 */
export class InFlightLimiter {
  private inUse = 0
  private readonly waiters: Array<() => void> = []

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`in-flight limit must be a positive integer, got ${limit}`)
  }

  get inFlight(): number {
    return this.inUse
  }

  get waiting(): number {
    return this.waiters.length
  }

  acquire(): Promise<void> | undefined {
    if (this.inUse < this.limit) {
      this.inUse++
      return undefined
    }
    return new Promise<void>((resolve) => this.waiters.push(resolve))
  }

  /** Hands the slot straight to the oldest waiter, so inUse never dips and lets a newcomer jump the queue. */
  release(): void {
    const next = this.waiters.shift()
    if (next !== undefined) next()
    else this.inUse--
  }
}
