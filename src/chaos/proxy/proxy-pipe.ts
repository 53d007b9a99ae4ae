/**
 * One direction of one proxied connection. Chunks are forwarded at once when the route is healthy
 * (the fast path: one write, no timer); under latency or bandwidth they queue with a due time, and
 * one timer walks the queue, so order is kept and a changed fault applies to new chunks only.
 */
import type {Socket} from 'node:net'
import {delayApplies, type NetFaults} from './net-faults.js'

interface Queued {
  dueMs: number
  chunk: Buffer
}

export class ProxyPipe {
  private readonly queue: Queued[] = []
  private timer?: NodeJS.Timeout
  /** When the last queued chunk finishes "transmitting" at the configured bandwidth. */
  private lineFreeMs = 0
  private lastDueMs = 0
  /** Bytes were discarded (blackhole): this stream can never be trusted again. */
  tainted = false
  bytes = 0

  constructor(
    private readonly to: Socket,
    private readonly dir: 'up' | 'down',
    private readonly faults: () => NetFaults,
    private readonly random: () => number,
  ) {}

  push(chunk: Buffer): void {
    const f = this.faults()
    if (f.blackhole) {
      this.tainted = true
      return
    }
    this.bytes += chunk.length
    const delay = delayApplies(f, this.dir) ? this.delayMs(f) : 0
    if (delay === 0 && !f.bytesPerSec && this.queue.length === 0) {
      this.to.write(chunk)
      return
    }
    const now = Date.now()
    let due = Math.max(now + delay, this.lastDueMs)
    if (f.bytesPerSec) {
      const start = Math.max(due, this.lineFreeMs)
      this.lineFreeMs = start + (chunk.length * 1000) / f.bytesPerSec
      due = this.lineFreeMs
    }
    this.lastDueMs = due
    this.queue.push({dueMs: due, chunk})
    this.arm()
  }

  /** Bytes still queued (a closing side waits for them, as TCP delivers before the FIN). */
  get pending(): number {
    return this.queue.length
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.queue.length = 0
  }

  onDrained?: () => void

  private delayMs(f: NetFaults): number {
    const base = f.latencyMs ?? 0
    const jitter = f.jitterMs ?? 0
    return Math.max(0, base + (jitter > 0 ? (this.random() * 2 - 1) * jitter : 0))
  }

  private arm(): void {
    if (this.timer || this.queue.length === 0) return
    this.timer = setTimeout(() => this.flush(), Math.max(0, this.queue[0]!.dueMs - Date.now()))
  }

  private flush(): void {
    this.timer = undefined
    const now = Date.now()
    let i = 0
    while (i < this.queue.length && this.queue[i]!.dueMs <= now) this.to.write(this.queue[i++]!.chunk)
    this.queue.splice(0, i)
    if (this.queue.length > 0) this.arm()
    else this.onDrained?.()
  }
}
