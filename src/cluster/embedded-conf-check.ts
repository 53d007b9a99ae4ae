/**
 * Checks every embedded broker's conf before anything starts. Otherwise a typo in a scenario's
 * `conf:` only shows as "broker-a-0 exited (code 2)" (exit 3) with the reason buried in the node
 * log; here it is the broker's own one-line ConfigError (exit 2), naming the scenario field.
 */
import {parseBrokerConfig} from '../broker/broker-config.js'
import type {Scenario} from '../scenario/schema.js'

export function checkEmbeddedBrokerConfs(scenario: Scenario, scenarioFile: string): void {
  if (scenario.target !== 'embedded') return
  scenario.cluster.brokers.forEach((b, i) => {
    const conf = {brokerName: b.brokerName, brokerId: b.brokerId, brokerRole: b.brokerRole, flushDiskType: b.flushDiskType, ...b.conf}
    const text = Object.entries(conf).map(([k, v]) => `${k}=${String(v)}`).join('\n')
    parseBrokerConfig(text, `scenario ${scenarioFile}: cluster.brokers.${i}.conf`)
  })
}
