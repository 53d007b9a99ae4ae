/**
 * The namesrv's route table (RocketMQ RouteInfoManager): brokers register every 30 s with their
 * topic configs; clients ask which brokers serve a topic. Only a master (brokerId 0) contributes
 * queue data; every registration adds its address to the broker name's brokerAddrs, so consumers
 * can still find a slave when the master is gone. A broker silent for 120 s, or whose TCP channel
 * closes, is removed; the broker name (and its queues) disappears with its last address.
 */
import type {BrokerData, QueueData, TopicRouteData} from '../../protocol/bodies/topic-route-data.js'
import type {ClusterInfo} from '../../protocol/bodies/cluster-info.js'
import {MASTER_ID} from '../../protocol/common/mix-all.js'

/** RocketMQ's BROKER_CHANNEL_EXPIRED_TIME. */
export const BROKER_CHANNEL_EXPIRED_MS = 120_000

export interface RegisteredTopicConfig {
  topicName: string
  readQueueNums: number
  writeQueueNums: number
  perm: number
  topicSysFlag?: number
}

export interface BrokerRegistration {
  clusterName: string
  brokerName: string
  brokerAddr: string
  brokerId: number
  haServerAddr: string
  dataVersion: {counter: number; timestamp: number}
  topicConfigTable: Record<string, RegisteredTopicConfig>
  /** The remoting connection it came on; its close unregisters the broker. */
  channelId?: number
}

export interface RegisterResult {
  masterAddr?: string
  haServerAddr?: string
}

interface LiveBroker {
  brokerName: string
  lastUpdateMs: number
  dataVersion: string
  haServerAddr: string
  channelId: number | undefined
}

export class RouteInfoManager {
  private readonly clusterAddrTable = new Map<string, Set<string>>()
  private readonly brokerAddrTable = new Map<string, {cluster: string; brokerAddrs: Map<number, string>}>()
  private readonly topicQueueTable = new Map<string, Map<string, QueueData>>()
  private readonly brokerLiveTable = new Map<string, LiveBroker>()

  registerBroker(reg: BrokerRegistration, nowMs = Date.now()): RegisterResult {
    let names = this.clusterAddrTable.get(reg.clusterName)
    if (!names) this.clusterAddrTable.set(reg.clusterName, (names = new Set()))
    names.add(reg.brokerName)
    let broker = this.brokerAddrTable.get(reg.brokerName)
    if (!broker) this.brokerAddrTable.set(reg.brokerName, (broker = {cluster: reg.clusterName, brokerAddrs: new Map()}))
    // A slave promoted to master re-registers the same address under another id: drop the old id.
    for (const [id, addr] of broker.brokerAddrs) if (addr === reg.brokerAddr && id !== reg.brokerId) broker.brokerAddrs.delete(id)
    const firstTime = broker.brokerAddrs.get(reg.brokerId) !== reg.brokerAddr
    broker.brokerAddrs.set(reg.brokerId, reg.brokerAddr)

    const version = `${reg.dataVersion.counter}@${reg.dataVersion.timestamp}`
    const prev = this.brokerLiveTable.get(reg.brokerAddr)
    if (reg.brokerId === MASTER_ID && (firstTime || prev?.dataVersion !== version)) {
      this.replaceQueueData(reg.brokerName, reg.topicConfigTable)
    }
    this.brokerLiveTable.set(reg.brokerAddr, {
      brokerName: reg.brokerName, lastUpdateMs: nowMs, dataVersion: version,
      haServerAddr: reg.haServerAddr, channelId: reg.channelId,
    })
    if (reg.brokerId === MASTER_ID) return {}
    const masterAddr = broker.brokerAddrs.get(MASTER_ID)
    if (masterAddr === undefined) return {}
    const haServerAddr = this.brokerLiveTable.get(masterAddr)?.haServerAddr
    return haServerAddr === undefined ? {masterAddr} : {masterAddr, haServerAddr}
  }

  unregisterBroker(h: {clusterName: string; brokerName: string; brokerAddr: string; brokerId: number}): void {
    this.removeAddr(h.brokerName, h.brokerAddr)
  }

  /** The remoting connection a broker registered on closed: it is gone (RocketMQ onChannelDestroy). */
  onChannelClose(channelId: number): void {
    for (const [addr, live] of this.brokerLiveTable) {
      if (live.channelId === channelId) this.removeAddr(live.brokerName, addr)
    }
  }

  /** Run every few seconds: brokers not heard from for `expiryMs` are removed. */
  scanNotActiveBroker(nowMs = Date.now(), expiryMs = BROKER_CHANNEL_EXPIRED_MS): string[] {
    const expired: string[] = []
    for (const [addr, live] of this.brokerLiveTable) {
      if (nowMs - live.lastUpdateMs > expiryMs) {
        expired.push(addr)
        this.removeAddr(live.brokerName, addr)
      }
    }
    return expired
  }

  /** undefined → TOPIC_NOT_EXIST. */
  pickupTopicRouteData(topic: string): TopicRouteData | undefined {
    const queues = this.topicQueueTable.get(topic)
    if (!queues || queues.size === 0) return undefined
    const queueDatas = [...queues.values()].map((q) => ({...q})).sort((a, b) => a.brokerName.localeCompare(b.brokerName))
    const brokerDatas: BrokerData[] = []
    for (const q of queueDatas) {
      const b = this.brokerAddrTable.get(q.brokerName)
      if (b) brokerDatas.push(this.brokerData(q.brokerName, b))
    }
    if (brokerDatas.length === 0) return undefined
    return {queueDatas, brokerDatas, filterServerTable: {}}
  }

  getClusterInfo(): ClusterInfo {
    const info: ClusterInfo = {brokerAddrTable: {}, clusterAddrTable: {}}
    for (const [name, b] of this.brokerAddrTable) info.brokerAddrTable[name] = this.brokerData(name, b)
    for (const [cluster, names] of this.clusterAddrTable) info.clusterAddrTable[cluster] = [...names].sort()
    return info
  }

  allTopics(): string[] {
    return [...this.topicQueueTable.keys()].sort()
  }

  private brokerData(brokerName: string, b: {cluster: string; brokerAddrs: Map<number, string>}): BrokerData {
    const brokerAddrs: Record<string, string> = {}
    for (const [id, addr] of [...b.brokerAddrs].sort((x, y) => x[0] - y[0])) brokerAddrs[String(id)] = addr
    return {cluster: b.cluster, brokerName, brokerAddrs}
  }

  private replaceQueueData(brokerName: string, table: Record<string, RegisteredTopicConfig>): void {
    for (const [topic, queues] of this.topicQueueTable) {
      if (!(topic in table) && queues.delete(brokerName) && queues.size === 0) this.topicQueueTable.delete(topic)
    }
    for (const tc of Object.values(table)) {
      let queues = this.topicQueueTable.get(tc.topicName)
      if (!queues) this.topicQueueTable.set(tc.topicName, (queues = new Map()))
      queues.set(brokerName, {
        brokerName, readQueueNums: tc.readQueueNums, writeQueueNums: tc.writeQueueNums,
        perm: tc.perm, topicSysFlag: tc.topicSysFlag ?? 0,
      })
    }
  }

  private removeAddr(brokerName: string, addr: string): void {
    this.brokerLiveTable.delete(addr)
    const broker = this.brokerAddrTable.get(brokerName)
    if (!broker) return
    for (const [id, a] of broker.brokerAddrs) if (a === addr) broker.brokerAddrs.delete(id)
    if (broker.brokerAddrs.size > 0) return
    this.brokerAddrTable.delete(brokerName)
    const names = this.clusterAddrTable.get(broker.cluster)
    if (names?.delete(brokerName) && names.size === 0) this.clusterAddrTable.delete(broker.cluster)
    for (const [topic, queues] of this.topicQueueTable) {
      if (queues.delete(brokerName) && queues.size === 0) this.topicQueueTable.delete(topic)
    }
  }
}
