/**
 * Command-line flags that override the parsed scenario: choices whose values oclif already restricts
 * (--send-mode, --flush, --role, --target) and --seed/--threshold. Flags that set workload numbers
 * (--rate, --duration, --size, --producers, --consumers) go through the schema instead (load.ts
 * WorkloadFlag). --flush and --role apply to the masters, the slaves keep their own settings.
 */
import {ConfigError} from '../errors.js'
import {clientProblems, NamesrvAddrSchema, type Scenario, sendModeProblems} from './schema.js'
import type {FlushDiskType, MasterRole} from '../protocol/common/broker-role.js'
import {MASTER_ID} from '../protocol/common/mix-all.js'

export interface ScenarioOverrides {
  sendMode?: 'sync' | 'async' | 'oneway'
  flushDiskType?: FlushDiskType
  brokerRole?: MasterRole
  target?: 'embedded' | 'rocketmq'
  client?: 'mqbench' | 'java'
  rocketmqVersion?: string
  /** An existing cluster's namesrv (host:port): nothing is started, brokers are discovered there. */
  namesrv?: string
  seed?: number
  thresholds?: string[]
}

export function applyOverrides(scenario: Scenario, o: ScenarioOverrides): Scenario {
  const s: Scenario = structuredClone(scenario)
  const w = s.workload
  if (o.sendMode !== undefined) {
    w.sendMode = o.sendMode
    const problem = sendModeProblems(w)[0]
    if (problem) throw new ConfigError(`--send-mode ${o.sendMode}: scenario ${s.name}: workload.${problem.field}: ${problem.message}`)
  }
  for (const b of s.cluster.brokers) {
    if (b.brokerId !== MASTER_ID) continue
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
  if (o.client !== undefined) {
    w.client = o.client
    const problem = clientProblems(w)[0]
    if (problem) throw new ConfigError(`--client ${o.client}: scenario ${s.name}: workload.${problem.field}: ${problem.message}`)
  }
  if (o.rocketmqVersion !== undefined) {
    if (!/^\d+\.\d+\.\d+$/.test(o.rocketmqVersion)) throw new ConfigError(`--rocketmq-version: expected a release like 5.3.3 or 4.9.7, got '${o.rocketmqVersion}'`)
    s.rocketmqVersion = o.rocketmqVersion
  }
  if (o.namesrv !== undefined) {
    const parsed = NamesrvAddrSchema.safeParse(o.namesrv)
    if (!parsed.success) throw new ConfigError(`--namesrv: ${parsed.error.issues[0]!.message}, got '${o.namesrv}'`)
    s.cluster.namesrv = o.namesrv
  }
  if (s.cluster.namesrv !== undefined && (o.flushDiskType !== undefined || o.brokerRole !== undefined)) {
    // The brokers' own config decides; a flag that would be silently ignored is refused.
    throw new ConfigError(`--${o.flushDiskType !== undefined ? 'flush' : 'role'}: an existing cluster (--namesrv ${s.cluster.namesrv}) keeps its brokers' own settings`)
  }
  if (o.seed !== undefined) s.seed = o.seed
  if (o.thresholds?.length) s.thresholds = [...s.thresholds, ...o.thresholds]
  return s
}
