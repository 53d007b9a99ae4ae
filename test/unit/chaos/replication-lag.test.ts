/** lagAtCut: which master bytes the slave lacked at a cut, and since when the master had been writing them. */
import {describe, expect, it} from 'vitest'
import {lagAtCut, type LagSample, replicaPairs} from '../../../src/chaos/replication-lag.js'

const s = (atMs: number, masterOffset: number, slaveOffset: number, brokerName = 'broker-a'): LagSample => ({brokerName, atMs, masterOffset, slaveOffset})

describe('lagAtCut', () => {
  it('starts the window at the last master sample that had not reached the slave\'s end', () => {
    // The master writes 1000 bytes per 50 ms; the slave trails by 2000 bytes (two samples).
    const samples = [s(0, 1000, 0), s(50, 2000, 0), s(100, 3000, 1000), s(150, 4000, 2000), s(200, 5000, 3000)]
    // Slave end 3000 at the last sample: the master was at 3000 at t=100, so bytes ≥ 3000 came after t=100.
    expect(lagAtCut(samples, 'broker-a', 230)).toEqual({windowMs: 130, lagBytes: 2000, sampleAgeMs: 30})
  })

  it('a slave level with the master: only what came after the last sample can be missing', () => {
    expect(lagAtCut([s(0, 500, 500), s(50, 900, 900)], 'broker-a', 70)).toEqual({windowMs: 20, lagBytes: 0, sampleAgeMs: 20})
  })

  it('ignores samples after the cut and of other broker groups; none usable → undefined', () => {
    const samples = [s(0, 100, 0), s(100, 200, 200, 'broker-b'), s(500, 9999, 0)]
    expect(lagAtCut(samples, 'broker-a', 50)).toEqual({windowMs: 50, lagBytes: 100, sampleAgeMs: 50})
    expect(lagAtCut(samples, 'broker-c', 50)).toBeUndefined()
    expect(lagAtCut([s(100, 1, 1)], 'broker-a', 50)).toBeUndefined()
  })

  it('a slave behind everything sampled: the window reaches back to the first sample', () => {
    expect(lagAtCut([s(0, 5000, 10), s(50, 6000, 10)], 'broker-a', 60)).toMatchObject({windowMs: 60, lagBytes: 5990})
  })
})

describe('replicaPairs', () => {
  it('pairs each master with its lowest-id slave', () => {
    const node = (brokerName: string, brokerId: number) => ({name: `${brokerName}-${brokerId}`, kind: 'broker' as const, brokerName, brokerId, addr: `a:${brokerId}${brokerName}`, pid: 1})
    expect(replicaPairs([node('b', 2), node('b', 0), node('b', 1), node('c', 0), {name: 'namesrv', kind: 'namesrv', addr: 'n', pid: 1}]))
      .toEqual([{brokerName: 'b', master: 'a:0b', slave: 'a:1b'}])
  })
})
