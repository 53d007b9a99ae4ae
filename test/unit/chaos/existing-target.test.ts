/**
 * forRealBroker on an existing cluster (cluster.namesrv): every fault on a broker needs its process,
 * disk or network route, which mqbench does not hold there, so it is refused; faults on our own
 * workers still apply. No RocketMQ install is asked for: nothing is started.
 */
import {describe, expect, it} from 'vitest'
import {forRealBroker} from '../../../src/chaos/real-target.js'
import {ConfigError} from '../../../src/errors.js'
import {resolveScenario} from '../../../src/scenario/builtin.js'
import {applyOverrides} from '../../../src/scenario/overrides.js'

const unavailable = () => ({ok: false as const, reason: 'no install asked for'})
const existing = (name: string, target: 'embedded' | 'rocketmq' = 'rocketmq') => applyOverrides(resolveScenario(name).scenario, {namesrv: '10.0.0.7:9876', target})

describe('forRealBroker with cluster.namesrv', () => {
  it.each(['kill-master', 'kill-slave', 'pause-slave', 'power-loss', 'master-disk-loss', 'fsync-lie', 'partition-slave'])('%s is refused naming the fault', (name) => {
    expect(() => forRealBroker(existing(name), unavailable)).toThrow(ConfigError)
    expect(() => forRealBroker(existing(name), unavailable)).toThrow(/faults\.\d+ \(.* needs control of the broker's processes, disks or network\) cannot apply to a cluster mqbench did not start \(--namesrv\)/)
  })

  it.each(['kill-producer', 'kill-consumer'])('%s acts on our own workers and is accepted, with no install check', (name) => {
    const s = existing(name)
    expect(forRealBroker(s, unavailable)).toEqual({scenario: s, notes: []})
  })

  it('--flush and --role are refused with --namesrv: the brokers keep their own settings', () => {
    expect(() => applyOverrides(resolveScenario('sync-flush').scenario, {namesrv: '127.0.0.1:9876', flushDiskType: 'ASYNC_FLUSH'})).toThrow(/^--flush: an existing cluster/)
  })
})
