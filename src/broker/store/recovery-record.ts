/**
 * How a recovery is told: log lines for the broker log, and one JSON line per recovery that cut or
 * rebuilt something in <storePathRootDir>/recovery.log, which the run reads back into its result and
 * its loss evidence (src/audit/recovery-losses.ts). Written outside the FileIO on purpose, like
 * flush.log: it is evidence about the store, not store data.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import type {RecoveryReport} from './recovery.js'

export const RECOVERY_LOG = 'recovery.log'

/** The JSON line: the report plus when and which store. */
export interface RecoveryRecord extends RecoveryReport {
  atMs: number
  storePathRootDir: string
}

export function recoveryLogLines(r: RecoveryReport, tookMs: number): string[] {
  const lines = [
    `store: ${r.abnormal ? 'abnormal' : 'clean'} recovery in ${tookMs} ms: valid end ${r.validEndOffset}, ` +
      `${r.messagesRedispatched} re-dispatched, ${r.truncatedBytes} bytes truncated` +
      (r.truncatedAt ? ` at ${r.truncatedAt.offset} in ${r.truncatedAt.file} (${r.truncatedAt.reason})` : ''),
  ]
  if (r.truncatedAt && r.truncatedBytes > 0) {
    lines.push(`store: recovery cut ${r.truncatedBytes} bytes holding ${r.recordsBeyond} well-formed record(s) after ${r.truncatedAt.file}:${r.truncatedAt.offset}; ` +
      `kept in ${r.quarantined.map((q) => q.path).join(', ')}`)
  }
  if (r.consumeQueueRebuild) lines.push(`store: ConsumeQueues rebuilt from the CommitLog (${r.consumeQueueRebuild})`)
  return lines
}

export function appendRecoveryRecord(storePathRootDir: string, r: RecoveryReport): void {
  if (!r.truncatedAt && !r.consumeQueueRebuild) return
  const record: RecoveryRecord = {...r, atMs: Date.now(), storePathRootDir}
  fs.appendFileSync(path.join(storePathRootDir, RECOVERY_LOG), `${JSON.stringify(record)}\n`)
}

/** Every recovery record of one store, oldest first; a torn last line is skipped. */
export function readRecoveryRecords(storePathRootDir: string): RecoveryRecord[] {
  let text: string
  try {
    text = fs.readFileSync(path.join(storePathRootDir, RECOVERY_LOG), 'utf8')
  } catch {
    return []
  }
  const out: RecoveryRecord[] = []
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    try {
      out.push(JSON.parse(line) as RecoveryRecord)
    } catch {
      // a line cut by a crash while it was written
    }
  }
  return out
}
