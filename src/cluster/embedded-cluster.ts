/**
 * Our own namesrv and brokers as real OS processes (compiled JS from dist/, spawned with node:
 * ~120 ms per process against ~350 ms through tsx), one run directory per node holding its
 * generated broker.conf, store and log. kill/pause/resume are real signals; restart reuses the
 * node's ports, config and store, so a restart after kill -9 exercises recovery.
 */
import {PID_DIR} from '../process/pid-files.js'
import {existsSync} from 'node:fs'
import {mkdir, writeFile} from 'node:fs/promises'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {RunBrokenError} from '../errors.js'
import {commitLogDigest} from '../broker/ha/commit-log-digest.js'
import {type BrokerSpec, brokerNodeName, type Cluster, type ClusterNode, type FlusherSettings} from './cluster.js'
import {embeddedFlusherSettings} from './embedded-conf-check.js'
import {FLUSH_LOG_FILE_NAME, type LastFlush, lastFlushBefore, readFlushLog} from './flush-log.js'
import {allocateBrokerPorts, allocatePort} from '../process/ports.js'
import {type ManagedProcess, ProcessSupervisor} from '../process/process-supervisor.js'
import {type FaultFsMount, storeFsMount} from './faultfs/faultfs-mount.js'

export interface EmbeddedClusterOptions {
  runDir: string
  brokers: BrokerSpec[]
  clusterName?: string
  /** Readiness wait per node (default 30 s); recovery of a large store can take a while. */
  readyTimeoutMs?: number
  /** Grace period between SIGTERM and SIGKILL on stop (default 10 s). */
  stopGraceMs?: number
  /** Directory holding the compiled entries src/broker/main.js and src/broker/namesrv/main.js. */
  distDir?: string
}

interface NodeState {
  node: ClusterNode
  args: string[]
  readyPattern: RegExp
  paused: boolean
  /** storeFs: faultfs — mounted before each launch where a power cut left it unmounted. */
  faultfs?: FaultFsMount
}

const NAMESRV = 'namesrv'
// Small commit-log files keep a test store light; scenarios override through extraConf.
const DEFAULT_MAPPED_FILE_SIZE_COMMIT_LOG = 64 * 1024 * 1024
const DRAIN_TRANSFER_COUNT = 1024
const DRAIN_TRANSFER_BYTES = 2 * 1024 * 1024
const TERMINATING: ReadonlySet<string> = new Set(['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGABRT', 'SIGHUP'])

/** dist/ next to src/, whether this module runs compiled (dist/src/cluster) or from source (src/cluster). */
function defaultDistDir(): string {
  const here = dirname(fileURLToPath(import.meta.url))
  const repoOrDist = resolve(here, '..', '..')
  return existsSync(join(repoOrDist, 'src', 'broker', 'main.js')) ? repoOrDist : join(repoOrDist, 'dist')
}


function confText(conf: Record<string, string | number | boolean>): string {
  return Object.entries(conf).map(([k, v]) => `${k}=${String(v)}`).join('\n') + '\n'
}

export class EmbeddedCluster implements Cluster {
  private readonly supervisor = new ProcessSupervisor()
  private readonly states = new Map<string, NodeState>()
  private readonly distDir: string
  private namesrvPort = 0

  constructor(private readonly opts: EmbeddedClusterOptions) {
    this.distDir = opts.distDir ?? defaultDistDir()
  }

  get namesrvAddr(): string {
    return `127.0.0.1:${this.namesrvPort}`
  }

  async start(): Promise<void> {
    for (const entry of ['src/broker/main.js', 'src/broker/namesrv/main.js']) {
      if (!existsSync(join(this.distDir, entry))) {
        throw new RunBrokenError(`embedded cluster: ${join(this.distDir, entry)} is missing`, {hint: 'run `npm run build` first'})
      }
    }
    try {
      await this.prepareNamesrv()
      await this.launch(NAMESRV)
      // Masters first: a slave learns its master's HA address from namesrv at registration.
      const ordered = [...this.opts.brokers].sort((a, b) => a.brokerId - b.brokerId)
      for (const spec of ordered) await this.prepareBroker(spec)
      for (const spec of ordered) await this.launch(brokerNodeName(spec))
    } catch (err) {
      await this.supervisor.stopAll(0)
      await this.unmountAll()
      throw err
    }
  }

  storeFs(node: string): FaultFsMount | undefined {
    return this.states.get(node)?.faultfs
  }

  /** Clean unmounts (every unsynced byte lands) once no broker writes any more. */
  private async unmountAll(): Promise<void> {
    await Promise.all([...this.states.values()].map((s) => s.faultfs?.unmount()))
  }

  async stop(): Promise<void> {
    const grace = this.opts.stopGraceMs ?? 10_000
    const brokers = [...this.states.keys()].filter((n) => n !== NAMESRV)
    // Brokers first, so their UNREGISTER_BROKER still reaches a running namesrv.
    await Promise.all(brokers.map((n) => this.stopNode(n, grace)))
    await this.unmountAll()
    await this.stopNode(NAMESRV, grace)
  }

  nodes(): ClusterNode[] {
    return [...this.states.values()].map((s) => {
      const p = this.supervisor.get(s.node.name)
      return {...s.node, pid: p?.running ? p.pid : undefined}
    })
  }

  lastFlushBefore(node: string, atMs: number): LastFlush | undefined {
    const storeDir = this.states.get(node)?.node.storeDir
    return storeDir === undefined ? undefined : lastFlushBefore(readFlushLog(join(storeDir, FLUSH_LOG_FILE_NAME)), atMs)
  }

  flusherSettings(node: string): FlusherSettings {
    return embeddedFlusherSettings(this.opts.brokers.find((b) => brokerNodeName(b) === node)?.extraConf ?? {})
  }

  async commitLogDigest(node: string, maxOffset: number): Promise<string | undefined> {
    const storeDir = this.states.get(node)?.node.storeDir
    return storeDir === undefined ? undefined : commitLogDigest(storeDir, maxOffset)
  }

  async kill(node: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const p = this.running(node)
    p.kill(signal)
    if (TERMINATING.has(signal)) await p.exited
  }

  /** Resolves once the kernel reports the process stopped (the contract suite caught a bare SIGSTOP returning before that). */
  async pause(node: string): Promise<void> {
    await this.running(node).pause()
    this.state(node).paused = true
  }

  async resume(node: string): Promise<void> {
    await this.running(node).resume()
    this.state(node).paused = false
  }

  async restart(node: string): Promise<void> {
    await this.stopNode(node, this.opts.stopGraceMs ?? 10_000)
    await this.launch(node)
  }

  private state(node: string): NodeState {
    const s = this.states.get(node)
    if (!s) throw new RunBrokenError(`embedded cluster: no node named '${node}' (have: ${[...this.states.keys()].join(', ')})`)
    return s
  }

  private running(node: string): ManagedProcess {
    const p = this.supervisor.get(this.state(node).node.name)
    if (!p?.running) throw new RunBrokenError(`embedded cluster: node '${node}' is not running`)
    return p
  }

  private async stopNode(node: string, graceMs: number): Promise<void> {
    const s = this.state(node)
    const p = this.supervisor.get(node)
    if (!p?.running) return
    // A SIGSTOPped process cannot act on SIGTERM; wake it so it can shut down cleanly.
    if (s.paused) p.kill('SIGCONT')
    s.paused = false
    await p.stop(graceMs)
  }

  private async prepareNamesrv(): Promise<void> {
    this.namesrvPort = await allocatePort()
    const dir = join(this.opts.runDir, NAMESRV)
    await mkdir(dir, {recursive: true})
    this.states.set(NAMESRV, {
      node: {name: NAMESRV, kind: 'namesrv', addr: this.namesrvAddr, pid: undefined},
      args: [join(this.distDir, 'src/broker/namesrv/main.js'), '--port', String(this.namesrvPort)],
      readyPattern: /^mqbench namesrv ready /,
      paused: false,
    })
  }

  private async prepareBroker(spec: BrokerSpec): Promise<void> {
    const name = brokerNodeName(spec)
    const ports = await allocateBrokerPorts()
    const dir = join(this.opts.runDir, name)
    const storeDir = join(dir, 'store')
    await mkdir(storeDir, {recursive: true})
    // flush.log is evidence for the power-loss verdict, not store data: written straight through.
    const faultfs = storeFsMount(spec.extraConf, dir, storeDir, ['flush.log'])
    const conf = {
      brokerClusterName: this.opts.clusterName ?? 'DefaultCluster',
      brokerName: spec.brokerName, brokerId: spec.brokerId, brokerRole: spec.brokerRole,
      flushDiskType: spec.flushDiskType, listenPort: ports.listenPort, haListenPort: ports.haListenPort,
      namesrvAddr: this.namesrvAddr, brokerIP1: '127.0.0.1', brokerIP2: '127.0.0.1',
      storePathRootDir: storeDir, mappedFileSizeCommitLog: DEFAULT_MAPPED_FILE_SIZE_COMMIT_LOG,
      // Consumers ask for 32 per pull (pullBatchSize); the final read asks for more (workload/drain.ts), and
      // RocketMQ's 32 / 256 KiB caps would make it 300k round trips for 10M messages.
      maxTransferCountOnMessageInMemory: DRAIN_TRANSFER_COUNT, maxTransferBytesOnMessageInMemory: DRAIN_TRANSFER_BYTES,
      ...spec.extraConf,
      // On faultfs the broker writes through the mount; storeDir stays the backing "disk", readable after a cut.
      ...(faultfs && {storePathRootDir: faultfs.opts.mountPoint}),
    }
    const confFile = join(dir, 'broker.conf')
    await writeFile(confFile, confText(conf))
    this.states.set(name, {
      node: {name, kind: 'broker', brokerName: spec.brokerName, brokerId: spec.brokerId, addr: `127.0.0.1:${ports.listenPort}`, pid: undefined, storeDir},
      args: [join(this.distDir, 'src/broker/main.js'), '-c', confFile],
      readyPattern: /^mqbench broker ready /,
      paused: false,
      ...(faultfs && {faultfs}),
    })
  }

  private async launch(node: string): Promise<void> {
    const s = this.state(node)
    await s.faultfs?.mount()
    const logFile = join(this.opts.runDir, node, `${node}.log`)
    const p = this.supervisor.spawn(node, process.execPath, s.args, {logFile, cwd: join(this.opts.runDir, node), pidFile: join(this.opts.runDir, PID_DIR, `${node}.pid`)})
    await p.waitForLine(s.readyPattern, this.opts.readyTimeoutMs ?? 30_000)
  }
}
