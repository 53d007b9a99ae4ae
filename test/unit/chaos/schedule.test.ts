import {describe, expect, it} from 'vitest'
import type {ChaosBroker} from '../../../src/chaos/fault-action.js'
import {loadMsForCycles, planFaults, type FaultSpec} from '../../../src/chaos/schedule.js'
import {parseTarget, resolveTarget} from '../../../src/chaos/targets.js'

const broker = (node: string, brokerId: number, conf: ChaosBroker['conf'] = {}): ChaosBroker => ({
  node, brokerName: node.replace(/-\d+$/, ''), brokerId, brokerRole: brokerId === 0 ? 'SYNC_MASTER' : 'SLAVE', flushDiskType: 'SYNC_FLUSH', conf,
})
const BROKERS = [broker('broker-a-0', 0, {pageCacheMode: 'volatile'}), broker('broker-a-1', 1)]
const spec = (s: Partial<FaultSpec>): FaultSpec => ({action: 'kill', target: 'master', params: {}, ...s})

describe('planFaults', () => {
  it('expands every/cycles into time-ordered events that each heal before the next', () => {
    const plan = planFaults([spec({action: 'power-loss', at: 1000, every: 3000, for: 500, cycles: 3})], {loadMs: 10_000, seed: 1, brokers: BROKERS})
    expect(plan.errors).toEqual([])
    expect(plan.events.map((e) => [e.atMs, e.forMs, e.cycle, e.action.type])).toEqual([
      [1000, 500, 0, 'power-loss'], [4000, 500, 1, 'power-loss'], [7000, 500, 2, 'power-loss'],
    ])
  })

  it('without cycles repeats as long as cycles start inside the load, never at its very end', () => {
    const plan = planFaults([spec({at: 2000, every: 4000})], {loadMs: 6000, seed: 1, brokers: BROKERS})
    expect(plan.events.map((e) => e.atMs)).toEqual([2000])
  })

  it('jitter is seeded: the same seed gives the same schedule, another seed another one', () => {
    const specs = [spec({at: 1000, every: 5000, jitter: 2000, for: 1000, cycles: 4})]
    const times = (seed: number) => planFaults(specs, {loadMs: 30_000, seed, brokers: BROKERS}).events.map((e) => e.atMs)
    console.log(`seeds 42 and 43: ${times(42).join(',')} / ${times(43).join(',')}`)
    expect(times(42)).toEqual(times(42))
    expect(times(42)).not.toEqual(times(43))
    for (const [k, t] of times(42).entries()) {
      expect(t).toBeGreaterThanOrEqual(1000 + k * 5000)
      expect(t).toBeLessThan(1000 + k * 5000 + 2000)
    }
  })

  it('reports every problem at once, naming the entry and field', () => {
    const plan = planFaults([
      spec({action: 'explode'}),
      spec({target: 'the-moon'}),
      spec({action: 'pause', target: 'producer'}),
      spec({action: 'power-loss', target: 'slave'}),
      spec({every: 1000, for: 1000}),
      spec({at: 1000, every: 4000, cycles: 9}),
      spec({action: 'disk-loss', params: {restoreFrom: 'tape'}}),
      spec({target: 'broker:broker-z-0'}),
    ], {loadMs: 10_000, seed: 1, brokers: BROKERS})
    expect(plan.errors).toEqual([
      expect.stringMatching(/^faults\[0\]\.action: expected one of kill, pause, restart, power-loss, disk-loss, .*got 'explode'$/),
      expect.stringMatching(/^faults\[1\]\.target: expected master, slave, .*got 'the-moon'$/),
      "faults[2].target: pause acts on broker targets, got 'producer'",
      expect.stringMatching(/^faults\[3\]: power-loss on broker-a-1: expected broker conf pageCacheMode: volatile/),
      expect.stringMatching(/^faults\[4\]\.every: expected more than for \+ jitter/),
      expect.stringMatching(/^faults\[5\]\.cycles: 9 cycles every 4000 ms from 1000 ms do not fit in 10000 ms/),
      expect.stringMatching(/^faults\[6\]\.params\.restoreFrom: /),
      expect.stringMatching(/^faults\[7\]\.target: 'broker:broker-z-0' matches no broker/),
    ])
  })

  it('--cycles lengthens the load to hold every cycle', () => {
    expect(loadMsForCycles([spec({at: 1000, every: 3000})], 10_000, 20)).toBe(61_000)
    expect(loadMsForCycles([spec({at: 1000})], 10_000, 20)).toBe(10_000)
  })
})

describe('targets', () => {
  const workers = {names: (role: 'producer' | 'consumer') => (role === 'producer' ? ['producer-0', 'producer-1'] : ['consumer-0']), kill: async () => {}, respawn: async () => {}}

  it('parses every documented form and nothing else', () => {
    expect(parseTarget('master')).toEqual({kind: 'broker', select: 'master'})
    expect(parseTarget('all-brokers')).toEqual({kind: 'broker', select: 'all'})
    expect(parseTarget('broker:broker-a-1')).toEqual({kind: 'broker', select: 'node', node: 'broker-a-1'})
    expect(parseTarget('producer:1')).toEqual({kind: 'worker', role: 'producer', index: 1})
    expect(parseTarget('consumer')).toEqual({kind: 'worker', role: 'consumer'})
    for (const bad of ['masters', 'broker:', 'producer:x', 'slave:1', '']) expect(parseTarget(bad)).toBeUndefined()
  })

  it('resolves brokers by role and workers among the live ones', () => {
    expect(resolveTarget('master', BROKERS, workers, Math.random).names).toEqual(['broker-a-0'])
    expect(resolveTarget('slave', BROKERS, workers, Math.random).names).toEqual(['broker-a-1'])
    expect(resolveTarget('all-brokers', BROKERS, workers, Math.random).names).toEqual(['broker-a-0', 'broker-a-1'])
    expect(resolveTarget('producer', BROKERS, workers, () => 0.99).names).toEqual(['producer-1'])
    expect(resolveTarget('producer:0', BROKERS, workers, Math.random).names).toEqual(['producer-0'])
    expect(resolveTarget('consumer:3', BROKERS, workers, Math.random).names).toEqual([])
  })
})
