/**
 * A cluster mqbench did not start (`--namesrv host:port`, `cluster.namesrv`): its brokers are found in
 * the namesrv's cluster info (GET_BROKER_CLUSTER_INFO) and each one's role and flush mode in its own
 * config (GET_BROKER_CONFIG), so the verdict judges the promises the cluster actually makes. Load,
 * audit, thresholds and reports work as on our own clusters; nothing here owns a process or a disk,
 * so kill, pause, resume and restart refuse (the run refuses such faults before it starts, see
 * chaos/real-target.ts), and stop() leaves the cluster as it found it.
 */
import {Admin} from '../client/admin.js'
import {ConfigError, toMqbenchError} from '../errors.js'
import type {BrokerRole, FlushDiskType} from '../protocol/common/broker-role.js'
import {brokerNodeName, type Cluster, type ClusterNode, type FlusherSettings} from './cluster.js'
import type {ScenarioBroker} from './embedded-conf-check.js'
import {rocketmqFlusherSettings} from './rocketmq-flusher.js'

const ROLES: readonly string[] = ['ASYNC_MASTER', 'SYNC_MASTER', 'SLAVE'] satisfies BrokerRole[]
const FLUSH: readonly string[] = ['ASYNC_FLUSH', 'SYNC_FLUSH'] satisfies FlushDiskType[]
const TIMEOUT_MS = 5_000

export interface DiscoveredBroker extends ScenarioBroker {
  addr: string
  /** The broker's whole reported config (flusher settings are read from it). */
  reported: Record<string, string>
}

export interface DiscoveredCluster {
  namesrvAddr: string
  clusterName: string
  brokers: DiscoveredBroker[]
}

/** Problems with the namesrv or what it lists are usage errors (exit 2) naming the setting, found before any run directory exists. */
function refuse(namesrvAddr: string, what: string): never {
  throw new ConfigError(`cluster.namesrv (--namesrv) ${namesrvAddr}: ${what}`, {field: 'namesrv', hint: 'point --namesrv at a running namesrv (host:port)'})
}

/** The cluster named `wanted` at the namesrv; when the namesrv serves exactly one cluster of another name, that one. */
export async function discoverCluster(namesrvAddr: string, wanted: string): Promise<DiscoveredCluster> {
  const admin = new Admin({namesrvAddr, timeoutMs: TIMEOUT_MS})
  try {
    const info = await admin.getClusterInfo().catch((err: unknown) => refuse(namesrvAddr, `no namesrv answers (${toMqbenchError(err).message})`))
    const clusters = Object.keys(info.clusterAddrTable)
    // A scenario's clusterName is ours (MqbenchCluster by default); an existing cluster has its own.
    const clusterName = clusters.includes(wanted) ? wanted : clusters.length === 1 ? clusters[0]! : undefined
    if (clusterName === undefined) {
      refuse(namesrvAddr, clusters.length === 0 ? 'the namesrv lists no broker' : `no cluster '${wanted}' (it serves ${clusters.join(', ')}; set cluster.clusterName)`)
    }
    const brokers: DiscoveredBroker[] = []
    for (const brokerName of info.clusterAddrTable[clusterName]!) {
      const addrs = info.brokerAddrTable[brokerName]?.brokerAddrs ?? {}
      for (const [id, addr] of Object.entries(addrs)) brokers.push(await describeBroker(admin, namesrvAddr, brokerName, Number(id), addr))
    }
    if (!brokers.some((b) => b.brokerId === 0)) refuse(namesrvAddr, `cluster ${clusterName} has no master (brokerId 0) registered`)
    return {namesrvAddr, clusterName, brokers: brokers.sort((a, b) => brokerNodeName(a).localeCompare(brokerNodeName(b)))}
  } finally {
    admin.shutdown()
  }
}

async function describeBroker(admin: Admin, namesrvAddr: string, brokerName: string, brokerId: number, addr: string): Promise<DiscoveredBroker> {
  const reported = await admin.brokerConfig(addr).catch((err: unknown) => refuse(namesrvAddr, `broker ${brokerName} (${addr}) does not give its config (${toMqbenchError(err).message})`))
  const {brokerRole, flushDiskType} = reported
  if (brokerRole === undefined || !ROLES.includes(brokerRole) || flushDiskType === undefined || !FLUSH.includes(flushDiskType)) {
    refuse(namesrvAddr, `broker ${brokerName} (${addr}) reports brokerRole '${brokerRole}' and flushDiskType '${flushDiskType}', expected ${ROLES.join('/')} and ${FLUSH.join('/')}`)
  }
  return {brokerName, brokerId, brokerRole: brokerRole as BrokerRole, flushDiskType: flushDiskType as FlushDiskType, conf: {}, addr, reported}
}

export class ExistingCluster implements Cluster {
  readonly namesrvAddr: string
  private readonly found: DiscoveredCluster

  constructor(found: DiscoveredCluster) {
    this.found = found
    this.namesrvAddr = found.namesrvAddr
  }

  /** Nothing to start: checks the namesrv still lists every broker found before the run. */
  async start(): Promise<void> {
    const now = await discoverCluster(this.namesrvAddr, this.found.clusterName)
    const gone = this.found.brokers.filter((b) => !now.brokers.some((n) => n.addr === b.addr && brokerNodeName(n) === brokerNodeName(b)))
    if (gone.length > 0) refuse(this.namesrvAddr, `no longer lists ${gone.map(brokerNodeName).join(', ')}`)
  }

  /** mqbench never stops what it did not start. */
  async stop(): Promise<void> {}

  nodes(): ClusterNode[] {
    const namesrv: ClusterNode = {name: 'namesrv', kind: 'namesrv', addr: this.namesrvAddr, pid: undefined, external: true}
    return [namesrv, ...this.found.brokers.map((b): ClusterNode => ({
      name: brokerNodeName(b), kind: 'broker', brokerName: b.brokerName, brokerId: b.brokerId, addr: b.addr, pid: undefined, external: true,
    }))]
  }

  kill(node: string): Promise<void> {
    return this.cannot('kill', node)
  }

  pause(node: string): Promise<void> {
    return this.cannot('pause', node)
  }

  resume(node: string): Promise<void> {
    return this.cannot('resume', node)
  }

  restart(node: string): Promise<void> {
    return this.cannot('restart', node)
  }

  /** Its store is on the brokers' own disks, out of reach. */
  storeFs(): undefined {
    return undefined
  }

  /** No flush log is readable from outside. */
  lastFlushBefore(): undefined {
    return undefined
  }

  /** As the broker reports its config (RocketMQ's defaults where a key is absent). */
  flusherSettings(node: string): FlusherSettings {
    return rocketmqFlusherSettings(this.found.brokers.find((b) => brokerNodeName(b) === node)?.reported ?? {})
  }

  /** The CommitLog files are on the brokers' own disks, out of reach. */
  async commitLogDigest(): Promise<string | undefined> {
    return undefined
  }

  private async cannot(what: string, node: string): Promise<void> {
    throw new ConfigError(`cannot ${what} ${node}: the cluster at ${this.namesrvAddr} was not started by mqbench (--namesrv), so its processes and disks are out of reach`)
  }
}
