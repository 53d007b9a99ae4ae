import {describe, expect, it} from 'vitest'
import {listBuiltinScenarios, resolveScenario} from '../../../src/scenario/builtin.js'
import {parseScenario} from '../../../src/scenario/load.js'
import {applyOverrides} from '../../../src/scenario/overrides.js'
import {ConfigError} from '../../../src/errors.js'

const base = `name: t
description: a test
cluster:
  brokers:
    - {brokerName: b, brokerId: 0, brokerRole: ASYNC_MASTER, flushDiskType: SYNC_FLUSH}
`

function errorOf(text: string): string {
  try {
    parseScenario(text, 'x.yaml')
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as ConfigError).exitCode).toBe(2)
    return (err as Error).message
  }
  throw new Error('expected a ConfigError')
}

describe('scenario loading', () => {
  it('fills workload defaults and normalises units', () => {
    const s = parseScenario(`${base}workload: {duration: 2m, messageSize: 4KiB, rate: 5k/s, warmup: 500ms}\n`, 'x.yaml')
    expect(s.workload).toMatchObject({duration: 120_000, messageSize: 4096, rate: 5000, warmup: 500, sendMode: 'async', queues: 4})
    expect(s.target).toBe('embedded')
  })

  it.each([
    [`${base}workload: {duration: fast}\n`, 'scenario x.yaml: workload.duration: expected a duration like 500ms, 10s or 2m, got "fast"'],
    [`${base}workload: {duration: 10}\n`, 'scenario x.yaml: workload.duration: expected a duration with a unit like 10s or 10ms, got 10 (a bare number has no unit)'],
    [`${base}workload: {warmup: 1000h}\n`, 'scenario x.yaml: workload.warmup: expected a duration from 0s to 1h, got 1000h'],
    [`${base}workload: {sendMsgTimeout: 0s}\n`, 'scenario x.yaml: workload.sendMsgTimeout: expected a duration from 1ms to 10m, got 0s'],
    [`${base}faults: [{action: kill, target: master, at: 90000h}]\n`, 'scenario x.yaml: faults.0.at: expected a duration from 0s to 24h, got 90000h'],
    [`${base}workload: {sendMode: batch}\n`, 'scenario x.yaml: workload.sendMode: expected sync, async or oneway'],
    [`${base}workload: {rate: lots}\n`, 'scenario x.yaml: workload.rate: expected a rate like 5000 or 5k/s (0 = as fast as possible)'],
    [`${base}workload: {colour: red}\n`, 'scenario x.yaml: workload.colour: unknown field'],
    [`${base}workload: {producers: 0}\n`, 'scenario x.yaml: workload.producers: expected an integer from 1 to 64'],
    [base.replace('SYNC_FLUSH', 'FAST_FLUSH'), 'scenario x.yaml: cluster.brokers.0.flushDiskType: expected SYNC_FLUSH or ASYNC_FLUSH'],
    [base.replace('brokerId: 0', 'brokerId: 1'), 'scenario x.yaml: cluster.brokers.0.brokerId: expected brokerId 0 for a master and ≥ 1 for a SLAVE'],
    ['description: d\ncluster: {brokers: []}\n', 'scenario x.yaml: name: expected string (required)'],
    ['- a\n- b\n', 'scenario x.yaml: (root): expected a mapping with name, description, cluster, workload'],
    ['name: [unclosed\n', 'scenario x.yaml: line 2: invalid YAML (Flow sequence'],
  ])('rejects %j with a one-line error naming the field', (text, expected) => {
    const message = errorOf(text)
    expect(message.startsWith(expected)).toBe(true)
    expect(message).not.toContain('\n')
  })

  it('a custom scenario needs no description; a bare 0 is a duration in every unit', () => {
    const s = parseScenario(base.replace('description: a test\n', '') + 'workload: {warmup: 0}\n', 'x.yaml')
    expect(s.description).toBe('')
    expect(s.workload.warmup).toBe(0)
  })

  it('a flag is validated by the schema and named in the error', () => {
    const flag = (f: string, key: 'messageSize' | 'duration', value: string) => {
      try {
        parseScenario(base, 'x.yaml', [{flag: f, key, value}])
      } catch (err) {
        return (err as Error).message
      }
      return 'accepted'
    }
    expect(flag('--size', 'messageSize', '10MB')).toBe("--size: expected at most 4MiB (the broker's maxMessageSize), got \"10MB\"")
    expect(flag('--duration', 'duration', '0')).toBe('--duration: expected a duration from above 0 to 24h, got 0s')
    expect(parseScenario(base, 'x.yaml', [{flag: '--duration', key: 'duration', value: '2m'}]).workload.duration).toBe(120_000)
  })

  it('lists every built-in scenario with its description, and each one loads', () => {
    const names = listBuiltinScenarios().map((s) => s.name)
    for (const n of ['sync-flush', 'async-flush', 'sync-flush-sync-master', 'sync-flush-async-master', 'async-flush-sync-master', 'async-flush-async-master']) {
      expect(names).toContain(n)
      expect(resolveScenario(n).scenario.name).toBe(n)
    }
  })

  it('says which names exist when a scenario is unknown', () => {
    expect(() => resolveScenario('nope')).toThrow(/not a built-in scenario.*sync-flush/)
  })
})

describe('flag overrides', () => {
  const s = resolveScenario('sync-flush-async-master').scenario
  it('override workload fields and the master only', () => {
    const o = applyOverrides(s, {flushDiskType: 'ASYNC_FLUSH', brokerRole: 'SYNC_MASTER', sendMode: 'sync'})
    expect(o.workload).toMatchObject({sendMode: 'sync'})
    expect(o.cluster.brokers[0]).toMatchObject({flushDiskType: 'ASYNC_FLUSH', brokerRole: 'SYNC_MASTER'})
    expect(o.cluster.brokers[1]).toMatchObject({brokerRole: 'SLAVE', flushDiskType: 'ASYNC_FLUSH'})
    expect(s.workload.rate).toBe(3000) // the original is untouched
  })
  it('--rocketmq-version: a release number is taken, anything else is refused naming the flag', () => {
    expect(applyOverrides(resolveScenario('sync-flush').scenario, {rocketmqVersion: '4.9.7'}).rocketmqVersion).toBe('4.9.7')
    expect(() => applyOverrides(resolveScenario('sync-flush').scenario, {rocketmqVersion: 'latest'})).toThrow(/^--rocketmq-version: expected a release like 5\.3\.3 or 4\.9\.7, got 'latest'/)
  })

  it('refuse SYNC_MASTER without a slave', () => {
    expect(() => applyOverrides(resolveScenario('sync-flush').scenario, {brokerRole: 'SYNC_MASTER'})).toThrow(/needs a slave/)
  })
  it('refuse a --send-mode the scenario cannot work with, as the schema would', () => {
    expect(() => applyOverrides(resolveScenario('ordered').scenario, {sendMode: 'async'})).toThrow(
      '--send-mode async: scenario ordered: workload.ordered: expected sendMode sync with ordered (got async: only a sync send knows its predecessor was stored)')
    expect(() => applyOverrides(resolveScenario('producer-outbox').scenario, {sendMode: 'oneway'})).toThrow(/^--send-mode oneway: scenario producer-outbox: workload\.outbox: /)
    expect(applyOverrides(resolveScenario('producer-outbox').scenario, {sendMode: 'sync'}).workload.sendMode).toBe('sync')
  })
  it('an ordered workload runs one message in flight per producer, and its config says so', () => {
    expect(resolveScenario('ordered').scenario.workload).toMatchObject({ordered: true, sendMode: 'sync', maxInFlight: 1})
  })
})
