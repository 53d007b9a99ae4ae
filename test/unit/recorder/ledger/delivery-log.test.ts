import {mkdtempSync, rmSync, statSync, truncateSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import fc from 'fast-check'
import {afterAll, describe, expect, it} from 'vitest'
import {type DeliveryEntry, DeliveryLedgerWriter, NOT_OURS, readDeliveryLedger} from '../../../../src/recorder/ledger/delivery-ledger.js'
import {DeliveryLog, DeliveryLogBuilder, readDeliveryLog} from '../../../../src/recorder/ledger/delivery-log.js'

const dir = mkdtempSync(join(tmpdir(), 'mqb-dlog-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))
const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31)

const u32 = fc.integer({min: 0, max: 0xffffffff})
const i32 = fc.integer({min: -(2 ** 31), max: 2 ** 31 - 1})
const ms = fc.double({min: 0, max: 2 ** 52, noNaN: true})
const entryArb: fc.Arbitrary<DeliveryEntry> = fc.record({
  producerId: u32, seq: u32, queueId: i32, queueOffset: fc.integer({min: 0, max: 2 ** 53 - 1}), brokerId: i32, reconsumeTimes: i32,
  crcOk: fc.boolean(), deliveredMs: ms, bornMs: ms, storeMs: ms, topic: fc.integer({min: 0, max: 0xffff}),
})

const entry = (seq: number, extra: Partial<DeliveryEntry> = {}): DeliveryEntry => ({
  producerId: 2, seq, queueId: 3, queueOffset: 2 ** 45 + seq, brokerId: 1, reconsumeTimes: 4, crcOk: true,
  deliveredMs: 1700000000500.5, bornMs: 1700000000100.25, storeMs: 1700000000101, topic: 0, ...extra,
})

describe('DeliveryLog', () => {
  it('reads back every field of every entry, by accessor and as objects (property)', () => {
    console.log('delivery-log property seed', seed)
    fc.assert(fc.property(fc.array(entryArb, {maxLength: 40}), (entries) => {
      const log = DeliveryLog.of(entries)
      expect(log.length).toBe(entries.length)
      expect(log.toArray()).toEqual(entries)
      entries.forEach((e, i) => {
        expect([log.producerId(i), log.seq(i), log.queueId(i), log.queueOffset(i), log.brokerId(i), log.reconsumeTimes(i)])
          .toEqual([e.producerId, e.seq, e.queueId, e.queueOffset, e.brokerId, e.reconsumeTimes])
        expect([log.crcOk(i), log.deliveredMs(i), log.bornMs(i), log.storeMs(i), log.topic(i)]).toEqual([e.crcOk, e.deliveredMs, e.bornMs, e.storeMs, e.topic])
      })
    }), {seed, numRuns: 200})
  })

  it('a builder grows past its first buffer, and append, push, appendFrom and appendLog agree', () => {
    const b = new DeliveryLogBuilder()
    const n = 5000
    for (let i = 0; i < n; i++) {
      const e = entry(i, {crcOk: i % 3 !== 0, topic: i % 5})
      if (i % 2 === 0) b.push(e)
      else b.append(e.producerId, e.seq, e.queueId, e.queueOffset, e.brokerId, e.reconsumeTimes, e.crcOk, e.deliveredMs, e.bornMs, e.storeMs, e.topic!)
    }
    const log = b.build()
    expect(log.length).toBe(n)
    expect(log.toArray()).toEqual(Array.from({length: n}, (_, i) => entry(i, {crcOk: i % 3 !== 0, topic: i % 5})))
    const copy = new DeliveryLogBuilder()
    copy.appendFrom(log, 7)
    copy.appendLog(log)
    expect(copy.build().toArray()).toEqual([log.at(7), ...log.toArray()])
    expect(DeliveryLog.of([]).length).toBe(0)
  })

  it('writes its records to a delivery ledger as they are, and reads a ledger back in place', () => {
    const path = join(dir, 'drain.ledger')
    const entries = [entry(0), entry(1, {crcOk: false, topic: 2}), entry(0, {producerId: NOT_OURS, queueId: -1})]
    const w = new DeliveryLedgerWriter(path, {capacityRecords: 1})
    w.record(entry(9))
    w.records(DeliveryLog.of(entries).records)
    w.close()
    expect(readDeliveryLedger(path)).toEqual([entry(9), ...entries])
    truncateSync(path, statSync(path).size - 10)
    const read = readDeliveryLog(path)
    expect(read.log.toArray()).toEqual([entry(9), ...entries.slice(0, 2)])
    expect(read.ignoredBytes).toBe(46)
  })

  it('refuses bytes that are not whole records', () => {
    const w = new DeliveryLedgerWriter(join(dir, 'partial.ledger'))
    try {
      expect(() => w.records(Buffer.alloc(57))).toThrow(/not whole 56-byte records/)
    } finally {
      w.close()
    }
  })
})
