import {describe, expect, it} from 'vitest'
import {type AuditCounts, type CheckResult, emptyCounts} from '../../../src/audit/checker.js'
import {checkQueue} from '../../../src/audit/queue-checker.js'
import {type RunMode, runVerdict} from '../../../src/audit/verdict.js'
import {History} from './history-builder.js'

const mode: RunMode = {flushDiskType: 'SYNC_FLUSH', brokerRole: 'ASYNC_MASTER', faults: []}
const audit = (counts: Partial<AuditCounts>, extra: Partial<CheckResult> = {}): CheckResult => ({
  valid: (counts.lost ?? 0) + (counts.corrupt ?? 0) + (counts.unexpected ?? 0) > 0 ? false : true,
  counts: {...emptyCounts(), attempted: 100, acked: 100, ok: 100, ...counts},
  samples: {},
  ...extra,
})
const byName = (v: ReturnType<typeof runVerdict>, name: string) => v.checks.find((c) => c.name === name)!

describe('runVerdict without faults', () => {
  it('passes a clean audit, each check stating its promise', () => {
    const v = runVerdict(audit({}), mode)
    expect(v.pass).toBe(true)
    expect(v.checks.map((c) => c.name)).toEqual(['no-lost', 'audit-complete', 'no-corrupt', 'no-unexpected', 'duplicates'])
    expect(byName(v, 'no-lost')).toEqual({name: 'no-lost', promise: 'no SEND_OK message lost', observed: 'all 100 SEND_OK messages found', pass: true})
  })

  it('fails on one lost message and carries the lost samples', () => {
    const v = runVerdict(audit({ok: 99, lost: 1}, {samples: {lost: ['0:42']}}), mode)
    expect(v.pass).toBe(false)
    expect(byName(v, 'no-lost')).toMatchObject({pass: false, observed: '1 of 100 SEND_OK messages lost', lostSamples: ['0:42']})
  })

  it('fails on corruption and on unexpected messages', () => {
    expect(byName(runVerdict(audit({corrupt: 2}), mode), 'no-corrupt')).toMatchObject({pass: false, observed: '2 messages with a CRC mismatch'})
    const v = runVerdict(audit({unexpected: 1}), mode)
    expect(v.pass).toBe(false)
    expect(byName(v, 'no-unexpected')).toMatchObject({pass: false, observed: '1 message never attempted'})
  })

  it('an ordered workload adds the in-order check, which fails on any reordered copy and names them', () => {
    expect(runVerdict(audit({reordered: 3}), mode).checks.map((c) => c.name)).not.toContain('in-order')
    const ordered = {...mode, ordered: true}
    expect(byName(runVerdict(audit({}), ordered), 'in-order')).toMatchObject({pass: true, observed: 'every queue in producer order'})
    const v = runVerdict(audit({reordered: 2}, {samples: {reordered: ['0:4', '0:9']}}), ordered)
    expect(v.pass).toBe(false)
    expect(byName(v, 'in-order')).toMatchObject({pass: false, observed: '2 copies stored after a later message of the same producer', lostSamples: ['0:4', '0:9']})
  })

  it('duplicates are reported but allowed (at-least-once)', () => {
    const v = runVerdict(audit({ok: 97, duplicated: 3}), mode)
    expect(v.pass).toBe(true)
    expect(byName(v, 'duplicates')).toMatchObject({pass: true, observed: '3 messages duplicated'})
  })

  it('recovered and missingUnconfirmed do not fail the run', () => {
    expect(runVerdict(audit({recovered: 5, missingUnconfirmed: 7}), mode).pass).toBe(true)
  })

  it('an undecided audit fails with its reason', () => {
    const v = runVerdict(audit({}, {valid: 'unknown', error: 'drain: deadline passed'}), mode)
    expect(v.pass).toBe(false)
    expect(byName(v, 'audit-complete')).toMatchObject({pass: false, observed: 'audit undecided: drain: deadline passed'})
  })
})

describe('runVerdict with faults', () => {
  it('a fault without its own rule gets the strict loss promise, once', () => {
    const v = runVerdict(audit({ok: 99, lost: 1}), {...mode, faults: ['kill', 'pause', 'kill']})
    expect(v.pass).toBe(false)
    expect(v.checks.filter((c) => c.name === 'no-lost')).toHaveLength(1)
  })

  it('a lossless fault next to a windowed one (slow HA link, then disk loss on ASYNC_MASTER): the window alone judges', () => {
    const asyncMaster: RunMode = {flushDiskType: 'ASYNC_FLUSH', brokerRole: 'ASYNC_MASTER', faults: ['bandwidth', 'disk-loss']}
    expect(runVerdict(audit({}), asyncMaster).checks.map((c) => c.name)).toEqual(['loss-window', 'audit-complete', 'no-corrupt', 'no-unexpected', 'duplicates'])
    // Under SYNC_MASTER both promise zero: the one store-based check stays.
    const names = runVerdict(audit({}), {...asyncMaster, brokerRole: 'SYNC_MASTER'}).checks.map((c) => c.name)
    expect(names.filter((n) => n.startsWith('no-lost') || n === 'loss-window')).toEqual(['no-lost-from-store'])
  })

  it('the fault name "constructor" is not mistaken for a rule', () => {
    expect(runVerdict(audit({}), {...mode, faults: ['constructor']}).pass).toBe(true)
  })
})

describe('durability after broker faults is judged on the store', () => {
  // A message a consumer read before the power cut, then lost by the broker: found (delivered), so not 'lost',
  // but the store no longer has it. The checker's counts come from a real history, not hand-set numbers.
  const history = () => {
    const h = new History()
    for (let seq = 0; seq < 5; seq++) h.healthy(0, seq)
    return h.sent(0, 5).deliver(0, 5)
  }

  it('a delivered-then-lost message is counted in lostFromStore and fails power-loss, disk-loss and kill verdicts', () => {
    const r = checkQueue(history().input())
    expect(r.counts).toMatchObject({lost: 0, lostFromStore: 1, ok: 6})
    const modes: RunMode[] = [
      {flushDiskType: 'SYNC_FLUSH', brokerRole: 'ASYNC_MASTER', faults: ['power-loss']},
      {flushDiskType: 'ASYNC_FLUSH', brokerRole: 'SYNC_MASTER', faults: ['disk-loss']},
      {flushDiskType: 'ASYNC_FLUSH', brokerRole: 'ASYNC_MASTER', faults: ['kill']},
    ]
    for (const m of modes) {
      const v = runVerdict(r, m)
      expect(v.pass, m.faults[0]).toBe(false)
      expect(byName(v, 'no-lost-from-store')).toMatchObject({pass: false, lostSamples: ['0:5']})
      expect(byName(v, 'no-lost-from-store').observed).toBe('1 of 6 SEND_OK messages missing from the store (1 of them delivered before they went)')
    }
  })

  it('the same message drained after the heal passes', () => {
    const v = runVerdict(checkQueue(history().drain(0, 5).input()), {flushDiskType: 'SYNC_FLUSH', brokerRole: 'ASYNC_MASTER', faults: ['power-loss']})
    expect(v.pass).toBe(true)
    expect(byName(v, 'no-lost-from-store').observed).toBe('all 6 SEND_OK messages stored')
  })

  it('a fault-free run keeps the found-anywhere promise; an unknown fault type gets the store-based one', () => {
    const r = checkQueue(history().input())
    expect(runVerdict(r, mode).pass).toBe(true)
    expect(byName(runVerdict(r, {...mode, faults: ['meteor']}), 'no-lost-from-store').pass).toBe(false)
  })
})

describe('SYNC_FLUSH on a failing disk (disk-eio, disk-full)', () => {
  const broken = {fault: 'disk-eio' as const, node: 'broker-a-0', fromMs: 10_000, toMs: 12_000}
  const withAcks = (ackTimesMs: number[], faults = ['disk-eio']): RunMode => ({...mode, faults, evidence: {lostAcks: [], cuts: [], ackTimesMs, brokenDisks: [broken]}})

  it('FAILS when SEND_OK is acked while the disk fails (a broker that swallows its fsync error), naming the window', () => {
    const v = runVerdict(audit({}), withAcks([9_000, 10_400, 11_000, 11_500, 12_500]))
    expect(v.pass).toBe(false)
    expect(byName(v, 'no-sync-ack-on-broken-disk').observed).toBe('2 SEND_OK acked on a failing disk: 2 during disk-eio on broker-a-0 (2.0 s)')
  })

  it('passes when acks stop within the margin and resume after the heal', () => {
    const v = runVerdict(audit({}), withAcks([9_000, 10_400, 12_001, 13_000], ['disk-full']))
    expect(byName(v, 'no-sync-ack-on-broken-disk').pass).toBe(true)
    expect(v.pass).toBe(true)
  })

  it('does not apply under ASYNC_FLUSH (it acks before any fsync) or without chaos evidence', () => {
    expect(runVerdict(audit({}), {...withAcks([11_000]), flushDiskType: 'ASYNC_FLUSH'}).checks.map((c) => c.name)).not.toContain('no-sync-ack-on-broken-disk')
    expect(runVerdict(audit({}), {...mode, faults: ['disk-eio']}).checks.map((c) => c.name)).not.toContain('no-sync-ack-on-broken-disk')
  })

  it('does not apply when the record has no window where every write failed (a loop image filled for real: writes into allocated blocks succeed)', () => {
    const loopImage: RunMode = {...mode, faults: ['disk-full'], evidence: {lostAcks: [], cuts: [], ackTimesMs: [11_000], brokenDisks: []}}
    expect(runVerdict(audit({}), loopImage).checks.map((c) => c.name)).not.toContain('no-sync-ack-on-broken-disk')
  })
})
