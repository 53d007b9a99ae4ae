import {mkdtempSync, rmSync, statSync, truncateSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {
  type DeliveryEntry, DeliveryLedgerWriter, NOT_OURS, readDeliveryLedger, readDeliveryLedgerFile,
} from '../../../../src/recorder/ledger/delivery-ledger.js'
import {ProducerLedgerWriter} from '../../../../src/recorder/ledger/producer-ledger.js'

const dir = mkdtempSync(join(tmpdir(), 'mqb-dledger-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

const entry = (seq: number, extra: Partial<DeliveryEntry> = {}): DeliveryEntry => ({
  producerId: 2, seq, queueId: 3, queueOffset: 2 ** 45 + seq, brokerId: 1, reconsumeTimes: 4, crcOk: true,
  deliveredMs: 1700000000500.5, bornMs: 1700000000100.25, storeMs: 1700000000101, topic: 0, ...extra,
})

describe('delivery ledger', () => {
  it('round-trips every field, including not-ours and crc failures', () => {
    const path = join(dir, 'd1.ledger')
    const w = new DeliveryLedgerWriter(path, {capacityRecords: 2})
    const entries = [entry(0), entry(1, {crcOk: false, topic: 2}), entry(0, {producerId: NOT_OURS, queueId: -1})]
    for (const e of entries) w.record(e)
    w.close()
    expect(readDeliveryLedger(path)).toEqual(entries)
  })

  it('an absent topic index reads back as the main topic', () => {
    const path = join(dir, 'd2.ledger')
    const w = new DeliveryLedgerWriter(path)
    const {topic: _t, ...noTopic} = entry(9)
    w.record(noTopic)
    w.close()
    expect(readDeliveryLedger(path)[0]!.topic).toBe(0)
  })

  it('ignores a torn final record', () => {
    const path = join(dir, 'd3.ledger')
    const w = new DeliveryLedgerWriter(path)
    for (let i = 0; i < 4; i++) w.record(entry(i))
    w.close()
    truncateSync(path, statSync(path).size - 55)
    const r = readDeliveryLedgerFile(path)
    expect(r.entries.map((e) => e.seq)).toEqual([0, 1, 2])
    expect(r.ignoredBytes).toBe(1)
  })

  it('refuses a producer ledger', () => {
    const path = join(dir, 'p.ledger')
    const w = new ProducerLedgerWriter(path)
    w.start(0, 0, 0)
    w.close()
    expect(() => readDeliveryLedger(path)).toThrow(/not a MQBD ledger/)
  })
})
