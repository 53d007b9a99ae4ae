/**
 * A real Apache RocketMQ cluster (namesrv + brokers) run from the jars that scripts/rocketmq-install.mjs
 * put in the Maven cache. Each node gets its own directory under runDir, used as -Duser.home so logs
 * and default paths never collide, a generated .conf file and loopback ports picked at start.
 */
import {PID_DIR} from '../process/pid-files.js'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {ConfigError, RunBrokenError} from '../errors.js'
import {type BrokerSpec, brokerNodeName, type Cluster, type ClusterNode, type FlusherSettings} from './cluster.js'
import {allocateBrokerPorts, allocatePort} from '../process/ports.js'
import {ProcessSupervisor, type ManagedProcess} from '../process/process-supervisor.js'
import {MASTER_ID} from '../protocol/common/mix-all.js'
import {type FaultFsMount, storeFsMount} from './faultfs/faultfs-mount.js'
import {awaitRegistered} from './namesrv-registration.js'
import {applyHaMasterAddress, configuredHaMasterAddress} from './ha-master-address.js'
import {rocketmqFlusherSettings} from './rocketmq-flusher.js'
import {startFailure} from './jvm-start-failure.js'
import {jvmArgs} from './rocketmq-jvm.js'
import {DEFAULT_ROCKETMQ_VERSION, isRocketMQAvailable} from './rocketmq-install.js'

// Where callers have always found them.
export {DEFAULT_ROCKETMQ_VERSION, isRocketMQAvailable, rocketmqInstallDir, type RocketMQAvailability} from './rocketmq-install.js'

/** ext4's default commit interval (mount option commit=5). */
const EXT4_JOURNAL_COMMIT_MS = 5_000

export interface RocketMQClusterOptions {
  /** Root for every node's directory (config, store, logs). */
  runDir: string
  brokers: BrokerSpec[]
  version?: string
  clusterName?: string
  /** Per-node readiness deadline; JVM start on two busy cores can take a while. */
  readyTimeoutMs?: number
  /** SIGTERM-to-SIGKILL grace for stop() and restart(). */
  stopGraceMs?: number
  /** -Xms/-Xmx of each broker, e.g. '512m'. */
  brokerHeap?: string
  /** Extra environment for every JVM, e.g. ROCKETMQ_SERIALIZE_TYPE=ROCKETMQ for binary response headers. */
  env?: Record<string, string>
  supervisor?: ProcessSupervisor
}

interface NodeState {
  node: ClusterNode
  spec?: BrokerSpec
  port: number
  dir: string
  confFile: string
  ready: RegExp
  /** What the namesrv lists for a broker: brokerIP1 (another loopback address when the fault proxy takes its clients) and its port. */
  registeredAddr?: string
  process?: ManagedProcess
  /** storeFs: faultfs — mounted before each launch where a power cut left it unmounted. */
  faultfs?: FaultFsMount
}

/** Refuses specs RocketMQ itself would refuse (or silently reinterpret) before any JVM starts. */
export function validateBrokerSpecs(specs: BrokerSpec[]): void {
  if (specs.length === 0) throw new ConfigError('a RocketMQ cluster needs at least one broker', {field: 'brokers'})
  const names = new Set<string>()
  specs.forEach((spec, i) => {
    const field = `brokers[${i}]`
    if (!/^[A-Za-z0-9_-]+$/.test(spec.brokerName)) throw new ConfigError(`${field}.brokerName must match [A-Za-z0-9_-]+, got '${spec.brokerName}'`, {field})
    const master = spec.brokerRole !== 'SLAVE'
    if (master ? spec.brokerId !== MASTER_ID : !(Number.isInteger(spec.brokerId) && spec.brokerId > 0)) {
      throw new ConfigError(`${field}.brokerId must be ${master ? '0 for a master' : 'an integer > 0 for a SLAVE'}, got ${spec.brokerId}`, {field})
    }
    const name = brokerNodeName(spec)
    if (names.has(name)) throw new ConfigError(`${field} duplicates broker ${name}`, {field})
    names.add(name)
    for (const [key, value] of Object.entries(spec.extraConf ?? {})) {
      if (!/^[A-Za-z][A-Za-z0-9.]*$/.test(key) || /[\r\n]/.test(String(value))) {
        throw new ConfigError(`${field}.extraConf.${key} is not a valid broker.conf key/value`, {field})
      }
    }
  })
}

export interface BrokerConfContext {
  version: string
  clusterName: string
  namesrvAddr: string
  listenPort: number
  storeDir: string
  /** HA address of this broker group's master, when the cluster has one: slaves connect directly. */
  masterHaAddr?: string
  /** Number of brokers sharing this brokerName. */
  groupSize: number
}

/** broker.conf text. No trailing blanks: RocketMQ does not trim numbers/booleans and then drops them silently. */
export function renderBrokerConf(spec: BrokerSpec, ctx: BrokerConfContext): string {
  const is5 = !ctx.version.startsWith('4.')
  const conf: Record<string, string | number | boolean> = {
    brokerClusterName: ctx.clusterName,
    brokerName: spec.brokerName,
    brokerId: spec.brokerId,
    brokerRole: spec.brokerRole,
    flushDiskType: spec.flushDiskType,
    namesrvAddr: ctx.namesrvAddr,
    brokerIP1: '127.0.0.1',
    brokerIP2: '127.0.0.1',
    listenPort: ctx.listenPort,
    storePathRootDir: ctx.storeDir,
    storePathCommitLog: join(ctx.storeDir, 'commitlog'),
    // 64 MiB instead of 1 GiB: quicker first start and rollover within short runs; same on master and slave.
    mappedFileSizeCommitLog: 64 * 1024 * 1024,
    autoCreateTopicEnable: true,
    autoCreateSubscriptionGroup: true,
  }
  // 4.x always uses listenPort+1 for HA and ignores the key; 5.x honours it, so keep both on the same port.
  if (is5) conf.haListenPort = ctx.listenPort + 1
  // NettyServerConfig.bindAddress (5.x; default 0.0.0.0) binds the main and fast remoting ports. RocketMQ has
  // no authentication here. 4.9.x has no such key, and no version can bind the HA port (DefaultHAService
  // listens on InetSocketAddress(haListenPort), every interface).
  if (is5) conf.bindAddress = '127.0.0.1'
  // Without these a 5.x SYNC_MASTER acknowledges without waiting for any slave (QuorumACK).
  if (is5 && spec.brokerRole === 'SYNC_MASTER') {
    conf.totalReplicas = Math.max(2, ctx.groupSize)
    conf.inSyncReplicas = 2
  }
  // A 5.x slave learns its master's HA address from its registration unless the conf sets one (the fault
  // proxy's HA route), which launch() then applies (ha-master-address.ts); 4.x needs it set.
  if (!is5 && spec.brokerRole === 'SLAVE' && ctx.masterHaAddr !== undefined) conf.haMasterAddress = ctx.masterHaAddr
  // 5.x slaves refuse every pull (SYSTEM_BUSY "[REJECTREQUEST]") unless slaveReadEnable: the audit reads each
  // replica, and consumers read on from the slave while the master is down. Only the slave's own key; the
  // master's (which redirects consumers to the slave when they lag) stays at its default.
  if (is5 && spec.brokerRole === 'SLAVE') conf.slaveReadEnable = true
  Object.assign(conf, spec.extraConf)
  return Object.entries(conf).map(([k, v]) => `${k}=${String(v).trim()}`).join('\n') + '\n'
}

export class RocketMQCluster implements Cluster {
  private readonly opts: Required<Omit<RocketMQClusterOptions, 'supervisor'>>
  private readonly supervisor: ProcessSupervisor
  private readonly states = new Map<string, NodeState>()
  private install: {libDir: string; homeDir: string} | undefined
  private readonly startupMs = new Map<string, number>()

  constructor(options: RocketMQClusterOptions) {
    validateBrokerSpecs(options.brokers)
    this.opts = {
      runDir: options.runDir,
      brokers: options.brokers,
      version: options.version ?? DEFAULT_ROCKETMQ_VERSION,
      clusterName: options.clusterName ?? 'MqbenchCluster',
      readyTimeoutMs: options.readyTimeoutMs ?? 90_000,
      stopGraceMs: options.stopGraceMs ?? 30_000,
      brokerHeap: options.brokerHeap ?? '512m',
      env: options.env ?? {},
    }
    this.supervisor = options.supervisor ?? new ProcessSupervisor()
  }

  get namesrvAddr(): string {
    const namesrv = this.states.get('namesrv')
    if (namesrv === undefined) throw new RunBrokenError('namesrvAddr is known only after start()')
    return namesrv.node.addr
  }

  async start(): Promise<void> {
    const available = isRocketMQAvailable(this.opts.version)
    if (!available.ok) throw new ConfigError(available.reason, {hint: 'npm run rocketmq:install'})
    this.install = available
    try {
      if (this.states.size === 0) await this.prepare()
      for (const state of this.states.values()) await this.launch(state)
    } catch (err) {
      await this.stop()
      throw err
    }
  }

  /** Brokers first (in parallel), then namesrv, so brokers can unregister on their way down. */
  async stop(): Promise<void> {
    const brokers = [...this.states.values()].filter((s) => s.node.kind === 'broker')
    await Promise.all(brokers.map((s) => s.process?.stop(this.opts.stopGraceMs)))
    await Promise.all(brokers.map((s) => s.faultfs?.unmount()))
    await this.states.get('namesrv')?.process?.stop(this.opts.stopGraceMs)
  }

  storeFs(node: string): FaultFsMount | undefined {
    return this.states.get(node)?.faultfs
  }

  nodes(): ClusterNode[] {
    return [...this.states.values()].map((s) => ({...s.node, pid: s.process?.running ? s.process.pid : undefined}))
  }

  /** Milliseconds from spawn to readiness line of each node's latest start. */
  startupTimes(): Record<string, number> {
    return Object.fromEntries(this.startupMs)
  }

  /** RocketMQ keeps no flush log: no flush is known, so a power-cut window is judged without one. */
  lastFlushBefore(): undefined {
    return undefined
  }

  flusherSettings(node: string): FlusherSettings {
    return rocketmqFlusherSettings(this.opts.brokers.find((b) => brokerNodeName(b) === node)?.extraConf ?? {})
  }

  /** Not compared for a real RocketMQ (its store layout is its own business). */
  async commitLogDigest(): Promise<string | undefined> {
    return undefined
  }

  async kill(node: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const proc = this.state(node).process
    if (proc === undefined || !proc.running) return
    proc.kill(signal)
    // SIGQUIT/SIGUSR* only make a JVM dump or log, so only these are waited for.
    if (signal === 'SIGKILL' || signal === 'SIGTERM' || signal === 'SIGINT') await proc.exited
  }

  async pause(node: string): Promise<void> {
    await this.state(node).process?.pause()
  }

  async resume(node: string): Promise<void> {
    await this.state(node).process?.resume()
  }

  async restart(node: string): Promise<void> {
    const state = this.state(node)
    await state.process?.stop(this.opts.stopGraceMs)
    await this.launch(state)
  }

  private state(node: string): NodeState {
    const state = this.states.get(node)
    if (state === undefined) throw new ConfigError(`no node '${node}' in this cluster (nodes: ${[...this.states.keys()].join(', ')})`)
    return state
  }

  private async prepare(): Promise<void> {
    const {runDir, version, brokers} = this.opts
    const nsPort = await allocatePort()
    const namesrvAddr = `127.0.0.1:${nsPort}`
    const nsDir = join(runDir, 'namesrv')
    const nsConf = `listenPort=${nsPort}\n` + (version.startsWith('4.') ? '' : 'bindAddress=127.0.0.1\n')
    this.addNode({name: 'namesrv', kind: 'namesrv', addr: namesrvAddr, pid: undefined}, nsPort, nsDir, nsConf, /The Name Server boot success/)
    const ports = new Map<string, number>()
    for (const spec of brokers) ports.set(brokerNodeName(spec), (await allocateBrokerPorts()).listenPort)
    for (const spec of brokers) {
      const name = brokerNodeName(spec)
      const listenPort = ports.get(name)!
      const dir = join(runDir, name)
      const storeDir = join(dir, 'store')
      // config/ (topics.json, offsets; RocketMQ writes them with no fsync) is kept out of the cut, and the disk
      // commits its metadata journal every 5 s as ext4 does (RocketMQ preallocates CommitLog files by setLength
      // and never fsyncs that size): see README "faultfs".
      const faultfs = storeFsMount(spec.extraConf, dir, storeDir, ['config'], EXT4_JOURNAL_COMMIT_MS)
      const group = brokers.filter((b) => b.brokerName === spec.brokerName)
      const master = group.find((b) => b.brokerRole !== 'SLAVE')
      const masterHaAddr = master === undefined ? undefined : `127.0.0.1:${ports.get(brokerNodeName(master))! + 1}`
      // On faultfs the JVM writes (and maps) through the mount; storeDir stays the backing "disk".
      const ctx = {version, clusterName: this.opts.clusterName, namesrvAddr, listenPort, storeDir: faultfs?.opts.mountPoint ?? storeDir, masterHaAddr, groupSize: group.length}
      const registeredAddr = `${String(spec.extraConf?.['brokerIP1'] ?? '127.0.0.1')}:${listenPort}`
      const ready = new RegExp(`The broker\\[${spec.brokerName}, ${registeredAddr.replaceAll('.', '\\.')}\\] boot success`)
      const node: ClusterNode = {name, kind: 'broker', brokerName: spec.brokerName, brokerId: spec.brokerId, addr: `127.0.0.1:${listenPort}`, pid: undefined, storeDir}
      this.addNode(node, listenPort, dir, renderBrokerConf(spec, ctx), ready, spec)
      this.states.get(name)!.registeredAddr = registeredAddr
      if (faultfs) this.states.get(name)!.faultfs = faultfs
    }
  }

  private addNode(node: ClusterNode, port: number, dir: string, conf: string, ready: RegExp, spec?: BrokerSpec): void {
    mkdirSync(dir, {recursive: true})
    const confFile = join(dir, `${node.name}.conf`)
    writeFileSync(confFile, conf)
    this.states.set(node.name, {node, spec, port, dir, confFile, ready})
  }

  private async launch(state: NodeState): Promise<void> {
    const {libDir, homeDir} = this.install!
    await state.faultfs?.mount()
    const isBroker = state.node.kind === 'broker'
    const heap = isBroker ? this.opts.brokerHeap : '256m'
    const args = jvmArgs({kind: state.node.kind, heap, version: this.opts.version, userHome: state.dir, libDir, confFile: state.confFile})
    const began = performance.now()
    const proc = this.supervisor.spawn(state.node.name, 'java', args, {
      cwd: state.dir,
      env: {...process.env, ...this.opts.env, ROCKETMQ_HOME: homeDir},
      logFile: join(state.dir, 'stdout.log'),
      pidFile: join(state.dir, '..', PID_DIR, `${state.node.name}.pid`),
    })
    state.process = proc
    try {
      await proc.waitForLine(state.ready, this.opts.readyTimeoutMs)
      // "boot success" comes before the broker registers with the namesrv (up to its first register
      // period later): ready is when the namesrv lists it, or topic creation finds no master.
      if (isBroker) {
        await awaitRegistered(this.namesrvAddr, {...state.node, addr: state.registeredAddr ?? state.node.addr}, () => proc.running, {deadline: began + this.opts.readyTimeoutMs, logs: join(state.dir, 'logs')})
        const haMaster = configuredHaMasterAddress(state.spec)
        const master = [...this.states.values()].find((m) => m.spec?.brokerName === state.spec?.brokerName && m.spec?.brokerRole !== 'SLAVE')
        if (haMaster !== undefined && master !== undefined) await applyHaMasterAddress(this.opts.version, state.node, haMaster, master.node.addr)
      }
    } catch (err) {
      await proc.stop(2_000)
      throw startFailure(state.node.name, state.dir, err)
    }
    this.startupMs.set(state.node.name, Math.round(performance.now() - began))
  }
}
