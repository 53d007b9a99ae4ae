/**
 * Read-only lookups the admin tools need (DefaultMessageStore.selectOneMessageByOffset,
 * queryMessage, getMessageStoreTimeStamp, getEarliestMessageTime), kept beside the store facade.
 */
import {MessageSysFlag} from '../../protocol/message/index.js'
import type {CommitLog} from './commit-log.js'
import type {ConsumeQueue} from './consume-queue.js'
import type {IndexService} from './index-service.js'

/** Where the born host starts in a record (after totalSize … bornTimestamp); storeTimestamp follows it. */
const BORN_HOST_POS = 48

/** One whole stored record at a CommitLog offset, as VIEW_MESSAGE_BY_ID returns it. */
export function selectOneMessageByOffset(commitLog: CommitLog, offset: number): Buffer | undefined {
  if (offset < commitLog.minOffset() || offset >= commitLog.maxOffset()) return undefined
  const size = commitLog.recordSizeAt(offset)
  if (size === undefined || size <= 0) return undefined
  return commitLog.readRecord(offset, size)
}

/** The record's store time, or -1 when the offset holds no record. */
export function storeTimestampAt(commitLog: CommitLog, offset: number): number {
  const rec = selectOneMessageByOffset(commitLog, offset)
  if (!rec || rec.length < BORN_HOST_POS + 20 + 8) return -1
  const bornHostBytes = rec.readInt32BE(36) & MessageSysFlag.BORNHOST_V6 ? 20 : 8
  return Number(rec.readBigInt64BE(BORN_HOST_POS + bornHostBytes))
}

/** Store time of the message at a ConsumeQueue offset (-1 when there is none). */
export function messageStoreTimeStamp(commitLog: CommitLog, cq: ConsumeQueue | undefined, queueOffset: number): number {
  const unit = cq?.unitAt(queueOffset)
  return unit ? storeTimestampAt(commitLog, unit.commitLogOffset) : -1
}

export interface QueryMessageResult {
  records: Buffer[]
  indexLastUpdateTimestamp: number
  indexLastUpdatePhyoffset: number
}

/** Index hits read back from the CommitLog; hits whose bytes are gone (deleted files) are skipped. */
export function queryMessage(
  commitLog: CommitLog, index: IndexService, q: {topic: string; key: string; maxNum: number; begin: number; end: number},
): QueryMessageResult {
  const hit = index.queryOffset(q.topic, q.key, q.maxNum, q.begin, q.end)
  const records: Buffer[] = []
  for (const offset of hit.commitLogOffsets) {
    const rec = selectOneMessageByOffset(commitLog, offset)
    if (rec) records.push(rec)
  }
  return {records, indexLastUpdateTimestamp: hit.indexLastUpdateTimestamp, indexLastUpdatePhyoffset: hit.indexLastUpdatePhyoffset}
}
