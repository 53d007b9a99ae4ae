/** The loss-window verdicts: what ASYNC_FLUSH and ASYNC_MASTER allow to be lost, and what they do not. */
import {describe, expect, it} from 'vitest'
import type {CheckResult} from '../../../src/audit/checker.js'
import {findLostAcks, type LossEvidence} from '../../../src/audit/loss-window.js'
import {lastFlushBefore} from '../../../src/cluster/flush-log.js'
import {SendOutcome} from '../../../src/recorder/ledger/producer-ledger.js'
import {runVerdict, type RunMode} from '../../../src/audit/verdict.js'
import {DeliveryLog} from '../../../src/recorder/ledger/delivery-log.js'
import {ProducerLog} from '../../../src/recorder/ledger/producer-log.js'

/** `lost` SEND_OK messages missing from the store, none of them delivered either (lost == lostFromStore). */
function audit(lost: number, acked = 10_000): CheckResult {
  return {
    valid: lost === 0,
    counts: {attempted: acked, acked, delivered: acked - lost, ok: acked - lost, lost, duplicated: 0, recovered: 0, unexpected: 0, corrupt: 0, missingUnconfirmed: 0, lostFromStore: lost, reordered: 0, deliveries: acked - lost},
    samples: lost > 0 ? {lost: ['0:1'], lostFromStore: ['0:1']} : {},
  }
}

const CUT = 100_000
const flusher = {flushIntervalCommitLog: 500, flushCommitLogLeastPages: 4, flushCommitLogThoroughInterval: 10_000}
// 2000 acks/s for the 10 s before the cut: far more than 4 pages per 500 ms.
const busy = Array.from({length: 20_000}, (_, i) => CUT - 10_000 + i * 0.5)

function evidence(lostAckMs: number[], lastFlushStartMs: number | undefined, ackTimesMs = busy, fault: 'power-loss' | 'disk-loss' = 'power-loss'): LossEvidence {
  return {lostAcks: lostAckMs.map((ackMs, i) => ({id: `0:${i}`, ackMs})), cuts: [{fault, node: 'broker-a-0', atMs: CUT, lastFlushStartMs}], flusher, recordBytes: 1300, ackTimesMs}
}

const asyncFlush = (ev: LossEvidence): RunMode => ({flushDiskType: 'ASYNC_FLUSH', brokerRole: 'ASYNC_MASTER', faults: ['power-loss'], evidence: ev})
const check = (v: ReturnType<typeof runVerdict>, name: string) => v.checks.find((c) => c.name === name)!

describe('power-loss verdicts', () => {
  it('SYNC_FLUSH: any lost SEND_OK fails, with the lost ids', () => {
    const v = runVerdict(audit(3), {flushDiskType: 'SYNC_FLUSH', brokerRole: 'ASYNC_MASTER', faults: ['power-loss']})
    expect(v.pass).toBe(false)
    expect(check(v, 'no-lost-from-store').lostSamples).toEqual(['0:1'])
  })

  it('ASYNC_FLUSH: losses acked after the last flush, within the interval bound, pass and say which bound applied', () => {
    const v = runVerdict(audit(3), asyncFlush(evidence([CUT - 300, CUT - 200, CUT - 10], CUT - 350)))
    const c = check(v, 'loss-window')
    expect(c.pass).toBe(true)
    expect(c.observed).toMatch(/widest window 300 ms before a cut \(last flush began 350 ms before it\); bound flushIntervalCommitLog 500 ms/)
    expect(v.pass).toBe(true)
  })

  it('ASYNC_FLUSH: a lost message acked before the last flush breaks the promise', () => {
    const c = check(runVerdict(audit(2), asyncFlush(evidence([CUT - 400, CUT - 100], CUT - 300))), 'loss-window')
    expect(c.pass).toBe(false)
    expect(c.observed).toMatch(/BROKEN: a message acked 100 ms before the last flush/)
  })

  it('ASYNC_FLUSH: a window wider than the interval bound fails under load, passes under light traffic (thorough bound)', () => {
    const lost = [CUT - 3000]
    expect(check(runVerdict(audit(1), asyncFlush(evidence(lost, undefined))), 'loss-window').pass).toBe(false)
    const light = [CUT - 9000, CUT - 6000, CUT - 3000]
    const c = check(runVerdict(audit(1), asyncFlush(evidence(lost, undefined, light))), 'loss-window')
    expect(c.pass).toBe(true)
    expect(c.observed).toMatch(/flushCommitLogThoroughInterval 10000 ms \(light traffic\)/)
  })

  it('ASYNC_FLUSH: a loss acked after every cut is not explained by any cut', () => {
    const c = check(runVerdict(audit(1), asyncFlush(evidence([CUT + 50], CUT - 100))), 'loss-window')
    expect(c.pass).toBe(false)
    expect(c.observed).toMatch(/1 acked after every cut/)
  })
})

describe('disk-loss verdicts', () => {
  it('SYNC_MASTER promises zero loss; ASYNC_MASTER allows the lag window only', () => {
    expect(runVerdict(audit(1), {flushDiskType: 'ASYNC_FLUSH', brokerRole: 'SYNC_MASTER', faults: ['disk-loss']}).checks[0]!.name).toBe('no-lost-from-store')
    const mode = (lost: number[]): RunMode => ({flushDiskType: 'ASYNC_FLUSH', brokerRole: 'ASYNC_MASTER', faults: ['disk-loss'], evidence: evidence(lost, undefined, busy, 'disk-loss')})
    expect(check(runVerdict(audit(2), mode([CUT - 50, CUT - 5])), 'loss-window').pass).toBe(true)
    expect(check(runVerdict(audit(1), mode([CUT - 5000])), 'loss-window').pass).toBe(false)
  })

  it('ASYNC_MASTER with a measured lag: the bound is the lag at the cut (+ margin), not the fixed 2 s', () => {
    const mode = (lost: number[], windowMs: number): RunMode => {
      const ev = evidence(lost, undefined, busy, 'disk-loss')
      ev.cuts[0]!.replicationLag = {windowMs, lagBytes: 52_000, sampleAgeMs: 20}
      return {flushDiskType: 'ASYNC_FLUSH', brokerRole: 'ASYNC_MASTER', faults: ['disk-loss'], evidence: ev}
    }
    const inside = check(runVerdict(audit(2), mode([CUT - 150, CUT - 5], 120)), 'loss-window')
    expect(inside.pass, inside.observed).toBe(true)
    expect(inside.observed).toMatch(/2 lost within 150 ms before the loss of broker-a-0; measured lag at the cut 120 ms \(slave 52000 bytes behind, sampled 20 ms before\) \+ 100 ms margin/)
    // 1.5 s would pass the fixed bound; the measured 120 ms lag says the slave had it.
    const outside = check(runVerdict(audit(1), mode([CUT - 1500], 120)), 'loss-window')
    expect(outside.pass).toBe(false)
    expect(outside.observed).toMatch(/BROKEN: window 1500 ms exceeds the bound 220 ms/)
    expect(check(runVerdict(audit(0), mode([], 120)), 'loss-window').observed).toMatch(/no SEND_OK message missing from the store \(1 disk loss\(es\); measured lag/)
  })

  it('kill, pause and restart promise zero loss in every mode (kill and restart judged on the store)', () => {
    for (const [fault, name] of [['kill', 'no-lost-from-store'], ['pause', 'no-lost'], ['restart', 'no-lost-from-store']] as const) {
      const v = runVerdict(audit(1), {flushDiskType: 'ASYNC_FLUSH', brokerRole: 'ASYNC_MASTER', faults: [fault]})
      expect(check(v, name).pass, fault).toBe(false)
    }
  })
})

describe('loss evidence', () => {
  it('finds SEND_OK identities absent from the drain (delivered or not), oldest first', () => {
    const out = (seq: number, outcome: number, ackMs: number) => ({kind: 'outcome' as const, producerId: 0, seq, outcome, intendedMs: ackMs - 5, ackMs})
    const found = (seq: number) => ({producerId: 0, seq, queueId: 0, queueOffset: seq, brokerId: 0, reconsumeTimes: 0, crcOk: true, deliveredMs: 0, bornMs: 0, storeMs: 0})
    const {lost, ackTimesMs} = findLostAcks({
      producers: [ProducerLog.of([out(0, SendOutcome.SEND_OK, 30), out(1, SendOutcome.SEND_OK, 10), out(2, SendOutcome.ERROR_TIMEOUT, 20), out(3, SendOutcome.SEND_OK, 40)])],
      deliveries: [DeliveryLog.of([found(0)])],
      drained: DeliveryLog.of([found(3)]),
    })
    // 0:0 was delivered before the cut but the store no longer has it: lost for durability.
    expect(lost).toEqual([{id: '0:1', ackMs: 10}, {id: '0:0', ackMs: 30}])
    expect([...ackTimesMs]).toEqual([10, 30, 40])
  })

  it('the last flush before a cut is the latest one that completed before it', () => {
    const flushes = [{startMs: 10, timeMs: 12, flushedOffset: 1, thorough: false}, {startMs: 20, timeMs: 25, flushedOffset: 2, thorough: false}, {startMs: 30, timeMs: 40, flushedOffset: 3, thorough: false}]
    expect(lastFlushBefore(flushes, 35)).toEqual({startMs: 20, flushedOffset: 2})
    expect(lastFlushBefore(flushes, 5)).toBeUndefined()
  })
})
