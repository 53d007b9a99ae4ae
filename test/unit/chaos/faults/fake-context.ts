/**
 * A fake FaultContext for the fault plugins: a Cluster that records kill/pause/resume/restart, workers
 * that record kill/respawn, a NetworkControl that records setFaults, and a fault admin that is a real
 * RemotingServer on loopback answering MQBENCH_FAULT (so the disk faults go through the remoting
 * protocol exactly as against a broker) and recording every request body.
 */
import type {ChaosBroker, FaultContext, ResolvedTarget, WorkerControl} from '../../../../src/chaos/fault-action.js'
import type {NetworkControl} from '../../../../src/chaos/proxy/fault-proxy-process.js'
import type {NetFaults} from '../../../../src/chaos/proxy/net-faults.js'
import type {Cluster, ClusterNode} from '../../../../src/cluster/cluster.js'
import type {LastFlush} from '../../../../src/cluster/flush-log.js'
import {newResponse} from '../../../../src/protocol/remoting-command.js'
import {RequestCode} from '../../../../src/protocol/request-code.js'
import {ResponseCode} from '../../../../src/protocol/response-code.js'
import {RemotingServer} from '../../../../src/remoting/remoting-server.js'

export function broker(node: string, brokerId: number, conf: ChaosBroker['conf'] = {}, role = brokerId === 0 ? 'SYNC_MASTER' : 'SLAVE'): ChaosBroker {
  return {node, brokerName: node.slice(0, node.lastIndexOf('-')), brokerId, brokerRole: role, flushDiskType: 'SYNC_FLUSH', conf}
}

export function brokerTarget(...names: string[]): ResolvedTarget {
  return {spec: names.length === 1 ? `broker:${names[0]}` : 'all', kind: 'broker', names}
}

export class FakeCluster implements Cluster {

  /** No flush log unless a test sets one. */
  lastFlushBefore: (node: string, atMs: number) => LastFlush | undefined = () => undefined

  flusherSettings(): {flushIntervalCommitLog: number; flushCommitLogLeastPages: number; flushCommitLogThoroughInterval: number} {
    return {flushIntervalCommitLog: 500, flushCommitLogLeastPages: 4, flushCommitLogThoroughInterval: 10_000}
  }

  async commitLogDigest(): Promise<string | undefined> {
    return undefined
  }
  readonly namesrvAddr = '127.0.0.1:9876'
  readonly calls: string[] = []
  private readonly up = new Map<string, boolean>()
  /** Per node: what restart() does besides recording (e.g. check the store it would start on). */
  onRestart: ((node: string) => void | Promise<void>) | undefined

  constructor(readonly brokers: ChaosBroker[], private readonly extra: (b: ChaosBroker) => Partial<ClusterNode> = () => ({})) {
    for (const b of brokers) this.up.set(b.node, true)
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  nodes(): ClusterNode[] {
    return this.brokers.map((b) => ({
      name: b.node, kind: 'broker', brokerName: b.brokerName, brokerId: b.brokerId, addr: '127.0.0.1:1',
      pid: this.up.get(b.node) ? 1000 + b.brokerId : undefined, ...this.extra(b),
    }))
  }
  async kill(node: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    this.calls.push(`kill:${signal} ${node}`)
    this.up.set(node, false)
  }
  async pause(node: string): Promise<void> {
    this.calls.push(`pause ${node}`)
  }
  async resume(node: string): Promise<void> {
    this.calls.push(`resume ${node}`)
  }
  async restart(node: string): Promise<void> {
    this.calls.push(`restart ${node}`)
    await this.onRestart?.(node)
    this.up.set(node, true)
  }
}

export class FakeWorkers implements WorkerControl {
  readonly calls: string[] = []
  names(role: 'producer' | 'consumer'): string[] {
    return [`${role}-0`, `${role}-1`]
  }
  async kill(name: string): Promise<void> {
    this.calls.push(`kill ${name}`)
  }
  async respawn(name: string): Promise<void> {
    this.calls.push(`respawn ${name}`)
  }
}

export class FakeNetwork implements NetworkControl {
  readonly calls: {routes: string[]; faults: NetFaults}[] = []
  constructor(private readonly slavesOf: Record<string, string[]> = {}) {}
  clientRoute(node: string): string {
    return `client:${node}`
  }
  haRoutes(node: string): string[] {
    return this.slavesOf[node]?.map((s) => `ha:${s}`) ?? [`ha:${node}`]
  }
  async setFaults(routes: string[], faults: NetFaults): Promise<void> {
    this.calls.push({routes, faults})
  }
}

/** A loopback MQBENCH_FAULT endpoint: records each request body and answers `code` (SUCCESS by default). */
export class FakeFaultAdmin {
  readonly bodies: unknown[] = []
  code: number = ResponseCode.SUCCESS
  private readonly server = new RemotingServer({port: 0})
  addr = ''

  async start(): Promise<this> {
    this.server.registerHandler(RequestCode.MQBENCH_FAULT, (req) => {
      this.bodies.push(JSON.parse(req.body?.toString('utf8') ?? 'null'))
      const body = Buffer.from(JSON.stringify({active: [], stats: {}}))
      return newResponse(req, this.code, this.code === ResponseCode.SUCCESS ? {body} : {remark: 'fault injection is off'})
    })
    this.addr = `127.0.0.1:${await this.server.start()}`
    return this
  }

  stop(): Promise<void> {
    return this.server.stop()
  }
}

export function fakeContext(parts: {cluster: FakeCluster; network?: NetworkControl; workers?: FakeWorkers}): FaultContext & {lines: string[]} {
  const lines: string[] = []
  return {
    cluster: parts.cluster, workers: parts.workers ?? new FakeWorkers(), brokers: parts.cluster.brokers,
    log: (line) => lines.push(line), lines, ...(parts.network && {network: parts.network}),
  }
}
