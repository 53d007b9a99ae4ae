import {queueEndKey} from '../../../src/workload/acked-ends.js'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {type DrainSource, drainTopic, drainWith} from '../../../src/workload/drain.js'
import type {DeliveryLog} from '../../../src/recorder/ledger/delivery-log.js'
import {dlqTopic, retryTopic} from '../../../src/protocol/common/mix-all.js'
import {NOT_OURS} from '../../../src/recorder/ledger/delivery-ledger.js'
import type {PullResult} from '../../../src/client/pull-consumer.js'
import {ConfigError, MqbenchError, TimeoutError} from '../../../src/errors.js'
import {ProtocolError} from '../../../src/protocol/protocol-error.js'
import {FakeNamesrv, FakeReplica, readTestIdentity} from '../audit/fake-rocketmq.js'
import {propertyName, type RecordView} from '../../../src/protocol/message/record-view.js'

/** The drain's log as entries, to compare. */
const toArray = (log: DeliveryLog) => log.toArray()

const group = 'g1'
let namesrv: FakeNamesrv
let master: FakeReplica
let slave: FakeReplica

beforeAll(async () => {
  namesrv = await new FakeNamesrv().start()
  master = await new FakeReplica().start()
  slave = await new FakeReplica().start()
  namesrv.route('T', 'broker-a', {0: master.addr, 1: slave.addr}, 2)
  namesrv.route(retryTopic(group), 'broker-a', {0: master.addr}, 1)
  namesrv.route('MASTERLESS', 'broker-a', {1: slave.addr}, 1)
  // 70 messages on queue 0 (three pulls of 32), 3 on queue 1 incl. a corrupt and a foreign one.
  for (let seq = 0; seq < 70; seq++) master.store('T', 0, {pid: 0, seq})
  master.store('T', 1, {pid: 1, seq: 0})
  master.store('T', 1, {pid: 1, seq: 1, badCrc: true})
  master.store('T', 1, {pid: 9, seq: 9, foreign: true})
  for (let seq = 0; seq < 5; seq++) slave.store('T', 0, {pid: 0, seq})
  master.store(retryTopic(group), 0, {pid: 1, seq: 0})
  slave.store('MASTERLESS', 0, {pid: 2, seq: 0})
})

afterAll(async () => {
  await Promise.all([namesrv.server.stop(), master.server.stop(), slave.server.stop()])
})

const base = () => ({namesrvAddr: namesrv.addr, consumerGroup: group, readIdentity: readTestIdentity, deadlineMs: Date.now() + 10_000})

describe('drainTopic over TCP with the real PullConsumer', () => {
  it('reads every queue of the master from offset 0, marks bad CRCs and foreign messages', async () => {
    const entries = toArray(await drainTopic({...base(), topic: 'T'}))
    expect(entries).toHaveLength(73)
    expect(entries.filter((e) => e.queueId === 0).map((e) => e.seq)).toEqual(Array.from({length: 70}, (_, i) => i))
    const q1 = entries.filter((e) => e.queueId === 1)
    expect(q1.map((e) => [e.producerId, e.seq, e.crcOk])).toEqual([[1, 0, true], [1, 1, false], [NOT_OURS, 0, true]])
    expect(entries[0]).toMatchObject({brokerId: 0, topic: 0, queueOffset: 0, bornMs: 1000, storeMs: 2000, reconsumeTimes: 0})
    expect(entries.every((e) => e.brokerId === 0)).toBe(true)
  })

  it('reads exactly the replicas named by address, each tagged with its broker id', async () => {
    const entries = toArray(await drainTopic({...base(), topic: 'T', brokerAddrs: [master.addr, slave.addr]}))
    expect(entries.filter((e) => e.brokerId === 0)).toHaveLength(73)
    expect(entries.filter((e) => e.brokerId === 1).map((e) => e.seq)).toEqual([0, 1, 2, 3, 4])
    const onlySlave = toArray(await drainTopic({...base(), topic: 'T', brokerAddrs: [slave.addr]}))
    expect(onlySlave).toHaveLength(5)
  })

  it('reads the slave when the master has left the route', async () => {
    const entries = toArray(await drainTopic({...base(), topic: 'MASTERLESS'}))
    expect(entries.map((e) => [e.producerId, e.brokerId])).toEqual([[2, 1]])
  })

  it('reads %RETRY% and %DLQ% when asked; a missing one is empty, their index is 1 + position', async () => {
    const entries = toArray(await drainTopic({...base(), topic: 'T', extraTopics: [retryTopic(group), dlqTopic(group)]}))
    expect(entries).toHaveLength(74)
    expect(entries.filter((e) => e.topic === 1).map((e) => [e.producerId, e.seq])).toEqual([[1, 0]])
  })

  it('reads the same entries from records in place (readRecordIdentity) as from decoded messages', async () => {
    const [run, pid, seq, crc] = ['MQB_RUN', 'MQB_PID', 'MQB_SEQ', 'MQB_CRC'].map(propertyName)
    const inPlace = (r: RecordView) => r.propertyEquals(run!, Buffer.from('r1'))
      ? {producerId: r.propertyUint32(pid!)!, seq: r.propertyUint32(seq!)!, bodyCrc: r.propertyUint32(crc!)!} : undefined
    const opts = {...base(), topic: 'T', brokerAddrs: [master.addr, slave.addr], extraTopics: [retryTopic(group)]}
    const strip = (es: Awaited<ReturnType<typeof drainTopic>>) => es.toArray().map(({deliveredMs: _, ...e}) => e)
    const decoded = strip(await drainTopic(opts))
    const raw = strip(await drainTopic({...opts, readRecordIdentity: inPlace}))
    expect(raw).toHaveLength(79)
    expect(raw).toEqual(decoded)
    expect(raw.filter((e) => !e.crcOk)).toHaveLength(1)
  })

  it('refuses a missing main topic and an address not in the route', async () => {
    await expect(drainTopic({...base(), topic: 'NOPE'})).rejects.toThrow(/topic NOPE does not exist/)
    await expect(drainTopic({...base(), topic: 'T', brokerAddrs: ['127.0.0.1:1']})).rejects.toThrow(/127.0.0.1:1 not in the route/)
  })
})

/** An in-memory source: one queue per entry of `maxByQueue`, messages carry only an offset. */
function memorySource(opts: {max: number; min?: number; answer?: (offset: number) => Partial<PullResult> | 'hang' | 'fail' | 'malformed'}): DrainSource & {offsets: number[]} {
  const offsets: number[] = []
  return {
    offsets,
    route: async (topic) => (topic === 'T'
      ? {queueDatas: [{brokerName: 'b', readQueueNums: 1, writeQueueNums: 1, perm: 6, topicSysFlag: 0}],
        brokerDatas: [{cluster: 'c', brokerName: 'b', brokerAddrs: {0: 'x:1'}}], filterServerTable: {}}
      : undefined),
    pull: async (_mq, offset, maxNums, brokerId) => {
      offsets.push(offset)
      const special = opts.answer?.(offset)
      if (special === 'hang') return new Promise<PullResult>(() => {})
      if (special === 'fail') throw new MqbenchError('CONNECTION', 'refused')
      if (special === 'malformed') throw new ProtocolError('BAD_CRC', 'bad crc')
      const min = opts.min ?? 0
      const base: PullResult = {status: 'NO_NEW_MSG', nextBeginOffset: opts.max, minOffset: min, maxOffset: opts.max,
        suggestWhichBrokerId: 0, messages: [], brokerAddr: 'x:1', brokerId}
      if (offset < min) return {...base, status: 'OFFSET_ILLEGAL', nextBeginOffset: min, ...special}
      if (offset >= opts.max) return {...base, ...special}
      const end = Math.min(opts.max, offset + maxNums)
      const messages = Array.from({length: end - offset}, (_, i) => ({queueId: 0, queueOffset: offset + i, properties: {}, body: Buffer.alloc(0),
        reconsumeTimes: 0, bornTimestamp: 0, storeTimestamp: 0}) as never)
      return {...base, status: 'FOUND', nextBeginOffset: end, messages, ...special}
    },
  }
}

const plan = (extra = {}) => ({topic: 'T', readIdentity: () => ({producerId: 0, seq: 0, bodyCrc: 0}), deadlineMs: Date.now() + 5000, pullBatch: 10, ...extra})

describe('drainWith', () => {
  it('pages through a queue and stops at the max offset', async () => {
    const src = memorySource({max: 25})
    const r = await drainWith(src, plan())
    expect(r.entries).toHaveLength(25)
    expect(src.offsets).toEqual([0, 10, 20])
    expect(r.pulls).toBe(3)
  })

  it('jumps over offsets below the min offset and counts them', async () => {
    const src = memorySource({max: 12, min: 5})
    const r = await drainWith(src, plan())
    expect(r.entries).toHaveLength(7)
    expect(r.skippedOffsets).toBe(5)
    expect(src.offsets).toEqual([0, 5])
    const slaveStyle = memorySource({max: 12, min: 5, answer: (o) => (o < 5 ? {status: 'NO_MATCHED_MSG'} : {})})
    const s = await drainWith(slaveStyle, plan())
    expect([s.entries.length, s.skippedOffsets]).toEqual([7, 5])
  })

  it('a malformed record, in a pull body or in the client decode, names the replica, queue and offset (a run break, not bad input)', async () => {
    const bad = Buffer.alloc(64)
    bad.writeInt32BE(64, 0) // TOTALSIZE fits, the magic code does not
    const inBody = memorySource({max: 30, answer: (o) => (o === 10 ? {messages: [], records: bad} : {})})
    const err = await drainWith(inBody, plan({readRecordIdentity: () => undefined})).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MqbenchError)
    expect(err).toMatchObject({code: 'DRAIN_BAD_RECORD', exitCode: 3, offset: 10})
    expect((err as Error).message).toMatch(/^drain: T@b\[0\] queue 0: a pull from offset 10 holds a malformed record: .*magic/)
    const inDecode = memorySource({max: 30, answer: (o) => (o === 20 ? 'malformed' : {})})
    await expect(drainWith(inDecode, plan({deadlineMs: Date.now() + 10_000}))).rejects.toThrow(/T@b\[0\] queue 0: a pull from offset 20 holds a malformed record: bad crc/)
  })

  it('retries a failed pull, then gives up after the bound', async () => {
    let failures = 2
    const flaky = memorySource({max: 3, answer: () => (failures-- > 0 ? 'fail' : {})})
    expect((await drainWith(flaky, plan())).entries).toHaveLength(3)
    const dead = memorySource({max: 3, answer: () => 'fail'})
    await expect(drainWith(dead, plan())).rejects.toThrow(/refused/)
    expect(dead.offsets).toHaveLength(5)
  })

  it('a pull that never answers ends at the deadline with TimeoutError', async () => {
    const src = memorySource({max: 30, answer: (o) => (o === 10 ? 'hang' : {})})
    await expect(drainWith(src, plan({deadlineMs: Date.now() + 300}))).rejects.toBeInstanceOf(TimeoutError)
  })

  it('waits for a lagging broker to reach the end the SEND_OK results promised (found by the interop suite)', async () => {
    const lagging = {max: 5}
    setTimeout(() => (lagging.max = 12), 250)
    const src = memorySource(lagging)
    const r = await drainWith(src, plan({expectedEnds: new Map([[queueEndKey('b', 0), 12]])}))
    expect(r.entries).toHaveLength(12)
    // Without a promise the drain stops at what the broker reports right now.
    expect((await drainWith(memorySource({max: 5}), plan())).entries).toHaveLength(5)
    // A promise the broker never keeps ends at the deadline, without throwing: the audit then reports the loss.
    const short = await drainWith(memorySource({max: 5}), plan({deadlineMs: Date.now() + 400, expectedEnds: new Map([[queueEndKey('b', 0), 9]])}))
    expect(short.entries).toHaveLength(5)
  })

  it('refuses a replica the client silently swapped, and FOUND without progress', async () => {
    await expect(drainWith(memorySource({max: 3, answer: () => ({brokerId: 1})}), plan())).rejects.toThrow(/left the route/)
    await expect(drainWith(memorySource({max: 30, answer: (o) => (o === 10 ? {nextBeginOffset: 10} : {})}), plan()))
      .rejects.toThrow(/FOUND at 10 but next offset 10/)
  })

  it('a relative deadline is a usage error, not an instant timeout', async () => {
    await expect(drainWith(memorySource({max: 1}), plan({deadlineMs: 30_000}))).rejects.toBeInstanceOf(ConfigError)
  })
})
