/**
 * `--namesrv host:port` / `cluster.namesrv`: the scenario's cluster section is replaced by what the
 * namesrv lists (its cluster name, each broker with the role and flush mode it reports), so the
 * verdict judges the promises the cluster really makes, not the ones the scenario file assumed.
 */
import {brokerNodeName} from '../cluster/cluster.js'
import {type DiscoveredCluster, discoverCluster} from '../cluster/existing-cluster.js'
import type {Scenario} from '../scenario/schema.js'

export interface ExistingPlan {
  scenario: Scenario
  existing?: DiscoveredCluster
  notes: string[]
}

export async function onExistingCluster(scenario: Scenario): Promise<ExistingPlan> {
  const namesrv = scenario.cluster.namesrv
  if (namesrv === undefined) return {scenario, notes: []}
  const found = await discoverCluster(namesrv, scenario.cluster.clusterName)
  const s = structuredClone(scenario)
  s.cluster.clusterName = found.clusterName
  s.cluster.brokers = found.brokers.map(({brokerName, brokerId, brokerRole, flushDiskType}) => ({brokerName, brokerId, brokerRole, flushDiskType, conf: {}}))
  const brokers = found.brokers.map((b) => `${brokerNodeName(b)} (${b.brokerRole}, ${b.flushDiskType}) at ${b.addr}`)
  return {scenario: s, existing: found, notes: [`existing cluster ${found.clusterName} at ${namesrv}: ${brokers.join(', ')}; this run starts and stops none of it`]}
}
