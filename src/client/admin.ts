/**
 * Admin calls mqbench needs around a run (mqadmin's updateTopic, cluster listing, queue offsets):
 * UPDATE_AND_CREATE_TOPIC on every master of a cluster or on one broker address,
 * GET_BROKER_CLUSTER_INFO, GET_MAX_OFFSET / GET_MIN_OFFSET (rocketmq-protocol.md §3.4, §3.9, §3.10),
 * GET_BROKER_RUNTIME_INFO, GET_BROKER_CONFIG, EXCHANGE_BROKER_HA_INFO (5.x) and our own MQBENCH_FAULT. Every broker call of mqbench that is not a
 * produce or a consume goes through here, so chaos, runner and audit never open a connection themselves.
 */
import {MqbenchError} from '../errors.js'
import {type ClusterInfo, decodeClusterInfo} from '../protocol/bodies/cluster-info.js'
import {type FaultAdminRequest, type FaultAdminResponse, newFaultAdminRequest} from '../protocol/bodies/fault-admin.js'
import {AUTO_CREATE_TOPIC_KEY_TOPIC, MASTER_ID} from '../protocol/common/mix-all.js'
import {decodeOffsetResponseHeader, encodeGetMaxOffsetRequestHeader, encodeGetMinOffsetRequestHeader} from '../protocol/headers/consumer-offset.js'
import {encodeCreateTopicRequestHeader} from '../protocol/headers/topic.js'
import {newRequest, type RemotingCommand} from '../protocol/remoting-command.js'
import {RequestCode} from '../protocol/request-code.js'
import {ResponseCode} from '../protocol/response-code.js'
import {RemotingClient} from '../remoting/remoting-client.js'
import {expectSuccess} from './expect-success.js'
import type {MessageQueue} from './message.js'
import {RouteCache} from './route-cache.js'
import {PermName} from '../protocol/common/perm-name.js'

export interface AdminOptions {
  namesrvAddr?: string
  remoting?: RemotingClient
  timeoutMs?: number
  log?: (line: string) => void
}

export interface CreateTopicOptions {
  topic: string
  queueNums: number
  /** Create on this broker only; otherwise on every master known to the namesrv. */
  brokerAddr?: string
  /** Restrict the masters to one cluster (default: all clusters). */
  clusterName?: string
  perm?: number
  order?: boolean
}

export class Admin {
  private readonly remoting: RemotingClient
  private readonly ownsRemoting: boolean
  private readonly routes: RouteCache | undefined
  private readonly timeoutMs: number

  constructor(opts: AdminOptions = {}) {
    this.ownsRemoting = opts.remoting === undefined
    this.remoting = opts.remoting ?? new RemotingClient({log: opts.log})
    this.routes = opts.namesrvAddr === undefined ? undefined : new RouteCache({remoting: this.remoting, namesrvAddr: opts.namesrvAddr, log: opts.log})
    this.timeoutMs = opts.timeoutMs ?? 5000
  }

  shutdown(): void {
    if (this.ownsRemoting) this.remoting.close()
  }

  /** @returns the broker addresses the topic was created on. */
  async createTopic(opts: CreateTopicOptions): Promise<string[]> {
    const addrs = opts.brokerAddr !== undefined ? [opts.brokerAddr] : masterAddrs(await this.getClusterInfo(), opts.clusterName)
    if (addrs.length === 0) {
      throw new MqbenchError('NO_BROKER', `no master broker${opts.clusterName ? ` in cluster ${opts.clusterName}` : ''} to create ${opts.topic} on`)
    }
    const header = encodeCreateTopicRequestHeader({
      topic: opts.topic,
      defaultTopic: AUTO_CREATE_TOPIC_KEY_TOPIC,
      readQueueNums: opts.queueNums,
      writeQueueNums: opts.queueNums,
      perm: opts.perm ?? (PermName.READ | PermName.WRITE),
      topicFilterType: 'SINGLE_TAG',
      topicSysFlag: 0,
      order: opts.order ?? false,
    })
    for (const addr of addrs) {
      const response = await this.remoting.invoke(addr, newRequest(RequestCode.UPDATE_AND_CREATE_TOPIC, header), this.timeoutMs)
      expectSuccess(response, `UPDATE_AND_CREATE_TOPIC ${opts.topic} on ${addr}`)
    }
    return addrs
  }

  async getClusterInfo(): Promise<ClusterInfo> {
    const response = await this.namesrv().invokeNamesrv(newRequest(RequestCode.GET_BROKER_CLUSTER_INFO))
    expectSuccess(response, 'GET_BROKER_CLUSTER_INFO')
    return decodeClusterInfo(response.body)
  }

  async getMaxOffset(mq: MessageQueue): Promise<number> {
    const header = encodeGetMaxOffsetRequestHeader({topic: mq.topic, queueId: mq.queueId})
    return this.offsetQuery(mq, newRequest(RequestCode.GET_MAX_OFFSET, header), 'GET_MAX_OFFSET')
  }

  async getMinOffset(mq: MessageQueue): Promise<number> {
    const header = encodeGetMinOffsetRequestHeader({topic: mq.topic, queueId: mq.queueId})
    return this.offsetQuery(mq, newRequest(RequestCode.GET_MIN_OFFSET, header), 'GET_MIN_OFFSET')
  }

  /** Asks the master, or any address of the broker name when the master is gone. */
  private async offsetQuery(mq: MessageQueue, req: RemotingCommand, what: string): Promise<number> {
    const routes = this.namesrv()
    let addrs = routes.brokerAddrs(mq.brokerName)
    if (addrs === undefined) {
      await routes.getRoute(mq.topic, {refresh: true})
      addrs = routes.brokerAddrs(mq.brokerName)
    }
    const addr = addrs?.[MASTER_ID] ?? Object.values(addrs ?? {})[0]
    if (addr === undefined) throw new MqbenchError('BROKER_NOT_FOUND', `no address for broker ${mq.brokerName}`, {brokerName: mq.brokerName})
    const response = await this.remoting.invoke(addr, req, this.timeoutMs)
    expectSuccess(response, what)
    return decodeOffsetResponseHeader(response.extFields).offset
  }

  /** GET_BROKER_RUNTIME_INFO's table (RocketMQ's BrokerController.getRuntimeInfo keys); undefined when the broker refuses. */
  async runtimeInfo(brokerAddr: string, timeoutMs = this.timeoutMs): Promise<Record<string, string> | undefined> {
    const res = await this.remoting.invoke(brokerAddr, newRequest(RequestCode.GET_BROKER_RUNTIME_INFO), timeoutMs)
    if (res.code !== ResponseCode.SUCCESS || !res.body) return undefined
    return (JSON.parse(res.body.toString('utf8')) as {table?: Record<string, string>}).table
  }

  /** GET_BROKER_CONFIG's body: the broker's effective config as `key=value` lines (MixAll.properties2String). */
  async brokerConfig(brokerAddr: string, timeoutMs = this.timeoutMs): Promise<Record<string, string>> {
    const res = await this.remoting.invoke(brokerAddr, newRequest(RequestCode.GET_BROKER_CONFIG), timeoutMs)
    expectSuccess(res, `GET_BROKER_CONFIG on ${brokerAddr}`)
    const conf: Record<string, string> = {}
    for (const line of (res.body?.toString('utf8') ?? '').split('\n')) {
      const eq = line.indexOf('=')
      if (eq > 0) conf[line.slice(0, eq).trim()] = line.slice(eq + 1).trim()
    }
    return conf
  }

  /** The broker's CommitLog end (runtime info maxPhyOffset), -1 when it does not say. */
  async maxPhyOffset(brokerAddr: string, timeoutMs = this.timeoutMs): Promise<number> {
    const v = Number((await this.runtimeInfo(brokerAddr, timeoutMs))?.maxPhyOffset ?? -1)
    return Number.isFinite(v) ? v : -1
  }

  /**
   * Points a 5.x slave's HA client at `masterHaAddress` (EXCHANGE_BROKER_HA_INFO with the address set, as
   * AdminBrokerProcessor.updateBrokerHaInfo reads it); the slave keeps it until told otherwise or restarted.
   */
  async setHaMasterAddress(slaveAddr: string, masterHaAddress: string, masterAddress: string): Promise<void> {
    const res = await this.remoting.invoke(slaveAddr, newRequest(RequestCode.EXCHANGE_BROKER_HA_INFO, {masterHaAddress, masterAddress}), this.timeoutMs)
    expectSuccess(res, 'EXCHANGE_BROKER_HA_INFO')
  }

  /** MQBENCH_FAULT to one embedded broker; a refusal is a RemotingError carrying the response code and remark. */
  async faultAdmin(brokerAddr: string, body: FaultAdminRequest, timeoutMs = this.timeoutMs): Promise<FaultAdminResponse> {
    const res = await this.remoting.invoke(brokerAddr, newFaultAdminRequest(body), timeoutMs)
    expectSuccess(res, 'MQBENCH_FAULT')
    return JSON.parse(res.body?.toString('utf8') ?? '{}') as FaultAdminResponse
  }

  private namesrv(): RouteCache {
    if (this.routes === undefined) throw new MqbenchError('NO_NAMESRV', 'this admin call needs namesrvAddr')
    return this.routes
  }
}

function masterAddrs(info: ClusterInfo, clusterName: string | undefined): string[] {
  const names =
    clusterName === undefined ? Object.keys(info.brokerAddrTable) : (info.clusterAddrTable[clusterName] ?? [])
  const out: string[] = []
  for (const name of names) {
    const master = info.brokerAddrTable[name]?.brokerAddrs[MASTER_ID]
    if (master !== undefined) out.push(master)
  }
  return out
}


/** One-shot createTopic for callers without an Admin (contract: createTopic({namesrvAddr or brokerAddr, topic, queueNums})). */
export async function createTopic(opts: CreateTopicOptions & {namesrvAddr?: string; timeoutMs?: number}): Promise<string[]> {
  const admin = new Admin({namesrvAddr: opts.namesrvAddr, timeoutMs: opts.timeoutMs})
  try {
    return await admin.createTopic(opts)
  } finally {
    admin.shutdown()
  }
}
