/**
 * Command-line flags override the scenario file. Values arrive already parsed (units resolved by the
 * flag parsers); --flush and --role apply to the masters, the slaves keep their own settings.
 */
import {ConfigError} from '../errors.js'
import {type Scenario, sendModeProblems} from './schema.js'

export interface ScenarioOverrides {
  rate?: number
  durationMs?: number
  sizeBytes?: number
  producers?: number
  consumers?: number
  sendMode?: 'sync' | 'async' | 'oneway'
  flushDiskType?: 'SYNC_FLUSH' | 'ASYNC_FLUSH'
  brokerRole?: 'SYNC_MASTER' | 'ASYNC_MASTER'
  target?: 'embedded' | 'rocketmq'
  rocketmqVersion?: string
  seed?: number
  thresholds?: string[]
}

export function applyOverrides(scenario: Scenario, o: ScenarioOverrides): Scenario {
  const s: Scenario = structuredClone(scenario)
  const w = s.workload
  if (o.rate !== undefined) w.rate = o.rate
  if (o.durationMs !== undefined) w.duration = o.durationMs
  if (o.sizeBytes !== undefined) {
    if (o.sizeBytes < 16) throw new ConfigError(`--size: expected at least 16 bytes, got ${o.sizeBytes}`)
    w.messageSize = o.sizeBytes
  }
  if (o.producers !== undefined) w.producers = o.producers
  if (o.consumers !== undefined) w.consumers = o.consumers
  if (o.sendMode !== undefined) {
    w.sendMode = o.sendMode
    const problem = sendModeProblems(w)[0]
    if (problem) throw new ConfigError(`--send-mode ${o.sendMode}: scenario ${s.name}: workload.${problem.field}: ${problem.message}`)
  }
  for (const b of s.cluster.brokers) {
    if (b.brokerId !== 0) continue
    if (o.flushDiskType) b.flushDiskType = o.flushDiskType
    if (o.brokerRole) b.brokerRole = o.brokerRole
  }
  if (o.brokerRole === 'SYNC_MASTER' && !s.cluster.brokers.some((b) => b.brokerRole === 'SLAVE')) {
    // A SYNC_MASTER without a slave answers SLAVE_NOT_AVAILABLE to every send: legal, but surely not meant.
    throw new ConfigError(`--role: SYNC_MASTER needs a slave, and scenario ${s.name} has none`, {
      hint: 'use a master/slave scenario such as sync-flush-sync-master',
    })
  }
  if (o.target !== undefined) s.target = o.target
  if (o.rocketmqVersion !== undefined) {
    if (!/^\d+\.\d+\.\d+$/.test(o.rocketmqVersion)) throw new ConfigError(`--rocketmq-version: expected a release like 5.3.3 or 4.9.7, got '${o.rocketmqVersion}'`)
    s.rocketmqVersion = o.rocketmqVersion
  }
  if (o.seed !== undefined) s.seed = o.seed
  if (o.thresholds?.length) s.thresholds = [...s.thresholds, ...o.thresholds]
  return s
}
