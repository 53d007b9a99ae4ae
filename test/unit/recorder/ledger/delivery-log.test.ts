import {mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import fc from 'fast-check'
import {afterAll, describe, expect, it} from 'vitest'
import {type DeliveryEntry, DeliveryLedgerWriter, NOT_OURS, readDeliveryLedger} from '../../../../src/recorder/ledger/delivery-ledger.js'
import {DeliveryLog, DeliveryLogBuilder, readDeliveryLog} from '../../../../src/recorder/ledger/delivery-log.js'
import {WINDOW_RECORDS} from '../../../../src/recorder/ledger/record-log.js'

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
        expect([log.producerId(i), log.seq(i), log.queueId(i), log.queueOffset(i), log.brokerId(i), log.crcOk(i), log.topic(i)])
          .toEqual([e.producerId, e.seq, e.queueId, e.queueOffset, e.brokerId, e.crcOk, e.topic])
        expect(log.at(i)).toEqual(e)
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
    copy.appendFrom(log, n - 1)
    expect(copy.build().toArray()).toEqual([log.at(7), log.at(n - 1)])
    // Segments read as one log, empty ones included.
    const one = new DeliveryLogBuilder()
    one.push(entry(1))
    const joined = DeliveryLog.inMemory(copy.records(), Buffer.alloc(0), one.records())
    expect(joined.toArray()).toEqual([log.at(7), log.at(n - 1), entry(1)])
    expect(DeliveryLog.of([]).length).toBe(0)
  })

  it('writes its records to a delivery ledger as they are, and reads a ledger back in place', () => {
    const path = join(dir, 'drain.ledger')
    const entries = [entry(0), entry(1, {crcOk: false, topic: 2}), entry(0, {producerId: NOT_OURS, queueId: -1})]
    const w = new DeliveryLedgerWriter(path, {capacityRecords: 1})
    w.record(entry(9))
    DeliveryLog.of(entries).forEachChunk((records) => w.records(records))
    w.close()
    expect(readDeliveryLedger(path)).toEqual([entry(9), ...entries])
    truncateSync(path, statSync(path).size - 10)
    const read = readDeliveryLog(path)
    expect(read.log.toArray()).toEqual([entry(9), ...entries.slice(0, 2)])
    expect(read.ignoredBytes).toBe(46)
  })

  it('a big ledger is read from its file a window at a time, in order and back and forth', () => {
    const path = join(dir, 'big.ledger')
    const n = 2 * WINDOW_RECORDS + 123
    const w = new DeliveryLedgerWriter(path, {capacityRecords: 4096})
    for (let i = 0; i < n; i++) w.record(entry(i, {producerId: i % 7, crcOk: i % 11 !== 0}))
    w.close()
    const {log, ignoredBytes} = readDeliveryLog(path)
    expect([log.length, ignoredBytes]).toEqual([n, 0])
    let bad = 0
    for (let i = 0; i < n; i++) if (log.seq(i) !== i || log.producerId(i) !== i % 7 || log.crcOk(i) !== (i % 11 !== 0)) bad++
    expect(bad).toBe(0)
    for (const i of [n - 1, 0, WINDOW_RECORDS, WINDOW_RECORDS - 1, n - 1]) expect(log.at(i)).toEqual(entry(i, {producerId: i % 7, crcOk: i % 11 !== 0}))
    const chunks: Buffer[] = []
    log.forEachChunk((c) => chunks.push(Buffer.from(c)))
    expect(chunks.map((c) => c.length / 56)).toEqual([WINDOW_RECORDS, WINDOW_RECORDS, 123])
    expect(Buffer.concat(chunks).equals(readFileSync(path).subarray(16))).toBe(true)
    expect(() => log.seq(n)).toThrow(/outside/)
    // The file may not shrink under a reader: a window it can no longer fill is an error, not zeros.
    truncateSync(path, 16 + WINDOW_RECORDS * 56)
    expect(log.seq(5)).toBe(5)
    expect(() => log.seq(WINDOW_RECORDS + 1)).toThrow(/big.ledger: ended at byte \d+ while being read/)
  })

  it('finds the valid records as the whole-file reader does: torn tail, empty file, a valid record after an invalid one', () => {
    const path = join(dir, 'torn.ledger')
    const w = new DeliveryLedgerWriter(path)
    for (let i = 0; i < 5; i++) w.record(entry(i))
    w.close()
    truncateSync(path, statSync(path).size - 30)
    const read = readDeliveryLog(path)
    expect([read.log.length, read.ignoredBytes]).toEqual([4, 26])
    expect(read.log.toArray()).toEqual(readDeliveryLedger(path))
    const bad = readFileSync(path)
    bad[16 + 56] = 0 // record 1's tag: records 2 and 3 after it are still valid
    writeFileSync(path, bad)
    expect(() => readDeliveryLog(path)).toThrow(/record 1 is invalid but record 2 after it is valid/)
    expect(() => readDeliveryLedger(path)).toThrow(/record 1 is invalid but record 2 after it is valid/)
    writeFileSync(path, Buffer.alloc(0))
    expect([readDeliveryLog(path).log.length, readDeliveryLog(path).ignoredBytes]).toEqual([0, 0])
    writeFileSync(path, bad.subarray(0, 16))
    expect(readDeliveryLog(path).log.toArray()).toEqual([])
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
