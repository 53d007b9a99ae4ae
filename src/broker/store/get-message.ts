/**
 * The read side of the store (DefaultMessageStore.getMessage, rocketmq-protocol.md §3.3): the
 * decision table on the queue's min/max offsets, then CommitLog records located through the
 * ConsumeQueue, copied out (staging buffers are reused, a pull body must not change under us).
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
}

export interface TransferLimits {
  /** maxTransferCountOnMessageInMemory */
  maxCount: number
  /** maxTransferBytesOnMessageInMemory, or the request's maxMsgBytes */
  maxBytes: number
}

const UNITS_PER_READ = 256

export function getMessageFromQueue(
  cq: ConsumeQueue | undefined, commitLog: CommitLog, offset: number, maxMsgNums: number, limits: TransferLimits,
): GetMessageResult {
  if (!cq) return {status: 'NO_MATCHED_LOGIC_QUEUE', nextBeginOffset: 0, minOffset: 0, maxOffset: 0, records: []}
  const minOffset = cq.minOffset()
  const maxOffset = cq.maxOffset()
  const result = (status: GetMessageStatus, nextBeginOffset: number, records: Buffer[] = []): GetMessageResult => ({
    status, nextBeginOffset, minOffset, maxOffset, records,
  })
  if (maxOffset === 0) return result('NO_MESSAGE_IN_QUEUE', 0)
  if (offset < minOffset) return result('OFFSET_TOO_SMALL', minOffset)
  if (offset === maxOffset) return result('OFFSET_OVERFLOW_ONE', offset)
  // 4.9.8/5.x correct to maxOffset; releases before 4.9 went back to 0 when minOffset was 0.
  if (offset > maxOffset) return result('OFFSET_OVERFLOW_BADLY', maxOffset)
  const records: Buffer[] = []
  let bytes = 0
  let next = offset
  scan: while (next < maxOffset && records.length < maxMsgNums) {
    const units = cq.readUnits(next, UNITS_PER_READ)
    if (!units) break
    for (let i = 0; i < units.length; i += CQ_STORE_UNIT_SIZE) {
      const u = unitIn(units, i)
      // RocketMQ isTheBatchFull: the first message always goes, then count and byte limits.
      if (records.length >= maxMsgNums) break scan
      if (records.length > 0 && (bytes + u.size > limits.maxBytes || records.length >= limits.maxCount)) break scan
      next++
      if (u.size === BLANK_UNIT_SIZE) continue
      const rec = commitLog.readRecord(u.commitLogOffset, u.size)
      if (!rec) continue
      records.push(rec)
      bytes += u.size
    }
  }
  return result(records.length > 0 ? 'FOUND' : 'NO_MATCHED_MESSAGE', next, records)
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
