import {appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {
  ProducerLedgerWriter, readProducerLedger, readProducerLedgerFile, SendOutcome,
} from '../../../../src/recorder/ledger/producer-ledger.js'
import {MqbenchError} from '../../../../src/errors.js'

const dir = mkdtempSync(join(tmpdir(), 'mqb-pledger-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))
let n = 0
const fresh = () => join(dir, `p${n++}.ledger`)

describe('producer ledger', () => {
  it('round-trips start and outcome records with every optional field', () => {
    const path = fresh()
    const w = new ProducerLedgerWriter(path)
    w.start(3, 7, 1700000000123.25)
    w.outcome({producerId: 3, seq: 7, outcome: SendOutcome.SEND_OK, retries: 2, queueId: 5, queueOffset: 2 ** 40 + 3,
      intendedMs: 1700000000123.25, ackMs: 1700000000130.5, brokerName: 1})
    w.outcome({producerId: 0xfffffffe, seq: 0xffffffff, outcome: SendOutcome.ERROR_BROKER, brokerCode: -1, intendedMs: 1})
    w.close()
    expect(readProducerLedger(path)).toEqual([
      {kind: 'start', producerId: 3, seq: 7, intendedMs: 1700000000123.25},
      {kind: 'outcome', producerId: 3, seq: 7, outcome: 0, retries: 2, queueId: 5, queueOffset: 2 ** 40 + 3,
        intendedMs: 1700000000123.25, ackMs: 1700000000130.5, brokerName: 1},
      {kind: 'outcome', producerId: 0xfffffffe, seq: 0xffffffff, outcome: 6, brokerCode: -1, intendedMs: 1},
    ])
  })

  it('flushSync makes START records visible before close; buffered outcomes are not', () => {
    const path = fresh()
    const w = new ProducerLedgerWriter(path)
    w.start(0, 0, 10)
    w.start(0, 1, 11)
    w.flushSync()
    w.outcome({producerId: 0, seq: 0, outcome: SendOutcome.SEND_OK, intendedMs: 10})
    expect(readProducerLedger(path).map((e) => e.kind)).toEqual(['start', 'start'])
    expect(w.pendingBytes).toBe(48)
    w.close()
    expect(readProducerLedger(path)).toHaveLength(3)
  })

  it('flushes by itself when the bounded buffer is full', () => {
    const path = fresh()
    const w = new ProducerLedgerWriter(path, {capacityRecords: 4})
    for (let i = 0; i < 10; i++) w.start(1, i, i)
    // 16-byte header + 4 records filled the first buffer; 4 more made the second flush.
    expect(statSync(path).size).toBe(16 + 8 * 48)
    w.close()
    expect(readProducerLedger(path).map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  it('ignores a torn final record and reports the bytes', () => {
    const path = fresh()
    const w = new ProducerLedgerWriter(path)
    for (let i = 0; i < 3; i++) w.start(1, i, i)
    w.close()
    truncateSync(path, statSync(path).size - 5)
    const r = readProducerLedgerFile(path)
    expect(r.entries.map((e) => e.seq)).toEqual([0, 1])
    expect(r.ignoredBytes).toBe(43)
  })

  it('ignores a zero-filled tail (power cut after the size grew, before the data landed)', () => {
    const path = fresh()
    const w = new ProducerLedgerWriter(path)
    w.start(1, 0, 0)
    w.close()
    appendFileSync(path, Buffer.alloc(48 * 2 + 7))
    const r = readProducerLedgerFile(path)
    expect(r.entries).toHaveLength(1)
    expect(r.ignoredBytes).toBe(48 * 2 + 7)
  })

  it('refuses a bad record followed by good ones: that is corruption, not a torn tail', () => {
    const path = fresh()
    const w = new ProducerLedgerWriter(path)
    for (let i = 0; i < 3; i++) w.start(1, i, i)
    w.close()
    const buf = readFileSync(path)
    buf[16 + 48] = 0
    writeFileSync(path, buf)
    expect(() => readProducerLedger(path)).toThrow(MqbenchError)
    expect(() => readProducerLedger(path)).toThrow(/record 1 is invalid but record 2/)
  })

  it('a file shorter than its header has no entries; a foreign file is refused', () => {
    const short = fresh()
    writeFileSync(short, Buffer.from('MQB'))
    expect(readProducerLedgerFile(short)).toEqual({entries: [], ignoredBytes: 3})
    const foreign = fresh()
    writeFileSync(foreign, Buffer.alloc(64, 1))
    expect(() => readProducerLedger(foreign)).toThrow(/not a MQBP ledger/)
  })

  it('appends to an existing ledger without a second header (worker restart)', () => {
    const path = fresh()
    const a = new ProducerLedgerWriter(path)
    a.start(0, 0, 0)
    a.close()
    const b = new ProducerLedgerWriter(path)
    b.start(0, 1, 1)
    b.close()
    expect(readProducerLedger(path).map((e) => e.seq)).toEqual([0, 1])
  })

  it('refuses writes after close', () => {
    const w = new ProducerLedgerWriter(fresh())
    w.close()
    expect(() => w.start(0, 0, 0)).toThrow(/write after close/)
  })
})
