import * as fs from 'node:fs'
import * as path from 'node:path'
import {afterAll, afterEach, describe, expect, it} from 'vitest'
import {BLANK_MAGIC, decodeMessageExt, decodeOffsetMsgId, tagsHashCode} from '../../../../src/protocol/message/index.js'
import {MessageStore} from '../../../../src/broker/store/message-store.js'
import {message, smallConfig, tempDir} from './helpers.js'

const tmp = tempDir()
afterAll(() => tmp.cleanup())
const open: MessageStore[] = []
afterEach(async () => {
  for (const s of open.splice(0)) await s.shutdown()
})
let n = 0
async function newStore(overrides = {}): Promise<{store: MessageStore; root: string}> {
  const root = path.join(tmp.dir, `s${n++}`)
  const store = await MessageStore.open(smallConfig(root, overrides))
  open.push(store)
  return {store, root}
}

describe('MessageStore put/get', () => {
  it('round-trips a message: record fields, offsets, offset msgId, lookMessageByOffset', async () => {
    const {store} = await newStore()
    const r = await store.putMessage(message('TopicA', 1, 'hello', {properties: {TAGS: 'tagA', KEYS: 'k1'}, flag: 3, reconsumeTimes: 2}))
    expect(r.status).toBe('PUT_OK')
    expect(r.append).toMatchObject({wroteOffset: 0, queueOffset: 0, msgNum: 1})
    expect(decodeOffsetMsgId(r.append!.msgId)).toEqual({storeHost: '127.0.0.1:10911', physicalOffset: 0})
    const got = store.getMessage('TopicA', 1, 0, 10)
    expect(got).toMatchObject({status: 'FOUND', nextBeginOffset: 1, minOffset: 0, maxOffset: 1})
    const m = decodeMessageExt(got.records[0]!)
    expect(m).toMatchObject({
      topic: 'TopicA', queueId: 1, queueOffset: 0, commitLogOffset: 0, flag: 3, reconsumeTimes: 2,
      bornHost: '10.0.0.1:40000', storeHost: '127.0.0.1:10911', storeTimestamp: r.append!.storeTimestamp,
    })
    expect(m.body.toString()).toBe('hello')
    expect(m.properties).toMatchObject({TAGS: 'tagA', KEYS: 'k1'})
    expect(store.lookMessageByOffset(0)?.body.toString()).toBe('hello')
    expect(store.lookMessageByOffset(r.append!.wroteBytes)).toBeUndefined()
  })

  it('assigns queue offsets per topic-queue and physical offsets globally', async () => {
    const {store} = await newStore()
    const results = []
    for (let i = 0; i < 6; i++) results.push(await store.putMessage(message(i % 2 ? 'T1' : 'T2', i % 3, `m${i}`)))
    const key = (i: number): string => `${i % 2 ? 'T1' : 'T2'}-${i % 3}`
    const seen = new Map<string, number>()
    let phy = 0
    for (let i = 0; i < 6; i++) {
      const a = results[i]!.append!
      expect(a.wroteOffset).toBe(phy)
      expect(a.queueOffset).toBe(seen.get(key(i)) ?? 0)
      seen.set(key(i), a.queueOffset + 1)
      phy += a.wroteBytes
    }
    expect(store.getMaxPhyOffset()).toBe(phy)
    expect(store.getMaxOffsetInQueue('T1', 1)).toBe(1)
  })

  it('rolls over to a new file with an 8-byte blank marker; no record spans two files', async () => {
    const {store, root} = await newStore({mappedFileSizeCommitLog: 4096})
    const body = Buffer.alloc(1000, 0x61)
    const offsets: number[] = []
    for (let i = 0; i < 10; i++) offsets.push((await store.putMessage(message('T', 0, body))).append!.wroteOffset)
    const size = 91 + 1000 + 1 + Buffer.byteLength('UNIQ_KEY\u0001K-aaaaaaaaaaaaaaaaaaaa\u0002')
    // 3 records + 8 ≤ 4096 < 4 records + 8 → the 4th record opens file 4096.
    expect(offsets.slice(0, 4)).toEqual([0, size, 2 * size, 4096])
    for (const o of offsets) expect(Math.floor(o / 4096)).toBe(Math.floor((o + size - 1) / 4096))
    const blank = store.readCommitLog(3 * size, 8)!
    expect(blank.readInt32BE(0)).toBe(4096 - 3 * size)
    expect(blank.readInt32BE(4)).toBe(BLANK_MAGIC)
    const got = store.getMessage('T', 0, 0, 10)
    expect(got.records.map((r) => decodeMessageExt(r).commitLogOffset)).toEqual(offsets)
    await store.shutdown()
    expect(fs.readdirSync(path.join(root, 'commitlog'))).toEqual(['00000000000000000000', '00000000000000004096', '00000000000000008192', '00000000000000012288'])
    for (const f of fs.readdirSync(path.join(root, 'commitlog'))) expect(fs.statSync(path.join(root, 'commitlog', f)).size).toBe(4096)
  })

  it('getMessage follows the decision table', async () => {
    const {store} = await newStore()
    expect(store.getMessage('none', 0, 0, 1)).toMatchObject({status: 'NO_MATCHED_LOGIC_QUEUE', nextBeginOffset: 0})
    for (let i = 0; i < 5; i++) await store.putMessage(message('T', 0, `m${i}`))
    expect(store.getMessage('T', 0, 5, 1)).toMatchObject({status: 'OFFSET_OVERFLOW_ONE', nextBeginOffset: 5, maxOffset: 5})
    expect(store.getMessage('T', 0, 9, 1)).toMatchObject({status: 'OFFSET_OVERFLOW_BADLY', nextBeginOffset: 5})
    const some = store.getMessage('T', 0, 1, 3)
    expect(some).toMatchObject({status: 'FOUND', nextBeginOffset: 4})
    expect(some.records.map((r) => decodeMessageExt(r).body.toString())).toEqual(['m1', 'm2', 'm3'])
    expect(store.getMessage('T', 0, -1, 1)).toMatchObject({status: 'OFFSET_TOO_SMALL', nextBeginOffset: 0})
  })

  it('getMessage stops at the transfer limits but always returns at least one record', async () => {
    const {store} = await newStore({maxTransferCountOnMessageInMemory: 4, maxTransferBytesOnMessageInMemory: 2500})
    for (let i = 0; i < 10; i++) await store.putMessage(message('T', 0, Buffer.alloc(1000)))
    expect(store.getMessage('T', 0, 0, 32).records).toHaveLength(2)
    expect(store.getMessage('T', 0, 0, 32, 100_000).records).toHaveLength(4)
    expect(store.getMessage('T', 0, 0, 32, 10).records).toHaveLength(1)
  })

  it('batch: consecutive records, consecutive queue offsets, comma-joined msgIds', async () => {
    const {store} = await newStore()
    await store.putMessage(message('B', 0, 'first'))
    const r = await store.putMessages([message('B', 0, 'a'), message('B', 0, 'b'), message('B', 0, 'c')])
    expect(r.status).toBe('PUT_OK')
    expect(r.append).toMatchObject({queueOffset: 1, msgNum: 3})
    expect(r.append!.msgId.split(',')).toEqual(r.append!.msgIds)
    const recs = store.getMessage('B', 0, 1, 10).records.map((b) => decodeMessageExt(b))
    expect(recs.map((m) => [m.queueOffset, m.body.toString()])).toEqual([[1, 'a'], [2, 'b'], [3, 'c']])
    expect(recs[1]!.commitLogOffset).toBe(recs[0]!.commitLogOffset + recs[0]!.storeSize)
  })

  it('refuses oversize bodies, bad topics and oversize properties; a SLAVE refuses every put', async () => {
    const {store} = await newStore({maxMessageSize: 100})
    expect((await store.putMessage(message('T', 0, Buffer.alloc(101)))).status).toBe('MESSAGE_ILLEGAL')
    expect((await store.putMessage(message('x'.repeat(128), 0, 'a'))).status).toBe('MESSAGE_ILLEGAL')
    expect((await store.putMessage(message('T', 0, 'a', {properties: {big: 'v'.repeat(40_000)}}))).status).toBe('PROPERTIES_SIZE_EXCEEDED')
    expect(store.getMaxPhyOffset()).toBe(0)
    const slave = await newStore({brokerRole: 'SLAVE'})
    expect((await slave.store.putMessage(message('T', 0, 'a'))).status).toBe('SERVICE_NOT_AVAILABLE')
  })

  it('tags hash goes into the ConsumeQueue; lookups by time find the first message at or after it', async () => {
    const {store} = await newStore()
    const r1 = await store.putMessage(message('T', 0, 'a', {properties: {TAGS: 'TagA'}}))
    await new Promise((r) => setTimeout(r, 5))
    const r2 = await store.putMessage(message('T', 0, 'b'))
    expect(store.getOffsetInQueueByTime('T', 0, 0)).toBe(0)
    expect(store.getOffsetInQueueByTime('T', 0, r1.append!.storeTimestamp + 1)).toBe(1)
    expect(store.getOffsetInQueueByTime('T', 0, r2.append!.storeTimestamp + 1)).toBe(2)
    expect(tagsHashCode('TagA')).not.toBe(0)
  })

  it('onDispatch and onCommitLogAppend fire with the new max offsets', async () => {
    const {store} = await newStore()
    const dispatched: unknown[] = []
    const appended: number[] = []
    store.onDispatch((t, q, max) => dispatched.push([t, q, max]))
    store.onCommitLogAppend((max) => appended.push(max))
    const r = await store.putMessage(message('T', 2, 'x'))
    expect(dispatched).toEqual([['T', 2, 1]])
    expect(appended).toEqual([r.append!.wroteBytes])
  })
})

describe('replication seams', () => {
  it('ships only bytes already written to the file, and announces them once written (a kill -9 must not leave the master behind its slave)', async () => {
    const {store} = await newStore()
    const announced: number[] = []
    store.onCommitLogAppend((max) => announced.push(max))
    const put = store.putMessage(message('T', 0, Buffer.alloc(500, 1)))
    // Appended (and dispatched) synchronously, but still staged in this process: nothing to ship, nothing announced.
    expect(store.getMaxPhyOffset()).toBeGreaterThan(0)
    expect(store.readCommitLog(0, 4096)).toBeUndefined()
    expect(announced).toEqual([])
    const r = await put
    await new Promise((resolve) => setImmediate(resolve))
    expect(announced).toEqual([r.append!.wroteBytes])
    expect(store.readCommitLog(0, 4096)!.length).toBe(r.append!.wroteBytes)
  })

  it('a slave rebuilds the same queues from raw CommitLog bytes, even in odd-sized pieces', async () => {
    const {store: master} = await newStore({mappedFileSizeCommitLog: 4096})
    const {store: slave} = await newStore({mappedFileSizeCommitLog: 4096, brokerRole: 'SLAVE'})
    for (let i = 0; i < 12; i++) await master.putMessage(message(`T${i % 2}`, i % 3, Buffer.alloc(300 + i, i)))
    let offset = 0
    while (offset < master.getMaxPhyOffset()) {
      const chunk = master.readCommitLog(offset, 777)!
      expect(Math.floor(offset / 4096)).toBe(Math.floor((offset + chunk.length - 1) / 4096))
      await slave.appendToCommitLog(offset, chunk)
      offset += chunk.length
    }
    expect(slave.getMaxPhyOffset()).toBe(master.getMaxPhyOffset())
    for (const t of ['T0', 'T1']) {
      for (let q = 0; q < 3; q++) {
        expect(slave.getMaxOffsetInQueue(t, q)).toBe(master.getMaxOffsetInQueue(t, q))
        expect(slave.getMessage(t, q, 0, 32).records).toEqual(master.getMessage(t, q, 0, 32).records)
      }
    }
    await expect(slave.appendToCommitLog(offset + 1, Buffer.alloc(4))).rejects.toThrow(/ends at/)
  })

  it('waits for the replication waiter; its failure wins over PUT_OK', async () => {
    const {store} = await newStore()
    const ends: number[] = []
    store.setReplicationWaiter(async (end) => {
      ends.push(end)
      return 'FLUSH_SLAVE_TIMEOUT'
    })
    const r = await store.putMessage(message('T', 0, 'x'))
    expect(r.status).toBe('FLUSH_SLAVE_TIMEOUT')
    expect(ends).toEqual([r.append!.wroteBytes])
    expect((await store.putMessage(message('T', 0, 'y', {waitStoreMsgOK: false}))).status).toBe('PUT_OK')
    store.setReplicationWaiter(undefined)
    expect((await store.putMessage(message('T', 0, 'z'))).status).toBe('PUT_OK')
  })
})

describe('MessageStore lookups for the admin tools', () => {
  it('indexes keys and unique keys on dispatch; reads one record, a store time, the earliest time', async () => {
    const {store} = await newStore()
    const a = await store.putMessage(message('TopicQ', 0, 'first', {properties: {UNIQ_KEY: 'UA', KEYS: 'order-1 order-2'}}))
    const b = await store.putMessage(message('TopicQ', 0, 'second', {properties: {UNIQ_KEY: 'UB', KEYS: 'order-2'}}))
    const q = store.queryMessage('TopicQ', 'order-2', 32, 0, Number.MAX_SAFE_INTEGER)
    expect(q.records.map((r) => decodeMessageExt(r).body.toString())).toEqual(['second', 'first'])
    expect(q.indexLastUpdatePhyoffset).toBe(b.append!.wroteOffset)
    expect(store.queryMessage('TopicQ', 'UA', 32, 0, Number.MAX_SAFE_INTEGER).records).toHaveLength(1)
    expect(store.queryMessage('Other', 'UA', 32, 0, Number.MAX_SAFE_INTEGER).records).toHaveLength(0)
    expect(decodeMessageExt(store.selectOneMessageByOffset(b.append!.wroteOffset)!).body.toString()).toBe('second')
    expect(store.selectOneMessageByOffset(store.getMaxPhyOffset())).toBeUndefined()
    expect(store.getMessageStoreTimeStamp('TopicQ', 0, 1)).toBe(b.append!.storeTimestamp)
    expect(store.getMessageStoreTimeStamp('TopicQ', 0, 2)).toBe(-1)
    expect(store.getEarliestMessageTime()).toBe(a.append!.storeTimestamp)
    expect(store.dispatchBehindBytes()).toBe(0)
  })

  it('an empty store has no earliest message', async () => {
    const {store} = await newStore()
    expect(store.getEarliestMessageTime()).toBe(-1)
  })
})
