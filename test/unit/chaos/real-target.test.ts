/**
 * forRealBroker: what a scenario written for the embedded broker becomes for --target rocketmq.
 * Power cuts and disk faults must reach the real broker through faultfs (never a SIGKILL that keeps
 * the page cache and calls itself a power cut), and what cannot apply is refused before the run.
 */
import {describe, expect, it} from 'vitest'
import type {RocketMQAvailability} from '../../../src/cluster/rocketmq-cluster.js'
import {ConfigError} from '../../../src/errors.js'
import {forRealBroker} from '../../../src/chaos/real-target.js'
import {resolveScenario} from '../../../src/scenario/builtin.js'
import type {Scenario} from '../../../src/scenario/schema.js'

// Unit tests decide availability themselves; the real check spawns java and looks for the install.
const installed = (version: string): RocketMQAvailability => ({ok: true, version, libDir: '/nowhere/lib', homeDir: '/nowhere/home'})

function builtin(name: string, target: 'embedded' | 'rocketmq' = 'rocketmq'): Scenario {
  const s = structuredClone(resolveScenario(name).scenario)
  s.target = target
  return s
}

describe('forRealBroker', () => {
  it('leaves an embedded scenario untouched', () => {
    const s = builtin('power-loss', 'embedded')
    expect(forRealBroker(s, installed)).toEqual({scenario: s, notes: []})
  })

  it.each(['power-loss', 'power-loss-cycles', 'fsync-lie', 'disk-eio', 'disk-full', 'slow-disk'])('%s: the targeted master goes on faultfs; the volatile cache and fault-injection keys go', (name) => {
    const {scenario, notes} = forRealBroker(builtin(name), installed)
    const master = scenario.cluster.brokers.find((b) => b.brokerId === 0)!
    expect(master.conf['storeFs']).toBe('faultfs')
    for (const k of ['pageCacheMode', 'pageCacheWriteback', 'pageCacheSeed', 'mqbenchFaultInjection']) expect(master.conf[k]).toBeUndefined()
    expect(notes.join('\n')).toContain('broker-a-0: store on faultfs')
  })

  it.each(['kill-master', 'kill-slave', 'pause-slave', 'master-disk-loss', 'kill-producer', 'kill-consumer'])('%s needs no faultfs and is accepted', (name) => {
    const {scenario, notes} = forRealBroker(builtin(name), installed)
    expect(scenario.cluster.brokers.every((b) => b.conf['storeFs'] === undefined)).toBe(true)
    expect(notes).toEqual([])
  })

  it('refuses a broker with mqbenchBrokenMode (our deliberate bugs do not exist in RocketMQ)', () => {
    const s = builtin('power-loss')
    s.cluster.brokers[0]!.conf['mqbenchBrokenMode'] = 'ack-before-flush'
    expect(() => forRealBroker(s, installed)).toThrow(ConfigError)
    expect(() => forRealBroker(s, installed)).toThrow(/cluster\.brokers\.0\.conf\.mqbenchBrokenMode .*cannot apply to a real RocketMQ broker/)
  })

  it('a client-link network fault applies on 5.x (the broker registers 127.0.0.2, taken by the proxy) and is refused on 4.x (every interface bound)', () => {
    expect(forRealBroker(builtin('slow-network'), installed).scenario.faults[0]!.action).toBe('latency')
    const s = builtin('slow-network')
    s.rocketmqVersion = '4.9.7'
    expect(() => forRealBroker(s, installed)).toThrow(/faults\.0 \(latency on the client link: a 4\.x broker binds its port on every interface/)
  })

  it.each(['5.3.3', '4.9.7'])('%s: a network fault on the HA link applies (the slave\'s haMasterAddress is the proxy\'s HA route)', (version) => {
    for (const name of ['partition-slave', 'master-disk-loss-lagging']) {
      const s = builtin(name)
      s.rocketmqVersion = version
      expect(forRealBroker(s, installed).scenario.faults.map((f) => f.action)).toEqual(builtin(name).faults.map((f) => f.action))
    }
  })

  it('refuses a RocketMQ release that is not installed, naming the install command (exit 2, not a broken run)', () => {
    const s = builtin('kill-master')
    s.rocketmqVersion = '5.5.0'
    const missing = (v: string): RocketMQAvailability => ({ok: false, reason: `Apache RocketMQ ${v} is not installed in /x (run: npm run rocketmq:install -- --version ${v})`})
    expect(() => forRealBroker(s, missing)).toThrow(ConfigError)
    expect(() => forRealBroker(s, missing)).toThrow(/RocketMQ 5\.5\.0 is not installed/)
  })
})
