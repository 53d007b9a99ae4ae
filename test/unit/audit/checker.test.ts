import {describe, expect, it} from 'vitest'
import {
  type AuditCounts, type CheckResult, type Checker, checkAll, compose, emptyCounts, guardCheck, worstValidity,
} from '../../../src/audit/checker.js'
import {checkQueue} from '../../../src/audit/queue-checker.js'
import {History} from './history-builder.js'

const result = (valid: CheckResult['valid'], counts: Partial<AuditCounts> = {}, extra: Partial<CheckResult> = {}): CheckResult =>
  ({valid, counts: {...emptyCounts(), ...counts}, samples: {}, ...extra})

describe('compose', () => {
  it('the worst validity wins: false > unknown > true', () => {
    expect(compose([result(true), result(true)]).valid).toBe(true)
    expect(compose([result(true), result('unknown')]).valid).toBe('unknown')
    expect(compose([result('unknown'), result(false), result(true)]).valid).toBe(false)
    expect(compose([result(false), result('unknown')]).valid).toBe(false)
    expect(worstValidity('unknown', true)).toBe('unknown')
  })

  it('of nothing is valid with zero counts', () => {
    expect(compose([])).toEqual({valid: true, counts: emptyCounts(), samples: {}})
  })

  it('adds counts, caps samples at ten per class and joins errors', () => {
    const a = result(false, {attempted: 5, lost: 2}, {samples: {lost: ['0:1', '0:2'], ok: ['0:0']}})
    const many = Array.from({length: 12}, (_, i) => `1:${i}`)
    const b = result('unknown', {attempted: 3, ok: 3}, {samples: {lost: many}, error: 'order: boom'})
    const c = result(true, {}, {error: 'x: y'})
    const r = compose([a, b, c])
    expect(r.counts).toEqual({...emptyCounts(), attempted: 8, lost: 2, ok: 3})
    expect(r.samples.lost).toEqual(['0:1', '0:2', ...many.slice(0, 8)])
    expect(r.samples.ok).toEqual(['0:0'])
    expect(r.error).toBe('order: boom; x: y')
  })

  it('composing disjoint halves equals checking the whole', () => {
    const left = new History().healthy(0, 0).sent(0, 1).drain(0, 2)
    const right = new History().healthy(1, 0).sent(1, 1, 4).deliver(1, 1).deliver(1, 0)
    const whole = new History()
    for (const h of [left, right]) {
      h.producers.forEach((l, i) => whole.producers[i]!.push(...l))
      h.deliveries.forEach((l, i) => whole.deliveries[i]!.push(...l))
      whole.drained.push(...h.drained)
    }
    const composed = compose([checkQueue(left.input()), checkQueue(right.input())])
    const direct = checkQueue(whole.input())
    expect(composed.valid).toBe(direct.valid)
    expect(composed.counts).toEqual(direct.counts)
  })
})

describe('guardCheck and checkAll', () => {
  it('a checker that throws yields unknown with the error, the others still count', () => {
    const boom: Checker = {name: 'boom', check: () => { throw new Error('ledger unreadable') }}
    const queue: Checker = {name: 'queue', check: checkQueue}
    const r = checkAll([queue, boom], new History().healthy(0, 0).input())
    expect(r.valid).toBe('unknown')
    expect(r.error).toBe('boom: ledger unreadable')
    expect(r.counts.ok).toBe(1)
  })

  it('a false checker beats a throwing one', () => {
    const r = compose([guardCheck('a', () => { throw 'text' }), result(false, {lost: 1})])
    expect(r.valid).toBe(false)
    expect(r.error).toBe('a: text')
  })
})
