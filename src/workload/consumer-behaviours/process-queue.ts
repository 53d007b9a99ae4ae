/**
 * The offsets of one queue that were pulled but not yet acknowledged (RocketMQ ProcessQueue,
 * rocketmq-protocol.md §9.4). The offset a push consumer may commit is the smallest one still in
 * flight — or, when none is, one past the highest ever added — so a single slow or failing message
 * holds the committed offset of its whole queue back, and a crash redelivers rather than skips.
 */
export class ProcessQueue {
  private readonly inFlight = new Set<number>()
  private maxAdded = -1

  get size(): number {
    return this.inFlight.size
  }

  add(offsets: Iterable<number>): void {
    for (const o of offsets) {
      this.inFlight.add(o)
      if (o > this.maxAdded) this.maxAdded = o
    }
  }

  remove(offset: number): void {
    this.inFlight.delete(offset)
  }

  /** undefined until something was added: nothing consumed, nothing to commit. */
  commitCandidate(): number | undefined {
    if (this.maxAdded < 0) return undefined
    let min = this.maxAdded + 1
    // A batch is at most a few dozen offsets: a scan is cheaper than keeping a heap in order.
    for (const o of this.inFlight) if (o < min) min = o
    return min
  }
}
