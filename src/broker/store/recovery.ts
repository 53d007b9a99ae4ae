/**
 * Startup recovery (RocketMQ recoverNormally / recoverAbnormally), driven by exact offsets from
 * the checkpoint instead of timestamps:
 * 1. ConsumeQueues keep only units for records below logicsDispatchedOffset (D): those were synced.
 * 2. The CommitLog is scanned from the start of the file holding min(D, physicFlushedOffset),
 *    validating each record (magic, size, fields, CRC, PHYSICALOFFSET == position) and following
 *    end-of-file blanks. Records at or past D are re-dispatched to the ConsumeQueues.
 * 3. The first invalid record — or a zero header — ends the valid data; the CommitLog is cut there
 *    (stale bytes zeroed, later files deleted) and ConsumeQueue units beyond it are dropped.
 * Clean and abnormal starts run the same steps; after a clean shutdown D is the end of the log, so
 * the scan is one file and nothing is re-dispatched.
 */
import {BLANK_MAGIC, checkRecord} from '../../protocol/message/index.js'
import {StoreCorruptError} from '../../errors.js'
import type {CommitLog} from './commit-log.js'
import type {ConsumeQueue} from './consume-queue.js'
import type {MappedFile} from './mapped-file.js'
import {dispatchRequestOf, type DispatchRequest} from './reput-dispatcher.js'
import type {StoreCheckpointData} from './store-checkpoint.js'

export interface RecoveryReport {
  abnormal: boolean
  validEndOffset: number
  /** bytes of non-zero data found after the valid end and discarded (scanned in abnormal recovery only) */
  truncatedBytes: number
  truncatedAt: {file: string; offset: number; reason: string} | undefined
  messagesRedispatched: number
  consumeQueueUnitsDropped: number
}

export interface RecoveryContext {
  commitLog: CommitLog
  /** live map: queues created by re-dispatch are included in later passes */
  consumeQueues: Map<string, ConsumeQueue>
  checkpoint: StoreCheckpointData
  abnormal: boolean
  checkCRCOnRecover: boolean
  dispatch: (req: DispatchRequest) => void
}

const WINDOW_BYTES = 8 * 1024 * 1024
const STALE_SCAN_ZERO_WINDOWS = 16

interface ScanStop {
  pos: number
  kind: 'blank' | 'zero' | 'invalid'
  reason: string
}

export async function recoverStore(ctx: RecoveryContext): Promise<RecoveryReport> {
  const dispatchedBelow = ctx.checkpoint.logicsDispatchedOffset
  let unitsDropped = 0
  for (const cq of ctx.consumeQueues.values()) unitsDropped += await cq.recover(dispatchedBelow)
  const files = ctx.commitLog.queue.files
  const report: RecoveryReport = {
    abnormal: ctx.abnormal, validEndOffset: 0, truncatedBytes: 0, truncatedAt: undefined, messagesRedispatched: 0, consumeQueueUnitsDropped: 0,
  }
  let validEnd = files[0]?.fileFromOffset ?? 0
  const startOffset = Math.min(dispatchedBelow, ctx.checkpoint.physicFlushedOffset)
  let i = files.length === 0 ? 0 : Math.max(0, Math.min(files.length - 1, Math.floor((startOffset - files[0]!.fileFromOffset) / ctx.commitLog.fileSize)))
  for (; i < files.length; i++) {
    const file = files[i]!
    const {stop, dispatched} = scanFile(file, ctx, dispatchedBelow)
    report.messagesRedispatched += dispatched
    if (stop.kind === 'blank') {
      validEnd = file.fileFromOffset + file.fileSize
      continue
    }
    validEnd = file.fileFromOffset + stop.pos
    if (stop.kind === 'invalid') report.truncatedAt = {file: file.filePath, offset: validEnd, reason: stop.reason}
    break
  }
  if (ctx.abnormal) report.truncatedBytes = staleBytesAfter(ctx.commitLog, validEnd)
  if (report.truncatedBytes > 0 && !report.truncatedAt) {
    const f = ctx.commitLog.queue.findByOffset(validEnd) ?? files[files.length - 1]!
    report.truncatedAt = {file: f.filePath, offset: validEnd, reason: 'zero header, stale bytes after it (torn write)'}
  }
  await ctx.commitLog.queue.truncateFrom(validEnd)
  if (validEnd < dispatchedBelow) for (const cq of ctx.consumeQueues.values()) unitsDropped += await cq.recover(validEnd)
  report.validEndOffset = validEnd
  report.consumeQueueUnitsDropped = unitsDropped
  return report
}

/** Walks one file's records; dispatches those at or past `dispatchedBelow`. */
function scanFile(file: MappedFile, ctx: RecoveryContext, dispatchedBelow: number): {stop: ScanStop; dispatched: number} {
  let dispatched = 0
  let winStart = 0
  let win: Buffer = Buffer.alloc(0)
  const ensure = (pos: number, len: number): void => {
    if (pos >= winStart && pos + len <= winStart + win.length) return
    winStart = pos
    win = readFile(file, pos, Math.min(Math.max(WINDOW_BYTES, len), file.fileSize - pos))
  }
  let pos = 0
  while (pos + 8 <= file.fileSize) {
    ensure(pos, 8)
    const size = win.readInt32BE(pos - winStart)
    const magic = win.readInt32BE(pos - winStart + 4)
    if (magic === BLANK_MAGIC) return {stop: {pos, kind: 'blank', reason: 'end-of-file blank'}, dispatched}
    if (size === 0 && magic === 0) return {stop: {pos, kind: 'zero', reason: 'end of data'}, dispatched}
    if (size < 8 || pos + size > file.fileSize) return {stop: {pos, kind: 'invalid', reason: `bad size ${size}`}, dispatched}
    ensure(pos, size)
    const at = pos - winStart
    const phy = file.fileFromOffset + pos
    const check = checkRecord(win, at, at + size, {checkCrc: ctx.checkCRCOnRecover, expectedCommitLogOffset: phy})
    if (check.kind !== 'message') {
      return {stop: {pos, kind: 'invalid', reason: check.kind === 'invalid' ? check.reason : 'unexpected blank'}, dispatched}
    }
    if (phy >= dispatchedBelow) {
      ctx.dispatch(dispatchRequestOf(win, at, check))
      dispatched++
    }
    pos += size
  }
  return {stop: {pos, kind: 'invalid', reason: 'record runs into the end of the file without a blank'}, dispatched}
}

function readFile(file: MappedFile, pos: number, len: number): Buffer {
  try {
    return file.read(pos, len)
  } catch (err) {
    throw new StoreCorruptError(`${file.filePath}: unreadable at ${pos} (${(err as Error).message})`, {
      file: file.filePath, offset: file.fileFromOffset + pos, cause: err,
    })
  }
}

/** Non-zero bytes after `validEnd` (a torn tail); stops after a long run of zeros, so it is a lower bound. */
function staleBytesAfter(commitLog: CommitLog, validEnd: number): number {
  let total = 0
  const window = 1024 * 1024
  for (const f of commitLog.queue.files) {
    const from = Math.max(0, validEnd - f.fileFromOffset)
    if (from >= f.fileSize) continue
    let zeroWindows = 0
    let lastNonZero = -1
    for (let pos = from; pos < f.fileSize && zeroWindows < STALE_SCAN_ZERO_WINDOWS; pos += window) {
      const buf = readFile(f, pos, Math.min(window, f.fileSize - pos))
      let k = buf.length - 1
      while (k >= 0 && buf[k] === 0) k--
      if (k >= 0) {
        lastNonZero = pos + k
        zeroWindows = 0
      } else zeroWindows++
    }
    if (lastNonZero >= 0) total += lastNonZero + 1 - from
  }
  return total
}
