/** The Cluster a run's target asks for: our embedded brokers, real Apache RocketMQ, or an existing cluster found through its namesrv. */
import type {Cluster} from './cluster.js'
import type {ScenarioBroker} from './embedded-conf-check.js'
import {EmbeddedCluster} from './embedded-cluster.js'
import {type DiscoveredCluster, ExistingCluster} from './existing-cluster.js'
import {RocketMQCluster} from './rocketmq-cluster.js'

export function createCluster(
  target: 'embedded' | 'rocketmq', clusterDir: string, clusterName: string, brokers: readonly ScenarioBroker[], rocketmqVersion?: string,
  existing?: DiscoveredCluster,
): Cluster {
  if (existing !== undefined) return new ExistingCluster(existing)
  const specs = brokers.map((b) => ({
    brokerName: b.brokerName, brokerId: b.brokerId, brokerRole: b.brokerRole, flushDiskType: b.flushDiskType, extraConf: b.conf,
  }))
  const opts = {runDir: clusterDir, brokers: specs, clusterName}
  return target === 'rocketmq' ? new RocketMQCluster({...opts, version: rocketmqVersion}) : new EmbeddedCluster(opts)
}
