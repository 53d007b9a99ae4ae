import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import fc from 'fast-check'
import {afterAll, describe, expect, it} from 'vitest'
import {type ProducerLedgerEntry, ProducerLedgerWriter, readProducerLedger, SendOutcome} from '../../../../src/recorder/ledger/producer-ledger.js'
import {ProducerLog, readProducerLog} from '../../../../src/recorder/ledger/producer-log.js'
import {WINDOW_RECORDS} from '../../../../src/recorder/ledger/record-log.js'

const dir = mkdtempSync(join(tmpdir(), 'mqb-plog-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))
const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31)

const u32 = fc.integer({min: 0, max: 0xffffffff})
const ms = fc.double({min: 0, max: 2 ** 52, noNaN: true})
const startArb = fc.record({kind: fc.constant('start' as const), producerId: u32, seq: u32, intendedMs: ms})
const outcomeArb = fc.record({
  kind: fc.constant('outcome' as const), producerId: u32, seq: u32, intendedMs: ms, outcome: fc.integer({min: 0, max: 7}),
  retries: fc.integer({min: 0, max: 255}), brokerCode: fc.integer({min: -(2 ** 31), max: 2 ** 31 - 1}),
  queueId: fc.integer({min: -(2 ** 31), max: 2 ** 31 - 1}), queueOffset: fc.integer({min: 0, max: 2 ** 53 - 1}),
  ackMs: ms, brokerName: fc.integer({min: 0, max: 0xffff}),
}, {requiredKeys: ['kind', 'producerId', 'seq', 'intendedMs', 'outcome']})
const entryArb: fc.Arbitrary<ProducerLedgerEntry> = fc.oneof(startArb, outcomeArb)

describe('ProducerLog', () => {
  it('reads back every entry, and its accessors say what the entry says (property)', () => {
    console.log('producer-log property seed', seed)
    fc.assert(fc.property(fc.array(entryArb, {maxLength: 30}), (entries) => {
      const log = ProducerLog.of(entries)
      expect(log.toArray()).toEqual(entries)
      entries.forEach((e, i) => {
        const outcome = e.kind === 'outcome' ? e.outcome : undefined
        expect([log.isStart(i), log.sendOk(i), log.dropped(i), log.producerId(i), log.seq(i)])
          .toEqual([e.kind === 'start', outcome === SendOutcome.SEND_OK, outcome === SendOutcome.DROPPED, e.producerId, e.seq])
        expect([log.queueId(i), log.queueOffset(i), log.brokerName(i), log.ackOrIntendedMs(i)])
          .toEqual([e.queueId, e.queueOffset, e.brokerName, e.ackMs ?? e.intendedMs])
      })
    }), {seed, numRuns: 200})
  })

  it('a producer ledger file is read a window at a time and agrees with the whole-file reader', () => {
    const path = join(dir, 'p.ledger')
    const w = new ProducerLedgerWriter(path, {capacityRecords: 4096})
    const n = WINDOW_RECORDS + 500
    for (let seq = 0; seq < n / 2; seq++) {
      w.start(1, seq, seq)
      w.outcome({producerId: 1, seq, outcome: seq % 9 === 0 ? SendOutcome.ERROR_TIMEOUT : SendOutcome.SEND_OK, intendedMs: seq, ackMs: seq + 3, queueId: seq % 4, queueOffset: seq >> 2, brokerName: 0})
    }
    w.close()
    const {log, ignoredBytes} = readProducerLog(path)
    expect([log.length, ignoredBytes]).toEqual([n, 0])
    let acked = 0
    for (let i = 0; i < log.length; i++) if (log.sendOk(i)) acked++
    expect(acked).toBe(n / 2 - Math.ceil(n / 2 / 9))
    expect(log.toArray()).toEqual(readProducerLedger(path))
  })
})
