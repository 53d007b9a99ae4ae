/**
 * Builds ConsumeQueue units behind the CommitLog (RocketMQ ReputMessageService). A master
 * dispatches each record synchronously right after appending it, so consumers see written (not
 * necessarily flushed) data, as 4.9.8 does. Raw appends (slave replication) and recovery parse
 * the records back from the log with catchUp().
 */
import {BLANK_MAGIC, MESSAGE_MAGIC_V2, MessageSysFlag, checkRecord, decodeProperties} from '../../protocol/message/index.js'
import type {CommitLog} from './commit-log.js'
import {tagsCodeOf, type DispatchRequest} from './dispatch-request.js'

export {tagsCodeOf, type DispatchRequest}

/** The dispatch fields of a record that checkRecord() accepted. */
export function dispatchRequestOf(
  buf: Buffer, pos: number, check: {size: number; commitLogOffset: number; queueId: number; queueOffset: number; storeTimestamp: number},
): DispatchRequest {
  const sysFlag = buf.readInt32BE(pos + 36)
  const bornBytes = sysFlag & MessageSysFlag.BORNHOST_V6 ? 20 : 8
  const storeBytes = sysFlag & MessageSysFlag.STOREHOST_V6 ? 20 : 8
  const bodyLenPos = pos + 48 + bornBytes + 8 + storeBytes + 12
  const topicLenPos = bodyLenPos + 4 + buf.readInt32BE(bodyLenPos)
  const v2 = buf.readInt32BE(pos + 4) === MESSAGE_MAGIC_V2
  const topicLength = v2 ? buf.readInt16BE(topicLenPos) : buf.readInt8(topicLenPos)
  const topicPos = topicLenPos + (v2 ? 2 : 1)
  const topic = buf.toString('utf8', topicPos, topicPos + topicLength)
  const propsLength = buf.readInt16BE(topicPos + topicLength)
  const propsText = buf.toString('utf8', topicPos + topicLength + 2, topicPos + topicLength + 2 + propsLength)
  const properties = propsLength > 0 ? decodeProperties(propsText) : {}
  return {
    topic, queueId: check.queueId, queueOffset: check.queueOffset, commitLogOffset: check.commitLogOffset, size: check.size,
    storeTimestamp: check.storeTimestamp, tagsCode: tagsCodeOf(topic, properties, check.storeTimestamp),
    keys: properties.KEYS, uniqKey: properties.UNIQ_KEY,
  }
}

export class ReputDispatcher {
  /** Every record below this offset has been dispatched. */
  reputFromOffset = 0

  constructor(
    private readonly commitLog: CommitLog,
    private readonly sink: (req: DispatchRequest) => void,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  dispatch(reqs: readonly DispatchRequest[]): void {
    for (const r of reqs) this.sink(r)
    const last = reqs[reqs.length - 1]
    if (last) this.reputFromOffset = last.commitLogOffset + last.size
  }

  /** Dispatches every complete record between reputFromOffset and the CommitLog end; returns how many. */
  catchUp(): number {
    let n = 0
    const queue = this.commitLog.queue
    while (this.reputFromOffset < this.commitLog.maxOffset()) {
      const file = queue.findByOffset(this.reputFromOffset)
      if (!file) break
      const pos = this.reputFromOffset - file.fileFromOffset
      const avail = file.wrotePosition - pos
      if (avail < 8) {
        if (!file.isFull()) break
        this.reputFromOffset = file.fileFromOffset + file.fileSize
        continue
      }
      const head = file.read(pos, 8)
      if (head.readInt32BE(4) === BLANK_MAGIC) {
        if (!file.isFull()) break
        this.reputFromOffset = file.fileFromOffset + file.fileSize
        continue
      }
      const size = head.readInt32BE(0)
      if (size <= 0 || size > avail) break
      const rec = file.read(pos, size)
      const check = checkRecord(rec, 0, size, {checkCrc: false, expectedCommitLogOffset: this.reputFromOffset})
      if (check.kind !== 'message') {
        this.log(`store: reput stopped at ${this.reputFromOffset}: ${check.kind === 'invalid' ? check.reason : 'blank'}`)
        break
      }
      this.sink(dispatchRequestOf(rec, 0, check))
      this.reputFromOffset += size
      n++
    }
    return n
  }
}
