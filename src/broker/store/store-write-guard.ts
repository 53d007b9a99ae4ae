/**
 * The store's reaction to a failed write or fsync: puts are refused (SERVICE_NOT_AVAILABLE, as
 * RocketMQ's runningFlags do for a full or broken disk) until a retry of the pending bytes succeeds.
 * The staged records stay in memory; the probe writes and syncs them again every
 * IO_PROBE_INTERVAL_MS, and the first success makes the store writeable once more.
 */
import type {CommitLog} from './commit-log.js'

/** How often a store that hit a write/fsync error retries its pending bytes. */
const IO_PROBE_INTERVAL_MS = 100

export class StoreWriteGuard {
  private error?: Error

  constructor(
    private readonly commitLog: CommitLog,
    private readonly log: (line: string) => void,
    private readonly isClosed: () => boolean,
  ) {}

  /** True while a write or fsync has failed and no retry has succeeded yet. */
  get failed(): boolean {
    return this.error !== undefined
  }

  fail(err: unknown): void {
    if (this.error) return
    this.error = err as Error
    this.log(`store: write failed, store not writeable until a retry succeeds: ${(err as Error).message}`)
    this.probe()
  }

  private probe(): void {
    const timer = setTimeout(() => {
      if (this.isClosed()) return
      this.commitLog.flush().then(() => {
        this.error = undefined
        this.log('store: write and fsync succeed again, store writeable')
      }, () => this.probe())
    }, IO_PROBE_INTERVAL_MS)
    timer.unref()
  }
}
