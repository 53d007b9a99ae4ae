/**
 * The embedded store's flush.log (one JSON line per ASYNC_FLUSH flush, written by the broker's
 * IntervalFlusher as evidence for the power-loss verdict): read back after the run, a torn last line
 * skipped. Real RocketMQ writes no such log; its cluster answers "no flush known".
 */
import {readFileSync} from 'node:fs'
import {FLUSH_LOG_FILE_NAME, type FlushRecord} from '../broker/store/flush/interval-flusher.js'

export type FlushLogRecord = FlushRecord

export {FLUSH_LOG_FILE_NAME}

export function readFlushLog(path: string): FlushLogRecord[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return []
  }
  const out: FlushLogRecord[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    try {
      const r = JSON.parse(line) as FlushLogRecord
      if (typeof r.startMs === 'number' && typeof r.timeMs === 'number') out.push(r)
    } catch {
      // a line cut by the power loss itself
    }
  }
  return out
}

/** The last flush that completed before a cut: when it began, and the CommitLog offset it synced to. */
export interface LastFlush {
  startMs: number
  flushedOffset: number
}

/** The flush that completed before `cutMs` and began last. */
export function lastFlushBefore(flushes: readonly FlushLogRecord[], cutMs: number): LastFlush | undefined {
  let best: FlushLogRecord | undefined
  for (const f of flushes) if (f.timeMs <= cutMs && (best === undefined || f.startMs > best.startMs)) best = f
  return best && {startMs: best.startMs, flushedOffset: best.flushedOffset}
}
