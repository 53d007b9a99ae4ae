/**
 * GET_BROKER_CLUSTER_INFO (106) response body (rocketmq-protocol.md §3.10):
 *   {brokerAddrTable: {brokerName: BrokerData}, clusterAddrTable: {clusterName: [brokerName]}}
 * Java namesrvs always write this one with bare numeric keys inside brokerAddrs.
 */
import {asObject, encodeJsonBody, parseJsonBody, setOwn, stringArray} from './json-body.js'
import {type BrokerData, decodeBrokerData} from './topic-route-data.js'

export interface ClusterInfo {
  brokerAddrTable: Record<string, BrokerData>
  clusterAddrTable: Record<string, string[]>
}

export function encodeClusterInfo(info: ClusterInfo): Buffer {
  return encodeJsonBody(info)
}

export function decodeClusterInfo(body: Buffer | string | undefined): ClusterInfo {
  const o = asObject(parseJsonBody(body, 'ClusterInfo'), 'ClusterInfo')
  const brokers = asObject(o.brokerAddrTable ?? {}, 'ClusterInfo.brokerAddrTable')
  const clusters = asObject(o.clusterAddrTable ?? {}, 'ClusterInfo.clusterAddrTable')
  const info: ClusterInfo = {brokerAddrTable: {}, clusterAddrTable: {}}
  for (const name of Object.keys(brokers)) {
    setOwn(info.brokerAddrTable, name, decodeBrokerData(brokers[name], `ClusterInfo.brokerAddrTable.${name}`))
  }
  for (const name of Object.keys(clusters)) {
    setOwn(info.clusterAddrTable, name, stringArray(clusters[name], `ClusterInfo.clusterAddrTable.${name}`))
  }
  return info
}
