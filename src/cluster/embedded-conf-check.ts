/**
 * Checks every embedded broker's conf before anything starts. Otherwise a typo in a scenario's
 * `conf:` only shows as "broker-a-0 exited (code 2)" (exit 3) with the reason buried in the node
 * log; here it is the broker's own one-line ConfigError (exit 2), naming the scenario field.
 */
import {parseBrokerConfig} from '../broker/broker-config.js'
import {defaultMessageStoreConfig} from '../broker/store/message-store-config.js'
import type {FlusherSettings} from '../recorder/audit-record.js'
import type {BrokerRole, FlushDiskType} from '../protocol/common/broker-role.js'
import {checkWritableDir} from '../recorder/path-checks.js'
import {requireFaultFs} from './faultfs/faultfs-binary.js'

export interface ScenarioBroker {
  brokerName: string
  brokerId: number
  brokerRole: BrokerRole
  flushDiskType: FlushDiskType
  conf: Record<string, string | number | boolean>
}

export function checkEmbeddedBrokerConfs(target: string, brokers: readonly ScenarioBroker[], scenarioFile: string): void {
  requireFaultFs(brokers.map((b) => b.conf), `scenario ${scenarioFile}`)
  if (target !== 'embedded') return
  brokers.forEach((b, i) => {
    const conf = {brokerName: b.brokerName, brokerId: b.brokerId, brokerRole: b.brokerRole, flushDiskType: b.flushDiskType, ...b.conf}
    const text = Object.entries(conf).map(([k, v]) => `${k}=${String(v)}`).join('\n')
    const cfg = parseBrokerConfig(text, `scenario ${scenarioFile}: cluster.brokers.${i}.conf`)
    // Only paths the scenario chose: the run directory's own are tried with --out.
    for (const key of ['storePathRootDir', 'storePathCommitLog'] as const) {
      if (b.conf[key] !== undefined && cfg[key] !== undefined) checkWritableDir(cfg[key], `scenario ${scenarioFile}: cluster.brokers.${i}.conf.${key}`)
    }
  })
}

/** The embedded store's flusher settings: its defaults, overridden by the broker's conf keys. */
export function embeddedFlusherSettings(conf: Readonly<Record<string, string | number | boolean>>): FlusherSettings {
  const d = defaultMessageStoreConfig('.', '127.0.0.1:0')
  const num = (key: keyof FlusherSettings): number => (conf[key] === undefined ? d[key] : Number(conf[key]))
  return {
    flushIntervalCommitLog: num('flushIntervalCommitLog'),
    flushCommitLogLeastPages: num('flushCommitLogLeastPages'),
    flushCommitLogThoroughInterval: num('flushCommitLogThoroughInterval'),
  }
}
