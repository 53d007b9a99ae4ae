/**
 * The read side of the store (DefaultMessageStore.getMessage, rocketmq-protocol.md §3.3): the
 * decision table on the queue's min/max offsets, then CommitLog records located through the
 * ConsumeQueue, copied out into one body (staging buffers are reused, a pull body must not change under us).
 */
import {MessageSysFlag} from '../../protocol/message/index.js'
import type {CommitLog} from './commit-log.js'
import {BLANK_UNIT_SIZE, CQ_STORE_UNIT_SIZE, type ConsumeQueue, unitIn} from './consume-queue.js'

export type GetMessageStatus =
  | 'FOUND'
  | 'NO_MATCHED_MESSAGE'
  | 'NO_MESSAGE_IN_QUEUE'
  | 'OFFSET_OVERFLOW_ONE'
  | 'OFFSET_OVERFLOW_BADLY'
  | 'OFFSET_TOO_SMALL'
  | 'NO_MATCHED_LOGIC_QUEUE'

export interface GetMessageResult {
  status: GetMessageStatus
  nextBeginOffset: number
  minOffset: number
  maxOffset: number
  records: Buffer[]
  /** The records back to back (each record is a view into it): a pull answers it as is. */
  body: Buffer
}

export interface TransferLimits {
  /** maxTransferCountOnMessageInMemory */
  maxCount: number
  /** maxTransferBytesOnMessageInMemory, or the request's maxMsgBytes */
  maxBytes: number
}

const UNITS_PER_READ = 256
const NO_BODY = Buffer.alloc(0)

/** The records one pull takes, chosen before any record is read. */
interface Batch {
  offsets: number[]
  sizes: number[]
  bytes: number
  /** the logical offset after the last unit looked at */
  next: number
}

export function getMessageFromQueue(
  cq: ConsumeQueue | undefined, commitLog: CommitLog, offset: number, maxMsgNums: number, limits: TransferLimits,
): GetMessageResult {
  if (!cq) return {status: 'NO_MATCHED_LOGIC_QUEUE', nextBeginOffset: 0, minOffset: 0, maxOffset: 0, records: [], body: NO_BODY}
  const minOffset = cq.minOffset()
  const maxOffset = cq.maxOffset()
  const result = (status: GetMessageStatus, nextBeginOffset: number, records: Buffer[] = [], body = NO_BODY): GetMessageResult => ({
    status, nextBeginOffset, minOffset, maxOffset, records, body,
  })
  if (maxOffset === 0) return result('NO_MESSAGE_IN_QUEUE', 0)
  if (offset < minOffset) return result('OFFSET_TOO_SMALL', minOffset)
  if (offset === maxOffset) return result('OFFSET_OVERFLOW_ONE', offset)
  // 4.9.8/5.x correct to maxOffset; releases before 4.9 went back to 0 when minOffset was 0.
  if (offset > maxOffset) return result('OFFSET_OVERFLOW_BADLY', maxOffset)
  const batch = selectBatch(cq, commitLog, offset, maxOffset, maxMsgNums, limits)
  if (batch.offsets.length === 0) return result('NO_MATCHED_MESSAGE', batch.next)
  // One buffer and a few span reads for the whole batch: a read and an allocation per record cost
  // more than the records' bytes, and the pull answers this body without another copy.
  const body = Buffer.allocUnsafe(batch.bytes)
  commitLog.readRecordsInto(body, batch.offsets, batch.sizes)
  const records = new Array<Buffer>(batch.sizes.length)
  let pos = 0
  for (let i = 0; i < records.length; i++) records[i] = body.subarray(pos, (pos += batch.sizes[i]!))
  return result('FOUND', batch.next, records, body)
}

/** The units to transfer from `offset`: RocketMQ isTheBatchFull; blanks and unreadable records are passed over. */
function selectBatch(
  cq: ConsumeQueue, commitLog: CommitLog, offset: number, maxOffset: number, maxMsgNums: number, limits: TransferLimits,
): Batch {
  const offsets: number[] = []
  const sizes: number[] = []
  let bytes = 0
  let next = offset
  scan: while (next < maxOffset && offsets.length < maxMsgNums) {
    const units = cq.readUnits(next, UNITS_PER_READ)
    if (!units) break
    for (let i = 0; i < units.length; i += CQ_STORE_UNIT_SIZE) {
      const u = unitIn(units, i)
      // The first message always goes, then count and byte limits.
      if (offsets.length >= maxMsgNums) break scan
      if (offsets.length > 0 && (bytes + u.size > limits.maxBytes || offsets.length >= limits.maxCount)) break scan
      next++
      if (u.size === BLANK_UNIT_SIZE || !commitLog.hasRecord(u.commitLogOffset, u.size)) continue
      offsets.push(u.commitLogOffset)
      sizes.push(u.size)
      bytes += u.size
    }
  }
  return {offsets, sizes, bytes, next}
}

function storeTimestampAt(commitLog: CommitLog, commitLogOffset: number): number | undefined {
  const head = commitLog.readRecord(commitLogOffset, 40)
  if (!head) return undefined
  const bornBytes = head.readInt32BE(36) & MessageSysFlag.BORNHOST_V6 ? 20 : 8
  const ts = commitLog.readRecord(commitLogOffset + 48 + bornBytes, 8)
  return ts ? Number(ts.readBigInt64BE(0)) : undefined
}

/** First logical offset whose message was stored at or after `timestampMs`; maxOffset if none (lower boundary). */
export function offsetInQueueByTime(cq: ConsumeQueue | undefined, commitLog: CommitLog, timestampMs: number): number {
  if (!cq) return 0
  let lo = cq.minOffset()
  let hi = cq.maxOffset()
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2)
    const u = cq.unitAt(mid)
    const ts = u && u.size !== BLANK_UNIT_SIZE ? storeTimestampAt(commitLog, u.commitLogOffset) : -Infinity
    if (ts === undefined || ts < timestampMs) lo = mid + 1
    else hi = mid
  }
  return lo
}
