/**
 * Checks every embedded broker's conf before anything starts. Otherwise a typo in a scenario's
 * `conf:` only shows as "broker-a-0 exited (code 2)" (exit 3) with the reason buried in the node
 * log; here it is the broker's own one-line ConfigError (exit 2), naming the scenario field.
 */
import {parseBrokerConfig} from '../broker/broker-config.js'
import {requireFaultFs} from '../cluster/faultfs/faultfs-binary.js'
import type {Scenario} from '../scenario/schema.js'
import {checkWritableDir} from './path-checks.js'

export function checkEmbeddedBrokerConfs(scenario: Scenario, scenarioFile: string): void {
  requireFaultFs(scenario.cluster.brokers.map((b) => b.conf), `scenario ${scenarioFile}`)
  if (scenario.target !== 'embedded') return
  scenario.cluster.brokers.forEach((b, i) => {
    const conf = {brokerName: b.brokerName, brokerId: b.brokerId, brokerRole: b.brokerRole, flushDiskType: b.flushDiskType, ...b.conf}
    const text = Object.entries(conf).map(([k, v]) => `${k}=${String(v)}`).join('\n')
    const cfg = parseBrokerConfig(text, `scenario ${scenarioFile}: cluster.brokers.${i}.conf`)
    // Only paths the scenario chose: the run directory's own are tried with --out.
    for (const key of ['storePathRootDir', 'storePathCommitLog'] as const) {
      if (b.conf[key] !== undefined && cfg[key] !== undefined) checkWritableDir(cfg[key], `scenario ${scenarioFile}: cluster.brokers.${i}.conf.${key}`)
    }
  })
}
