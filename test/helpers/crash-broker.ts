/**
 * One namesrv + one master broker as real processes (EmbeddedCluster over dist/), for tests that
 * kill, damage and restart the broker. Every pid the node ever had is remembered, so teardown can
 * prove that nothing outlived the test.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {Admin} from '../../src/client/admin.js'
import type {FlushDiskType} from '../../src/cluster/cluster.js'
import {EmbeddedCluster} from '../../src/cluster/embedded-cluster.js'
import {alive} from './pids.js'

export const BROKER_NODE = 'broker-a-0'
const repo = join(import.meta.dirname, '..', '..')

/** EmbeddedCluster spawns the compiled entries: build once when they are missing. */
export function ensureDist(): void {
  if (!existsSync(join(repo, 'dist/src/broker/main.js'))) {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], {cwd: repo, stdio: 'ignore'})
  }
}

export interface CrashBrokerOptions {
  flushDiskType: FlushDiskType
  extraConf?: Record<string, string | number | boolean>
  /** prefix of the temporary run directory */
  name: string
}

export class CrashBroker {
  readonly runDir: string
  readonly cluster: EmbeddedCluster
  private readonly pids = new Set<number>()

  constructor(opts: CrashBrokerOptions) {
    this.runDir = mkdtempSync(join(tmpdir(), `mqbench-${opts.name}-`))
    this.cluster = new EmbeddedCluster({
      runDir: this.runDir,
      brokers: [{brokerName: 'broker-a', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: opts.flushDiskType, extraConf: opts.extraConf}],
      stopGraceMs: 5000,
    })
  }

  get namesrvAddr(): string {
    return this.cluster.namesrvAddr
  }

  get addr(): string {
    return this.node().addr
  }

  get storeDir(): string {
    return this.node().storeDir!
  }

  get pid(): number | undefined {
    return this.node().pid
  }

  get logFile(): string {
    return join(this.runDir, BROKER_NODE, `${BROKER_NODE}.log`)
  }

  log(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : ''
  }

  async start(topic: string, queueNums: number): Promise<void> {
    ensureDist()
    await this.cluster.start()
    this.remember()
    const admin = new Admin({namesrvAddr: this.namesrvAddr})
    try {
      await admin.createTopic({topic, queueNums, brokerAddr: this.addr})
    } finally {
      admin.shutdown()
    }
  }

  /** kill -9: resolves once the process is gone. */
  async kill(): Promise<void> {
    const pid = this.pid
    await this.cluster.kill(BROKER_NODE, 'SIGKILL')
    if (pid !== undefined && alive(pid)) throw new Error(`broker pid ${pid} survived SIGKILL`)
  }

  /** Clean stop (SIGTERM): full flush, checkpoint, abort marker removed. */
  async stopClean(): Promise<void> {
    await this.cluster.kill(BROKER_NODE, 'SIGTERM')
  }

  async restart(): Promise<void> {
    await this.cluster.restart(BROKER_NODE)
    this.remember()
  }

  /** Stops everything, then proves every pid is gone; the run directory is removed. */
  async teardown(): Promise<string[]> {
    await this.cluster.stop()
    const survivors = [...this.pids].filter(alive).map(String)
    rmSync(this.runDir, {recursive: true, force: true})
    return survivors
  }

  private node() {
    const n = this.cluster.nodes().find((x) => x.name === BROKER_NODE)
    if (!n) throw new Error(`no node ${BROKER_NODE}`)
    return n
  }

  private remember(): void {
    for (const n of this.cluster.nodes()) if (n.pid !== undefined) this.pids.add(n.pid)
  }
}
