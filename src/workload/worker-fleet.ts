/**
 * Producer and consumer worker processes of one run: spawned through the ProcessSupervisor (so they
 * are reaped like brokers), configured over IPC, stopped and awaited together.
 */
import {PID_DIR} from '../process/pid-files.js'
import {join} from 'node:path'
import {ProcessSupervisor} from '../process/process-supervisor.js'
import {TimeoutError} from '../errors.js'
import type {Scenario} from '../scenario/schema.js'
import {WorkerHandle, workerSpawnArgs} from './worker-handle.js'
import type {ConsumerWorkerConfig, DoneMessage, ProducerWorkerConfig, QueueRef, TickMessage} from './worker-messages.js'
import {behaviourGroups, type BehaviourGroupPlan} from './consumer-behaviours/behaviour-plan.js'
import type {WorkerControl} from './worker-control.js'
import type {AuditRecord} from '../recorder/audit-record.js'
import {outboxPath, respawnedLedger, type RunDir} from '../recorder/run-dir.js'
import {MASTER_ID} from '../protocol/common/mix-all.js'

export interface FleetPlan {
  scenario: Scenario
  runDir: RunDir
  runId: string
  namesrvAddr: string
  seed: number
  /** What to spawn per worker instead of worker-main (workload.client java: the JVM, see workload/java-worker.ts). */
  workerCommand?: {cmd: string; args: string[]}
}

const READY_TIMEOUT_MS = 30_000

/** One consumer group of the run and the names of its workers (consumer-<i>, numbered across groups in plan order). */
export interface FleetGroup extends BehaviourGroupPlan {
  workers: string[]
}

/**
 * The consumer groups a run starts: one per behaviour of workload.consumer (or the one plain group),
 * `consumers` workers each. Pure, so the offline audit finds the same groups and ledgers.
 */
export function fleetGroups(scenario: Scenario, runDir: RunDir): FleetGroup[] {
  const w = scenario.workload
  let next = 0
  return behaviourGroups(w.consumerGroup, w.consumer, runDir.root).map((g) => ({
    ...g, workers: Array.from({length: w.consumers}, () => `consumer-${next++}`),
  }))
}

/** Producers plus every group's consumers: the workers whose ticks make up one timeline second. */
export function plannedWorkers(scenario: Scenario, runDir: RunDir): number {
  return scenario.workload.producers + fleetGroups(scenario, runDir).reduce((n, g) => n + g.workers.length, 0)
}

/** Producer i's one queue under ordered sending: spread over the masters' broker names, then their queues. */
export function orderlyQueue(scenario: Scenario, producerId: number): QueueRef {
  const masters = [...new Set(scenario.cluster.brokers.filter((b) => b.brokerId === MASTER_ID).map((b) => b.brokerName))]
  const w = scenario.workload
  return {topic: w.topic, brokerName: masters[producerId % masters.length]!, queueId: Math.floor(producerId / masters.length) % w.queues}
}

/** What each behaviour consumer reported doing, by worker name, for the audit record. */
export function consumerCounts(reports: readonly DoneMessage[]): AuditRecord['consumerCounts'] {
  return reports.filter((d) => d.role === 'consumer' && d.behaviourCounts).map((d) => ({worker: `consumer-${d.workerId}`, counts: d.behaviourCounts!}))
}

export class WorkerFleet implements WorkerControl {
  readonly producers: WorkerHandle[] = []
  readonly consumers: WorkerHandle[] = []
  private readonly supervisor = new ProcessSupervisor()
  readonly groups: FleetGroup[]
  /** Every `done` received so far (consumers' behaviour counts are read from them by worker id). */
  readonly reports: DoneMessage[] = []
  /** Processes killed on purpose (chaos): their exit without `done` is expected, their ledgers still count. */
  private readonly killed = new Set<WorkerHandle>()
  private readonly consumerConfigs = new Map<string, ConsumerWorkerConfig>()
  private readonly producerConfigs = new Map<string, ProducerWorkerConfig>()
  /** Producer restarts under way (outbox runs): producersDone waits for them and for what they send. */
  private readonly restarting = new Set<Promise<void>>()
  private respawns = 0
  private producerRestarts = 0
  private beginAtMs = 0

  constructor(private readonly plan: FleetPlan, private readonly onTick: (t: TickMessage) => void) {
    this.groups = fleetGroups(plan.scenario, plan.runDir)
  }

  get size(): number {
    return this.producers.length + this.consumers.length
  }

  /** Consumers first and ready before any producer sends, so end-to-end latency has a reader from the start. */
  async start(): Promise<void> {
    const {scenario, runDir, runId, namesrvAddr, seed} = this.plan
    const w = scenario.workload
    // Producers start together at a planned instant; consumers know it, so warm-up deliveries stay out of e2e figures.
    const plannedStartMs = Date.now() + 1500
    // Binary headers cost about half of JSON's; our broker answers in the request's type. Real RocketMQ keeps JSON.
    const wireFormat = scenario.target === 'embedded' ? 'ROCKETMQ' : 'JSON'
    for (const [g, group] of this.groups.entries()) {
      const clientIds = group.workers.map((name) => `mqbench-${name}@${runId}`)
      for (const [k, name] of group.workers.entries()) {
        const i = Number(name.slice('consumer-'.length))
        const h = this.spawn(name)
        const config: ConsumerWorkerConfig = {
          role: 'consumer', wireFormat, workerId: i, runId, namesrvAddr, consumerGroup: group.consumerGroup, topic: w.topic,
          clientId: clientIds[k]!, groupClientIds: clientIds, ledgerPath: runDir.consumerLedger(i),
          drainTimeoutMs: w.drainTimeout, measureFromMs: plannedStartMs + w.warmup, clientSettings: w.java?.consumer,
          ...(group.behaviour ? {behaviour: group.behaviour, seed: seed + 1000 * (g + 1) + k} : {}),
        }
        h.start(config)
        this.consumerConfigs.set(name, config)
        this.consumers.push(h)
      }
    }
    await Promise.all(this.consumers.map((h) => withTimeout(h.ready, READY_TIMEOUT_MS, `${h.name} ready`)))
    const startAtMs = Math.max(plannedStartMs, Date.now() + 300)
    for (let i = 0; i < w.producers; i++) {
      const h = this.spawn(`producer-${i}`)
      const config: ProducerWorkerConfig = {
        role: 'producer', wireFormat, workerId: i, producerId: i, runId, namesrvAddr, producerGroup: w.producerGroup, topic: w.topic,
        sendMode: w.sendMode, ratePerSec: w.rate / w.producers, durationMs: w.duration, warmupMs: w.warmup,
        bodySizeBytes: w.messageSize, maxInFlight: w.maxInFlight, seed: seed + i, ledgerPath: runDir.producerLedger(i),
        sendMsgTimeout: w.sendMsgTimeout, retryTimesWhenSendFailed: w.retryTimesWhenSendFailed, awaitBegin: true, clientSettings: w.java?.producer,
        ...(w.outbox ? {outbox: {path: outboxPath(runDir, i)}} : {}),
        ...(w.ordered ? {queues: [orderlyQueue(scenario, i)]} : {}),
      }
      h.start(config)
      this.producerConfigs.set(h.name, config)
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

  /**
   * Producers stop on their own at the end of warm-up + duration; this waits for their final report,
   * including producers restarted after a kill (outbox runs), which report on their own.
   */
  async producersDone(timeoutMs: number): Promise<DoneMessage[]> {
    const deadline = Date.now() + timeoutMs
    const awaited = new Set<WorkerHandle>()
    const out: DoneMessage[] = []
    for (;;) {
      await Promise.all(this.restarting)
      const fresh = this.producers.filter((h) => !awaited.has(h))
      if (fresh.length === 0) return out
      for (const h of fresh) awaited.add(h)
      out.push(...await this.allDone(fresh, Math.max(1, deadline - Date.now())))
    }
  }

  /** Tells consumers to drain up to the offsets they see now, and waits for them. */
  async consumersDone(timeoutMs: number): Promise<DoneMessage[]> {
    for (const h of this.consumers) if (!this.killed.has(h)) h.stop()
    return this.allDone(this.consumers, timeoutMs)
  }

  names(role: 'producer' | 'consumer'): string[] {
    const list = role === 'producer' ? this.producers : this.consumers
    return list.filter((h) => !this.killed.has(h) && h.child.exitCode === null && h.child.signalCode === null).map((h) => h.name)
  }

  /**
   * SIGKILL. A producer with an outbox is an application its supervisor restarts at once: the new
   * process (a new producer id, the same outbox table) re-sends what the dead one left PENDING.
   */
  async kill(name: string): Promise<void> {
    const p = this.supervisor.get(name)
    if (!p?.running) throw new TimeoutError(`worker ${name} is not running`)
    const h = [...this.producers, ...this.consumers].find((x) => x.name === name)
    if (h) this.killed.add(h)
    p.kill('SIGKILL')
    await p.exited
    if (this.producerConfigs.has(name) && this.plan.scenario.workload.outbox) {
      const restart = this.restartProducer(name).finally(() => this.restarting.delete(restart))
      this.restarting.add(restart)
    }
  }

  /** A consumer comes back as a new process: same client id (so the same queues), a fresh ledger file. */
  async respawn(name: string): Promise<void> {
    const config = this.consumerConfigs.get(name)
    if (!config) return
    const fresh: ConsumerWorkerConfig = {...config, ledgerPath: respawnedLedger(this.plan.runDir, name, ++this.respawns)}
    const h = this.spawn(name)
    h.start(fresh)
    await withTimeout(h.ready, READY_TIMEOUT_MS, `${name} ready (respawned)`)
    this.consumers[this.consumers.findIndex((x) => x.name === name)] = h
  }

  /** The restarted producer sends for what is left of the measured window, under a producer id no one used. */
  private async restartProducer(name: string): Promise<void> {
    const old = this.producerConfigs.get(name)!
    const w = this.plan.scenario.workload
    const producerId = w.producers + this.producerRestarts++
    // Its clock starts on a whole second of the run's, so its ticks land in the right timeline seconds.
    const second = Math.max(0, Math.ceil((Date.now() + 500 - this.loadStartMs) / 1000))
    const startAtMs = this.loadStartMs + second * 1000
    const config: ProducerWorkerConfig = {
      ...old, producerId, seed: old.seed + 7919 * (producerId + 1), ledgerPath: this.plan.runDir.producerLedger(producerId),
      warmupMs: 0, startAtMs, durationMs: Math.max(100, this.loadStartMs + w.duration - startAtMs), awaitBegin: false,
    }
    const h = this.spawn(name, second)
    h.start(config)
    this.producers[this.producers.findIndex((x) => x.name === name)] = h
    this.producerConfigs.set(name, config)
    await withTimeout(h.ready, READY_TIMEOUT_MS, `${name} ready (restarted)`)
  }

  /** Waits for every worker's `done`, except those killed on purpose (they report nothing). */
  private async allDone(handles: WorkerHandle[], timeoutMs: number): Promise<DoneMessage[]> {
    const done = await Promise.all(handles.map((h) => h.waitDone(timeoutMs).catch((err: unknown) => {
      if (this.killed.has(h)) return undefined
      throw err
    })))
    const reported = done.filter((d): d is DoneMessage => d !== undefined)
    this.reports.push(...reported)
    return reported
  }

  /** Asks every worker to stop, then reaps whatever is still running. */
  async stop(graceMs = 3000): Promise<void> {
    for (const h of [...this.producers, ...this.consumers]) {
      if (h.child.connected) h.stop()
    }
    await this.supervisor.stopAll(graceMs)
  }

  /** tickOffsetS: seconds between the run's measured window and this worker's own (a restarted producer's). */
  private spawn(name: string, tickOffsetS = 0): WorkerHandle {
    const {cmd, args} = this.plan.workerCommand ?? {cmd: process.execPath, args: workerSpawnArgs()}
    const p = this.supervisor.spawn(name, cmd, args, {
      ipc: true,
      logFile: join(this.plan.runDir.logsDir, `${name}.log`),
      pidFile: join(this.plan.runDir.root, PID_DIR, `${name}.pid`),
    })
    const h = new WorkerHandle(p.child, name)
    h.tick(tickOffsetS === 0 ? this.onTick : (t) => this.onTick({...t, t: t.t + tickOffsetS}))
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
