/**
 * A test double for the processors' view of MessageStore (BrokerStore): records are encoded exactly
 * as on disk (encodeMessageRecord) and kept per queue in memory; getMessage follows the decision
 * table of rocketmq-protocol.md §3.3. `nextStatus` lets a test make the store answer e.g.
 * FLUSH_DISK_TIMEOUT while still storing, as the real one does.
 */
import {decodeMessageExt} from '../../../../src/protocol/message/message-decoder.js'
import {encodeMessageRecord, type MessageExt} from '../../../../src/protocol/message/message-ext.js'
import {encodeOffsetMsgId} from '../../../../src/protocol/message/message-id.js'

interface ToStore {
  topic: string; queueId: number; flag: number; sysFlag: number; bornTimestamp: number; bornHost: string
  body: Buffer; properties: Record<string, string>; reconsumeTimes: number; waitStoreMsgOK: boolean
}

export class InMemoryStore {
  readonly queues = new Map<string, Array<{record: Buffer; storeTimestamp: number}>>()
  readonly stored: ToStore[] = []
  nextStatus = 'PUT_OK'
  private phyOffset = 0
  private readonly listeners: Array<(topic: string, queueId: number, maxOffset: number) => void> = []

  constructor(private readonly storeHost = '127.0.0.1:10911') {}

  onDispatch(cb: (topic: string, queueId: number, maxOffset: number) => void): void {
    this.listeners.push(cb)
  }

  async putMessage(m: ToStore) {
    return this.putMessages([m])
  }

  async putMessages(msgs: ToStore[]) {
    const status = this.nextStatus
    if (!['PUT_OK', 'FLUSH_DISK_TIMEOUT', 'FLUSH_SLAVE_TIMEOUT', 'SLAVE_NOT_AVAILABLE'].includes(status)) return {status}
    const key = `${msgs[0]!.topic}@${msgs[0]!.queueId}`
    let q = this.queues.get(key)
    if (!q) this.queues.set(key, (q = []))
    const first = {wroteOffset: this.phyOffset, queueOffset: q.length, msgIds: [] as string[], wroteBytes: 0}
    const storeTimestamp = Date.now()
    for (const m of msgs) {
      const record = encodeMessageRecord({
        ...m, queueOffset: q.length, commitLogOffset: this.phyOffset, storeTimestamp, storeHost: this.storeHost,
        preparedTransactionOffset: 0,
      })
      first.msgIds.push(encodeOffsetMsgId(this.storeHost, this.phyOffset))
      this.phyOffset += record.length
      first.wroteBytes += record.length
      q.push({record, storeTimestamp})
      this.stored.push(m)
    }
    for (const l of this.listeners) l(msgs[0]!.topic, msgs[0]!.queueId, q.length)
    return {status, append: {...first, msgId: first.msgIds[0]!, storeTimestamp, msgNum: msgs.length}}
  }

  getMessage(topic: string, queueId: number, offset: number, maxMsgNums: number) {
    const q = this.queues.get(`${topic}@${queueId}`)
    const base = {minOffset: 0, maxOffset: q?.length ?? 0, records: [] as Buffer[], body: Buffer.alloc(0)}
    if (!q) return {...base, status: 'NO_MATCHED_LOGIC_QUEUE', nextBeginOffset: 0}
    if (q.length === 0) return {...base, status: 'NO_MESSAGE_IN_QUEUE', nextBeginOffset: 0}
    if (offset === q.length) return {...base, status: 'OFFSET_OVERFLOW_ONE', nextBeginOffset: offset}
    if (offset > q.length) return {...base, status: 'OFFSET_OVERFLOW_BADLY', nextBeginOffset: q.length}
    if (offset < 0) return {...base, status: 'OFFSET_TOO_SMALL', nextBeginOffset: 0}
    const records = q.slice(offset, offset + maxMsgNums).map((e) => e.record)
    return {...base, status: 'FOUND', nextBeginOffset: offset + records.length, records, body: Buffer.concat(records)}
  }

  getMaxOffsetInQueue(topic: string, queueId: number): number {
    return this.queues.get(`${topic}@${queueId}`)?.length ?? 0
  }

  getMinOffsetInQueue(): number {
    return 0
  }

  getOffsetInQueueByTime(topic: string, queueId: number, ts: number): number {
    const q = this.queues.get(`${topic}@${queueId}`) ?? []
    const i = q.findIndex((e) => e.storeTimestamp >= ts)
    return i < 0 ? q.length : i
  }

  getMaxPhyOffset(): number {
    return this.phyOffset
  }

  getFlushedPhyOffset(): number {
    return this.phyOffset
  }

  lookMessageByOffset(commitLogOffset: number): MessageExt | undefined {
    const rec = this.selectOneMessageByOffset(commitLogOffset)
    return rec && decodeMessageExt(rec)
  }

  getMinPhyOffset(): number {
    return 0
  }

  selectOneMessageByOffset(commitLogOffset: number): Buffer | undefined {
    for (const q of this.queues.values()) {
      for (const e of q) if (e.record.readBigInt64BE(28) === BigInt(commitLogOffset)) return e.record
    }
    return undefined
  }

  /** By scanning every record: the double checks the processor, the real IndexService has its own tests. */
  queryMessage(topic: string, key: string, maxNum: number, begin: number, end: number) {
    const records: Buffer[] = []
    for (const q of this.queues.values()) {
      for (const e of q) {
        const m = decodeMessageExt(e.record)
        const keys = [m.properties.UNIQ_KEY, ...(m.properties.KEYS ?? '').split(' ')]
        if (m.topic === topic && keys.includes(key) && e.storeTimestamp >= begin && e.storeTimestamp <= end) records.push(e.record)
      }
    }
    return {records: records.reverse().slice(0, maxNum), indexLastUpdateTimestamp: Date.now(), indexLastUpdatePhyoffset: this.phyOffset}
  }

  getMessageStoreTimeStamp(topic: string, queueId: number, offset: number): number {
    return this.queues.get(`${topic}@${queueId}`)?.[offset]?.storeTimestamp ?? -1
  }

  getEarliestMessageTime(): number {
    const all = [...this.queues.values()].flat()
    return all.length === 0 ? -1 : Math.min(...all.map((e) => e.storeTimestamp))
  }

  dispatchBehindBytes(): number {
    return 0
  }
}
