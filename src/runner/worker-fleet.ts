/**
 * Producer and consumer worker processes of one run: spawned through the ProcessSupervisor (so they
 * are reaped like brokers), configured over IPC, stopped and awaited together.
 */
import {join} from 'node:path'
import {ProcessSupervisor} from '../cluster/process-supervisor.js'
import {TimeoutError} from '../errors.js'
import type {Scenario} from '../scenario/schema.js'
import {WorkerHandle, workerSpawnArgs} from '../workload/worker-handle.js'
import type {ConsumerWorkerConfig, DoneMessage, TickMessage, WorkerConfig} from '../workload/worker-messages.js'
import type {WorkerControl} from '../chaos/fault-action.js'
import type {RunDir} from './run-dir.js'

export interface FleetPlan {
  scenario: Scenario
  runDir: RunDir
  runId: string
  namesrvAddr: string
  seed: number
}

const READY_TIMEOUT_MS = 30_000

export class WorkerFleet implements WorkerControl {
  readonly producers: WorkerHandle[] = []
  readonly consumers: WorkerHandle[] = []
  private readonly supervisor = new ProcessSupervisor()
  /** Workers killed on purpose (chaos): their exit without `done` is expected, their ledgers still count. */
  private readonly killed = new Set<string>()
  private readonly consumerConfigs = new Map<string, ConsumerWorkerConfig>()
  private respawns = 0
  private beginAtMs = 0

  constructor(private readonly plan: FleetPlan, private readonly onTick: (t: TickMessage) => void) {}

  get size(): number {
    return this.producers.length + this.consumers.length
  }

  /** Consumers first and ready before any producer sends, so end-to-end latency has a reader from the start. */
  async start(): Promise<void> {
    const {scenario, runDir, runId, namesrvAddr, seed} = this.plan
    const w = scenario.workload
    // Producers start together at a planned instant; consumers know it, so warm-up deliveries stay out of e2e figures.
    const plannedStartMs = Date.now() + 1500
    const clientIds = Array.from({length: w.consumers}, (_, i) => `mqbench-consumer-${i}@${runId}`)
    for (let i = 0; i < w.consumers; i++) {
      const h = this.spawn(`consumer-${i}`)
      const config: ConsumerWorkerConfig = {
        role: 'consumer', workerId: i, runId, namesrvAddr, consumerGroup: w.consumerGroup, topic: w.topic,
        clientId: clientIds[i]!, groupClientIds: clientIds, ledgerPath: runDir.consumerLedger(i),
        drainTimeoutMs: w.drainTimeout, measureFromMs: plannedStartMs + w.warmup,
      }
      h.start(config)
      this.consumerConfigs.set(h.name, config)
      this.consumers.push(h)
    }
    await Promise.all(this.consumers.map((h) => withTimeout(h.ready, READY_TIMEOUT_MS, `${h.name} ready`)))
    const startAtMs = Math.max(plannedStartMs, Date.now() + 300)
    for (let i = 0; i < w.producers; i++) {
      const h = this.spawn(`producer-${i}`)
      const config: WorkerConfig = {
        role: 'producer', workerId: i, producerId: i, runId, namesrvAddr, producerGroup: w.producerGroup, topic: w.topic,
        sendMode: w.sendMode, ratePerSec: w.rate / w.producers, durationMs: w.duration, warmupMs: w.warmup,
        bodySizeBytes: w.messageSize, maxInFlight: w.maxInFlight, seed: seed + i, ledgerPath: runDir.producerLedger(i),
        sendMsgTimeout: w.sendMsgTimeout, retryTimesWhenSendFailed: w.retryTimesWhenSendFailed, awaitBegin: true,
      }
      h.start(config)
      this.producers.push(h)
    }
    await Promise.all(this.producers.map((h) => withTimeout(h.ready, READY_TIMEOUT_MS, `${h.name} ready`)))
    // The clock starts only once every producer is up: a slow spawn would otherwise drop its first slots.
    const beginAtMs = Math.max(startAtMs, Date.now() + 100)
    this.beginAtMs = beginAtMs
    for (const h of this.producers) h.begin(beginAtMs)
  }

  /** Epoch ms where the measured window (and the fault clock) starts: producers' begin + warm-up. */
  get loadStartMs(): number {
    return this.beginAtMs + this.plan.scenario.workload.warmup
  }

  /** Producers stop on their own at the end of warm-up + duration; this waits for their final report. */
  async producersDone(timeoutMs: number): Promise<DoneMessage[]> {
    return this.allDone(this.producers, timeoutMs)
  }

  /** Tells consumers to drain up to the offsets they see now, and waits for them. */
  async consumersDone(timeoutMs: number): Promise<DoneMessage[]> {
    for (const h of this.consumers) if (!this.killed.has(h.name)) h.stop()
    return this.allDone(this.consumers, timeoutMs)
  }

  names(role: 'producer' | 'consumer'): string[] {
    const list = role === 'producer' ? this.producers : this.consumers
    return list.filter((h) => !this.killed.has(h.name) && h.child.exitCode === null && h.child.signalCode === null).map((h) => h.name)
  }

  async kill(name: string): Promise<void> {
    const p = this.supervisor.get(name)
    if (!p?.running) throw new TimeoutError(`worker ${name} is not running`)
    this.killed.add(name)
    p.kill('SIGKILL')
    await p.exited
  }

  /** A consumer comes back as a new process: same client id (so the same queues), a fresh ledger file. */
  async respawn(name: string): Promise<void> {
    const config = this.consumerConfigs.get(name)
    if (!config) return
    const fresh: ConsumerWorkerConfig = {...config, ledgerPath: join(this.plan.runDir.ledgersDir, `${name}.r${++this.respawns}.ledger`)}
    const h = this.spawn(name)
    h.start(fresh)
    await withTimeout(h.ready, READY_TIMEOUT_MS, `${name} ready (respawned)`)
    this.consumers[this.consumers.findIndex((x) => x.name === name)] = h
    this.killed.delete(name)
  }

  /** Waits for every worker's `done`, except those killed on purpose (they report nothing). */
  private async allDone(handles: WorkerHandle[], timeoutMs: number): Promise<DoneMessage[]> {
    const done = await Promise.all(handles.map((h) => h.waitDone(timeoutMs).catch((err: unknown) => {
      if (this.killed.has(h.name)) return undefined
      throw err
    })))
    return done.filter((d): d is DoneMessage => d !== undefined)
  }

  /** Asks every worker to stop, then reaps whatever is still running. */
  async stop(graceMs = 3000): Promise<void> {
    for (const h of [...this.producers, ...this.consumers]) {
      if (h.child.connected) h.stop()
    }
    await this.supervisor.stopAll(graceMs)
  }

  private spawn(name: string): WorkerHandle {
    const p = this.supervisor.spawn(name, process.execPath, workerSpawnArgs(), {
      ipc: true,
      logFile: join(this.plan.runDir.logsDir, `${name}.log`),
    })
    const h = new WorkerHandle(p.child, name)
    h.tick(this.onTick)
    return h
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TimeoutError(`${what}: no answer within ${ms} ms`)), ms)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}
