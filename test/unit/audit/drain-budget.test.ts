/**
 * Issue 19 item 9: the final read's deadline scales with what must be read, and running out of time is
 * an undecided audit whose audit-complete row fails (test/cli/audit-incomplete.test.ts runs it end to end).
 */
import {describe, expect, it} from 'vitest'
import {DRAIN_MIN_RATE_PER_S, drainDeadlineMs, incompleteAudit} from '../../../src/audit/drain-budget.js'
import {runVerdict} from '../../../src/audit/verdict.js'

describe('drain deadline and incompleteness', () => {
  it('the deadline grows with the acked entries to read', () => {
    const now = 1_800_000_000_000
    expect(drainDeadlineMs(now, 15_000, new Map())).toBe(now + 15_000)
    const ends = new Map([['a:0', 700_000], ['a:1', 700_000]])
    expect(drainDeadlineMs(now, 15_000, ends)).toBe(now + 15_000 + (1_400_000 / DRAIN_MIN_RATE_PER_S) * 1000)
  })

  it('an incomplete audit fails the audit-complete row with the reason, and claims no loss', () => {
    const audit = incompleteAudit('drain deadline passed during T@b[0] queue 3 at offset 9000')
    const verdict = runVerdict(audit, {flushDiskType: 'ASYNC_FLUSH', brokerRole: 'ASYNC_MASTER', faults: []})
    expect(verdict.pass).toBe(false)
    const row = verdict.checks.find((c) => c.name === 'audit-complete')!
    expect(row).toMatchObject({pass: false})
    expect(row.observed).toContain('audit incomplete: drain deadline passed')
    expect(verdict.checks.find((c) => c.name === 'no-lost')).toMatchObject({pass: true})
  })
})
