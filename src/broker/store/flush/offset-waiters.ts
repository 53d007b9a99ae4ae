/**
 * Callers waiting for a log offset to be reached (written, flushed, replicated). Appends are
 * ordered, so targets and deadlines arrive in increasing order and a FIFO is enough: everything
 * resolvable sits at the head.
 */
interface Waiter<T> {
  target: number
  deadline: number
  resolve: (value: T) => void
  reject: (err: unknown) => void
}

export class OffsetWaiters<T> {
  private items: Waiter<T>[] = []
  private head = 0

  get size(): number {
    return this.items.length - this.head
  }

  add(target: number, deadline = Infinity): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.items.push({target, deadline, resolve, reject})
    })
  }

  /** Resolves, in order, every waiter whose target is ≤ offset; returns how many. */
  resolveUpTo(offset: number, value: T): number {
    let n = 0
    while (this.head < this.items.length && this.items[this.head]!.target <= offset) {
      this.items[this.head++]!.resolve(value)
      n++
    }
    this.compact()
    return n
  }

  /** Resolves the waiters whose deadline has passed with `value`; returns the next deadline (Infinity if none). */
  expire(nowMs: number, value: T): number {
    while (this.head < this.items.length && this.items[this.head]!.deadline <= nowMs) this.items[this.head++]!.resolve(value)
    this.compact()
    return this.head < this.items.length ? this.items[this.head]!.deadline : Infinity
  }

  nextDeadline(): number {
    return this.head < this.items.length ? this.items[this.head]!.deadline : Infinity
  }

  resolveAll(value: T): void {
    for (let i = this.head; i < this.items.length; i++) this.items[i]!.resolve(value)
    this.items = []
    this.head = 0
  }

  rejectAll(err: unknown): void {
    for (let i = this.head; i < this.items.length; i++) this.items[i]!.reject(err)
    this.items = []
    this.head = 0
  }

  private compact(): void {
    if (this.head === this.items.length) {
      this.items = []
      this.head = 0
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
  }
}
