import {describe, expect, it} from 'vitest'
import {IdentityTable} from '../../../src/audit/identity-table.js'

describe('IdentityTable', () => {
  it('one slot per identity, dense or far out; find never adds one', () => {
    const t = new IdentityTable(40_000)
    const far = t.slot(0, 100_000) // beyond 4 × (used + 1024): kept in the sparse map, no 100k-entry array
    expect(t.find(0, 100_000)).toBe(far)
    for (let seq = 0; seq <= 30_000; seq++) t.slot(0, seq)
    // The dense array has now grown over seq 100000: the identity must keep its first slot, not get a second.
    expect(t.slot(0, 100_000)).toBe(far)
    expect(t.size).toBe(30_002)
    expect(t.find(0, 7)).toBe(t.slot(0, 7))
    expect([t.find(0, 99_999), t.find(1, 0), t.find(0, 2 ** 31)]).toEqual([-1, -1, -1])
    expect(t.size).toBe(30_002)
    expect(t.label(far)).toBe('0:100000')
  })
})
