/**
 * ASYNC_FLUSH (RocketMQ FlushRealTimeService): every flushIntervalCommitLog ms, sync if at least
 * flushCommitLogLeastPages dirty pages sit in the file at the flush point; every
 * flushCommitLogThoroughInterval ms sync whatever is dirty. Every flush is recorded (time, offset)
 * because the power-loss verdict needs "the last flush before the cut".
 */
export interface IntervalFlushTarget {
  isAbleToFlush(leastPages: number): boolean
  flush(): Promise<{flushedOffset: number; syncs: number}>
}

export interface IntervalFlusherOptions {
  flushIntervalCommitLog: number
  flushCommitLogLeastPages: number
  flushCommitLogThoroughInterval: number
  flushCommitLogTimed: boolean
}

/** <storePathRootDir>/flush.log: one FlushRecord per line, evidence for the power-loss verdict. */
export const FLUSH_LOG_FILE_NAME = 'flush.log'

export interface FlushRecord {
  /** when the flush began: every record acknowledged before it is covered by flushedOffset */
  startMs: number
  timeMs: number
  flushedOffset: number
  thorough: boolean
}

export interface IntervalFlusherStats {
  flushCount: number
  fsyncCount: number
  lastFlush?: FlushRecord
}

export class IntervalFlusher {
  private stopped = true
  private lastThoroughMs = Date.now()
  private sleepTimer?: NodeJS.Timeout
  private wake?: () => void
  private loopDone?: Promise<void>
  private readonly counters: IntervalFlusherStats = {flushCount: 0, fsyncCount: 0}

  constructor(
    private readonly target: IntervalFlushTarget,
    private readonly opts: IntervalFlusherOptions,
    private readonly onFlush: (record: FlushRecord) => void = () => undefined,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.loopDone = this.loop()
  }

  /** A put arrived; only shortens the wait when flushCommitLogTimed is false (as in RocketMQ). */
  wakeup(): void {
    if (!this.opts.flushCommitLogTimed) this.wake?.()
  }

  stats(): IntervalFlusherStats {
    return {...this.counters}
  }

  /** Stops the loop (no final flush: the store's shutdown flushes everything itself). */
  async shutdown(): Promise<void> {
    this.stopped = true
    this.wake?.()
    await this.loopDone
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      await this.sleep(this.opts.flushIntervalCommitLog)
      if (this.stopped) break
      try {
        await this.tick()
      } catch (err) {
        this.log(`store: ASYNC_FLUSH flush failed: ${(err as Error).message}`)
      }
    }
  }

  private async tick(): Promise<void> {
    const now = Date.now()
    const thorough = now - this.lastThoroughMs >= this.opts.flushCommitLogThoroughInterval
    if (thorough) this.lastThoroughMs = now
    const leastPages = thorough ? 0 : this.opts.flushCommitLogLeastPages
    if (!this.target.isAbleToFlush(leastPages)) return
    const startMs = Date.now()
    const {flushedOffset, syncs} = await this.target.flush()
    this.counters.flushCount++
    this.counters.fsyncCount += syncs
    const record = {startMs, timeMs: Date.now(), flushedOffset, thorough}
    this.counters.lastFlush = record
    this.onFlush(record)
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        if (this.sleepTimer) clearTimeout(this.sleepTimer)
        this.sleepTimer = undefined
        this.wake = undefined
        resolve()
      }
      this.wake = done
      this.sleepTimer = setTimeout(done, ms)
      this.sleepTimer.unref()
    })
  }
}
