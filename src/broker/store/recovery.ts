/**
 * Startup recovery (RocketMQ recoverNormally / recoverAbnormally), driven by exact offsets from
 * the checkpoint instead of timestamps:
 * 1. ConsumeQueues keep only units for records below logicsDispatchedOffset (D): those were synced.
 * 2. The CommitLog is scanned from the start of the file holding min(D, physicFlushedOffset),
 *    validating each record (magic, size, fields, CRC, PHYSICALOFFSET == position, a QUEUEOFFSET the
 *    position can hold) and following end-of-file blanks. Records at or past D are re-dispatched to
 *    the ConsumeQueues, each only at its queue's end.
 * 3. The first invalid record — or a zero header — ends the valid data; the CommitLog is cut there
 *    (stale bytes zeroed, later files deleted) and ConsumeQueue units beyond it are dropped. Every
 *    non-zero byte past the cut is first copied to quarantine/ and described in the report
 *    (recovery-evidence.ts): the cut keeps RocketMQ's policy but never destroys its evidence.
 * Clean and abnormal starts run the same steps; after a clean shutdown D is the end of the log, so
 * the scan is one file and nothing is re-dispatched.
 */
import {BLANK_MAGIC, checkRecord} from '../../protocol/message/index.js'
import {StoreCorruptError} from '../../errors.js'
import type {CommitLog} from './commit-log.js'
import type {ConsumeQueue} from './consume-queue.js'
import type {FileIO} from './io/file-io.js'
import type {MappedFile} from './mapped-file.js'
import {countWellFormed, quarantineExtents, tailExtents, type QuarantinedBytes} from './recovery-evidence.js'
import {dispatchRequestOf, type DispatchRequest} from './reput-dispatcher.js'
import type {StoreCheckpointData} from './store-checkpoint.js'

export interface RecoveryReport {
  abnormal: boolean
  validEndOffset: number
  /** bytes of non-zero data found after the valid end and discarded (scanned in abnormal recovery only) */
  truncatedBytes: number
  truncatedAt: {file: string; offset: number; reason: string} | undefined
  /** well-formed records (magic, size, CRC, position) among the truncated bytes: acked data the cut took */
  recordsBeyond: number
  /** where the truncated bytes were kept (never zeroed away) */
  quarantined: QuarantinedBytes[]
  /**
   * After a cut, each ConsumeQueue's end ("topic-queueId" → next queue offset): a message the log held
   * at or past its queue's end before recovery was cut by it (queue offsets follow CommitLog order).
   */
  queueEnds?: Record<string, number>
  /** set when ConsumeQueues were rebuilt from the CommitLog, with why */
  consumeQueueRebuild?: string
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
  io: FileIO
  storePathRootDir: string
  /** damaged ConsumeQueues were found (store-files.ts): rebuild them all from the CommitLog's start */
  rebuildConsumeQueues?: string
}

const WINDOW_BYTES = 8 * 1024 * 1024

interface ScanStop {
  pos: number
  kind: 'blank' | 'zero' | 'invalid'
  reason: string
}

export async function recoverStore(ctx: RecoveryContext): Promise<RecoveryReport> {
  const files = ctx.commitLog.queue.files
  // An index is rebuilt from what it indexes (RocketMQ's reput from the smallest recovered offset).
  const dispatchedBelow = ctx.rebuildConsumeQueues ? ctx.commitLog.queue.minOffset() : ctx.checkpoint.logicsDispatchedOffset
  let unitsDropped = 0
  for (const cq of ctx.consumeQueues.values()) unitsDropped += await cq.recover(dispatchedBelow)
  const report: RecoveryReport = {
    abnormal: ctx.abnormal, validEndOffset: 0, truncatedBytes: 0, truncatedAt: undefined, recordsBeyond: 0, quarantined: [],
    messagesRedispatched: 0, consumeQueueUnitsDropped: 0, ...(ctx.rebuildConsumeQueues ? {consumeQueueRebuild: ctx.rebuildConsumeQueues} : {}),
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
  // After a clean shutdown a zero header is the end, but an invalid record may hide intact ones behind it.
  if (ctx.abnormal || report.truncatedAt) await keepEvidence(ctx, report, validEnd)
  await ctx.commitLog.queue.truncateFrom(validEnd)
  if (validEnd < dispatchedBelow) for (const cq of ctx.consumeQueues.values()) unitsDropped += await cq.recover(validEnd)
  report.validEndOffset = validEnd
  report.consumeQueueUnitsDropped = unitsDropped
  if (report.truncatedAt) report.queueEnds = Object.fromEntries([...ctx.consumeQueues].map(([key, cq]) => [key, cq.maxOffset()]))
  return report
}

/** Counts and quarantines what lies past the valid end, before the cut. */
async function keepEvidence(ctx: RecoveryContext, report: RecoveryReport, validEnd: number): Promise<void> {
  const extents = tailExtents(ctx.commitLog, validEnd)
  report.truncatedBytes = extents.reduce((n, e) => n + e.end - e.from, 0)
  if (report.truncatedBytes === 0) return
  if (!report.truncatedAt) {
    const f = ctx.commitLog.queue.findByOffset(validEnd) ?? ctx.commitLog.queue.files[ctx.commitLog.queue.files.length - 1]!
    report.truncatedAt = {file: f.filePath, offset: validEnd, reason: 'zero header, stale bytes after it (torn write)'}
  }
  report.recordsBeyond = countWellFormed(extents, ctx.checkCRCOnRecover)
  report.quarantined = await quarantineExtents(ctx.io, ctx.storePathRootDir, extents, Date.now())
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
      const req = dispatchRequestOf(win, at, check)
      const conflict = queueOffsetConflict(ctx, req)
      if (conflict) return {stop: {pos, kind: 'invalid', reason: conflict}, dispatched}
      ctx.dispatch(req)
      dispatched++
    }
    pos += size
  }
  return {stop: {pos, kind: 'invalid', reason: 'record runs into the end of the file without a blank'}, dispatched}
}

/**
 * Records from D on re-enter their ConsumeQueues in CommitLog order, so each must sit exactly at its
 * queue's end (queues start at 0 and never expire here). The body CRC does not cover QUEUEOFFSET: a
 * flipped one was served in another message's slot, or left a hole, and the cut-off message named by
 * nothing. Checked before dispatch, so the cut is reported like any other invalid record.
 */
function queueOffsetConflict(ctx: RecoveryContext, req: DispatchRequest): string | undefined {
  const key = `${req.topic}-${req.queueId}`
  const cq = ctx.consumeQueues.get(key)
  const end = cq?.maxOffset() ?? 0
  // A CommitLog that no longer starts at 0 may begin mid-queue; there only the bound checkRecord applies holds.
  if (end === 0 && ctx.commitLog.queue.minOffset() > 0) return undefined
  return req.queueOffset === end ? undefined : `QUEUEOFFSET ${req.queueOffset} where queue ${key} continues at ${end}`
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
