/**
 * SYNC_FLUSH (RocketMQ GroupCommitService): a send waits until the log is synced past its record.
 * One round = one writev of everything staged + one fdatasync, shared by every waiter whose
 * record it covers; sends arriving during a round wait for the next one. A waiter still short at
 * now + syncFlushTimeout gets FLUSH_DISK_TIMEOUT (its message stays stored).
 */
import {OffsetWaiters} from './offset-waiters.js'

export interface FlushTarget {
  flush(): Promise<{flushedOffset: number; syncs: number}>
}

export type FlushWaitStatus = 'PUT_OK' | 'FLUSH_DISK_TIMEOUT'

export interface GroupCommitStats {
  fsyncCount: number
  /** messages covered by those fsyncs (waiting sends and WAIT=false sends alike) */
  flushedMessages: number
  flushedOffset: number
  timeouts: number
}

export class GroupCommitFlusher {
  private readonly waiters = new OffsetWaiters<FlushWaitStatus>()
  private running = false
  private wakeRequested = false
  private stopped = false
  private submittedMessages = 0
  private timer?: NodeJS.Timeout
  private timerDeadline = Infinity
  private readonly counters: GroupCommitStats = {fsyncCount: 0, flushedMessages: 0, flushedOffset: 0, timeouts: 0}

  constructor(
    private readonly target: FlushTarget,
    private readonly opts: {syncFlushTimeout: number; log?: (line: string) => void; onError?: (err: unknown) => void},
  ) {}

  /** The send waits: PUT_OK once synced past `end`, FLUSH_DISK_TIMEOUT at the deadline. */
  waitFlushed(end: number, msgNum = 1): Promise<FlushWaitStatus> {
    if (this.counters.flushedOffset >= end) return Promise.resolve('PUT_OK')
    if (this.stopped) return Promise.resolve('FLUSH_DISK_TIMEOUT')
    this.submittedMessages += msgNum
    const deadline = Date.now() + this.opts.syncFlushTimeout
    const p = this.waiters.add(end, deadline)
    this.armTimer(deadline)
    this.kick()
    return p
  }

  /** WAIT=false: flush soon, nobody waits. */
  wakeup(msgNum = 1): void {
    this.submittedMessages += msgNum
    this.wakeRequested = true
    this.kick()
  }

  stats(): GroupCommitStats {
    return {...this.counters}
  }

  /** Stops the loop; pending waiters get FLUSH_DISK_TIMEOUT. The store does its own final flush. */
  shutdown(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.waiters.resolveAll('FLUSH_DISK_TIMEOUT')
  }

  private kick(): void {
    if (this.running || this.stopped) return
    this.running = true
    queueMicrotask(() => void this.loop())
  }

  private async loop(): Promise<void> {
    try {
      while (!this.stopped && (this.waiters.size > 0 || this.wakeRequested)) {
        this.wakeRequested = false
        const covered = this.submittedMessages
        this.submittedMessages = 0
        const before = this.counters.flushedOffset
        const {flushedOffset, syncs} = await this.target.flush()
        this.counters.fsyncCount += syncs
        this.counters.flushedMessages += covered
        this.counters.flushedOffset = flushedOffset
        const resolved = this.waiters.resolveUpTo(flushedOffset, 'PUT_OK')
        if (resolved === 0 && flushedOffset <= before && this.waiters.size > 0) {
          // No progress: retry shortly instead of spinning on the microtask queue.
          setTimeout(() => this.kick(), 1).unref()
          break
        }
      }
    } catch (err) {
      // As RocketMQ's GroupCommitService answers each request after its flush attempt: a failed
      // write/fsync answers every waiter FLUSH_DISK_TIMEOUT now (the bytes stay staged and are
      // retried), instead of holding the sends for syncFlushTimeout. The store decides whether it
      // stays writeable.
      this.opts.log?.(`store: SYNC_FLUSH flush failed: ${(err as Error).message}`)
      this.counters.timeouts += this.waiters.size
      this.waiters.resolveAll('FLUSH_DISK_TIMEOUT')
      this.opts.onError?.(err)
    } finally {
      this.running = false
    }
  }

  private armTimer(deadline: number): void {
    if (this.timer && this.timerDeadline <= deadline) return
    if (this.timer) clearTimeout(this.timer)
    this.timerDeadline = deadline
    this.timer = setTimeout(() => this.onDeadline(), Math.max(0, deadline - Date.now()))
    this.timer.unref()
  }

  private onDeadline(): void {
    this.timer = undefined
    this.timerDeadline = Infinity
    const before = this.waiters.size
    const next = this.waiters.expire(Date.now(), 'FLUSH_DISK_TIMEOUT')
    this.counters.timeouts += before - this.waiters.size
    if (next !== Infinity) this.armTimer(next)
  }
}
