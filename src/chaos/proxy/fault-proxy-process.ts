/**
 * The orchestrator's handle on the fault proxy process: spawned from the compiled main.js (reaped with
 * every other child of the run), one client route per broker (registered with namesrv in the broker's
 * place via mqbenchRegisterAddr) and one HA route per slave (its haMasterAddress), pointed at the real
 * ports once the cluster runs. Network faults then act on route names through setFaults().
 */
import {PID_DIR} from '../../process/pid-files.js'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {ProcessSupervisor} from '../../process/process-supervisor.js'
import type {ClusterNode} from '../../cluster/cluster.js'
import {RunBrokenError} from '../../errors.js'
import type {ChaosBroker, NetworkControl} from '../fault-action.js'
import type {NetFaults} from './net-faults.js'
import {ProxyControlClient} from './proxy-control.js'
import {MASTER_ID} from '../../protocol/common/mix-all.js'

/** The loopback address a real broker registers when its client link runs through the proxy (Linux routes all of 127/8). */
export const CLIENT_ALIAS_HOST = '127.0.0.2'
export const NETWORK_FAULT_TYPES: ReadonlySet<string> = new Set(['latency', 'bandwidth', 'drop', 'blackhole', 'partition', 'slow-close'])

/** What network faults see of the proxy (FaultContext.network). */
export type {NetworkControl}

export class FaultProxyProcess implements NetworkControl {
  private readonly haByMaster = new Map<string, string[]>()

  private constructor(
    private readonly supervisor: ProcessSupervisor,
    private readonly control: ProxyControlClient,
    private readonly brokers: ChaosBroker[],
    /** node → extra broker.conf keys that route it through the proxy */
    readonly conf: Map<string, Record<string, string>>,
    private readonly aliasClientLinks = false,
  ) {}

  /**
   * clientLinks: 'register' (our broker registers the proxy's address, mqbenchRegisterAddr), 'alias' (a real 5.x
   * broker registers brokerIP1 = CLIENT_ALIAS_HOST and the proxy takes that host with the broker's own port, once
   * known: pointRoutes), or 'none' (HA routes only).
   */
  static async start(opts: {runDir: string; seed: number; brokers: ChaosBroker[]; clientLinks?: 'register' | 'alias' | 'none'}): Promise<FaultProxyProcess> {
    // Compiled, main.js sits beside this file; from source (tests under tsx) use the compiled tree.
    const main = [join(import.meta.dirname, 'main.js'), join(import.meta.dirname, '..', '..', '..', 'dist', 'src', 'chaos', 'proxy', 'main.js')]
      .find((f) => existsSync(f)) ?? join(import.meta.dirname, 'main.js')
    if (!existsSync(main)) throw new RunBrokenError(`fault proxy: ${main} is missing`, {hint: 'run `npm run build` first'})
    const supervisor = new ProcessSupervisor()
    const p = supervisor.spawn('fault-proxy', process.execPath, [main, '--seed', String(opts.seed)], {logFile: join(opts.runDir, 'fault-proxy.log'), pidFile: join(opts.runDir, PID_DIR, 'fault-proxy.pid')})
    const line = await p.waitForLine(/^mqbench proxy ready control=/, 15_000)
    const control = new ProxyControlClient(line.slice(line.indexOf('=') + 1).trim())
    const conf = new Map<string, Record<string, string>>()
    const links = opts.clientLinks ?? 'register'
    for (const b of opts.brokers) {
      conf.set(b.node, links === 'alias' ? {brokerIP1: CLIENT_ALIAS_HOST} : {})
      if (links !== 'register') continue
      const port = await control.addRoute(`client:${b.node}`)
      conf.get(b.node)!['mqbenchRegisterAddr'] = `127.0.0.1:${port}`
    }
    const proxy = new FaultProxyProcess(supervisor, control, opts.brokers, conf, links === 'alias')
    for (const b of opts.brokers.filter((x) => x.brokerId > 0)) {
      const port = await control.addRoute(`ha:${b.node}`)
      conf.get(b.node)!['haMasterAddress'] = `127.0.0.1:${port}`
      const master = opts.brokers.find((m) => m.brokerName === b.brokerName && m.brokerId === MASTER_ID)
      if (master) proxy.haByMaster.set(master.node, [...(proxy.haByMaster.get(master.node) ?? []), `ha:${b.node}`])
    }
    return proxy
  }

  /** Once the cluster runs: every route to its broker's real port (HA: the master's listenPort + 1). */
  async pointRoutes(nodes: ClusterNode[]): Promise<void> {
    const addr = (node: string): string | undefined => nodes.find((n) => n.name === node)?.addr
    for (const b of this.brokers) {
      const a = addr(b.node)
      if (a && this.aliasClientLinks && !this.registeredAddr(b.node)) {
        // The broker binds 127.0.0.1 only (bindAddress) and registers CLIENT_ALIAS_HOST with the same port.
        const port = Number(a.slice(a.lastIndexOf(':') + 1))
        await this.control.addRoute(`client:${b.node}`, {listenHost: CLIENT_ALIAS_HOST, listenPort: port, target: a})
        this.conf.get(b.node)!['mqbenchRegisterAddr'] = `${CLIENT_ALIAS_HOST}:${port}`
      } else if (a && this.registeredAddr(b.node)) await this.control.setTarget(`client:${b.node}`, a)
      if (b.brokerId === MASTER_ID) continue
      const master = this.brokers.find((m) => m.brokerName === b.brokerName && m.brokerId === MASTER_ID)
      const ma = master && addr(master.node)
      if (ma) await this.control.setTarget(`ha:${b.node}`, `127.0.0.1:${Number(ma.slice(ma.lastIndexOf(':') + 1)) + 1}`)
    }
  }

  /**
   * Until every slave's HA link carries bytes upstream through its route (the slave has reported its offset
   * to the master), or the deadline: a real 5.x slave retries its HA connection only every 5 s, and a
   * SYNC_MASTER answers SLAVE_NOT_AVAILABLE before that. @returns the HA routes still silent.
   */
  async awaitHaLinks(timeoutMs: number): Promise<string[]> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const silent = (await this.control.info()).filter((r) => r.name.startsWith('ha:') && (r.open === 0 || r.bytesUp === 0)).map((r) => r.name)
      if (silent.length === 0 || Date.now() > deadline) return silent
      await new Promise((r) => setTimeout(r, 200))
    }
  }

  /** The address clients know this node by (namesrv's route holds it instead of the node's own). */
  registeredAddr(node: string): string | undefined {
    return this.conf.get(node)?.['mqbenchRegisterAddr']
  }

  clientRoute(node: string): string {
    return `client:${node}`
  }

  haRoutes(node: string): string[] {
    const b = this.brokers.find((x) => x.node === node)
    if (!b) return []
    return b.brokerId > 0 ? [`ha:${node}`] : this.haByMaster.get(node) ?? []
  }

  async setFaults(routes: string[], faults: NetFaults): Promise<void> {
    for (const r of routes) await this.control.setFaults(r, faults)
  }

  async stop(): Promise<void> {
    this.control.close()
    await this.supervisor.stopAll(2000)
  }
}
