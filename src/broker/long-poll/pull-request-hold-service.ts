/**
 * Long polling (RocketMQ PullRequestHoldService): a pull that found nothing and carries SUSPEND is
 * parked until a message is dispatched to its queue or its suspendTimeoutMillis passes, then re-run
 * once without suspension. RocketMQ re-checks every 5 s and on each arrival; we arm one timer per
 * request and wake on the store's dispatch callback, so an arrival is answered at once.
 */

interface HeldRequest {
  offset: number
  timer: NodeJS.Timeout
  wake: () => void
}

/** Bound on parked pulls: beyond it a pull is answered PULL_NOT_FOUND immediately. */
export const DEFAULT_MAX_HELD_PULLS = 10_000

export class PullRequestHoldService {
  private readonly held = new Map<string, Set<HeldRequest>>()
  private count = 0
  private stopped = false

  constructor(private readonly maxHeld = DEFAULT_MAX_HELD_PULLS) {}

  /** Parks a pull; `wake` runs exactly once (arrival, timeout or stop). false = not parked. */
  hold(topic: string, queueId: number, offset: number, timeoutMs: number, wake: () => void): boolean {
    if (this.stopped || this.count >= this.maxHeld) return false
    const key = `${topic}@${queueId}`
    let set = this.held.get(key)
    if (!set) this.held.set(key, (set = new Set()))
    const req: HeldRequest = {offset, wake, timer: setTimeout(() => this.release(key, req), Math.max(0, timeoutMs))}
    set.add(req)
    this.count++
    return true
  }

  /** The store dispatched up to `maxOffset` (exclusive) for this queue: wake pulls waiting below it. */
  notifyMessageArriving(topic: string, queueId: number, maxOffset: number): void {
    // Runs for every dispatched message: with nothing parked, skip building the key.
    if (this.count === 0) return
    const key = `${topic}@${queueId}`
    const set = this.held.get(key)
    if (!set) return
    for (const req of [...set]) if (req.offset < maxOffset) this.release(key, req)
  }

  heldCount(): number {
    return this.count
  }

  /** Broker shutdown: answer everything that is parked so clients are not left hanging. */
  stop(): void {
    this.stopped = true
    for (const [key, set] of this.held) for (const req of [...set]) this.release(key, req)
  }

  private release(key: string, req: HeldRequest): void {
    const set = this.held.get(key)
    if (!set?.delete(req)) return
    if (set.size === 0) this.held.delete(key)
    this.count--
    clearTimeout(req.timer)
    req.wake()
  }
}
