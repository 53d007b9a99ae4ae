/**
 * A fresh RocketMQ JVM climbs from about 1k to 7k msg/s over its first ~10 s while its JIT compiles the
 * send path, so a short run against it measures the compiler, not the broker. Before the measured run, a
 * real target gets load of the run's own shape (producers, send mode, size, rate) on a separate topic,
 * until the per-second SEND_OK rate is steady or a maximum passed. Its messages are not the run's: they
 * go to their own topic, their ledgers to a subdirectory, so the audit never sees them.
 */
import {join} from 'node:path'
import {Admin} from '../client/admin.js'
import {waitForRoute} from '../client/wait-for-route.js'
import type {SendCounters} from '../metrics/counters.js'
import {runDirAt, type RunDir} from '../recorder/run-dir.js'
import type {Scenario} from '../scenario/schema.js'
import {WorkerFleet} from './worker-fleet.js'
import type {TickMessage} from './worker-messages.js'

/** A real target's warm-up before the measured run : how long until the JVM's rate was steady. */
export interface JvmWarmupResult {
  ms: number
  /** false: the maximum passed first; the run went on with a JVM that may still be warming. */
  steady: boolean
  /** SEND_OK per second of the warm-up load (its own topic, never audited). */
  sendOkPerSecond: number[]
  /** The run's rate (0: as fast as possible, steady around the last seconds' mean). */
  targetRate: number
  /** Steady below the target after SATURATED_AFTER_S: the mean SEND_OK/s of the steady seconds (the broker is saturated). */
  plateauRate?: number
  steadySeconds: number
  tolerance: number
}

/** Steady: this many consecutive seconds each within TOLERANCE of the target (or of their mean at rate 0). */
export const STEADY_SECONDS = 3
export const TOLERANCE = 0.05
export const MAX_WARMUP_MS = 60_000
const ROUTE_TIMEOUT_MS = 30_000

/** After this many seconds a plateau below the target counts as steady: the broker is saturated, not warming (a rate search's probes above capacity). */
export const SATURATED_AFTER_S = 15

/** Whether the last STEADY_SECONDS per-second SEND_OK counts are steady around `target` (0, or saturated: around their mean). */
export function isSteady(perSecond: readonly number[], target: number): boolean {
  if (perSecond.length < STEADY_SECONDS) return false
  const last = perSecond.slice(-STEADY_SECONDS)
  const within = (centre: number): boolean => centre > 0 && last.every((n) => Math.abs(n - centre) <= TOLERANCE * centre)
  const mean = last.reduce((a, b) => a + b, 0) / last.length
  if (target <= 0) return within(mean)
  return within(target) || (perSecond.length >= SATURATED_AFTER_S && within(mean))
}

/** The run's load shape on `topic`, producers only, no warm-up of its own, long enough for the maximum. */
export function warmupScenario(scenario: Scenario, topic: string, maxMs: number): Scenario {
  const s = structuredClone(scenario)
  const w = s.workload
  Object.assign(w, {topic, consumers: 0, warmup: 0, duration: maxMs + 5_000, outbox: false})
  delete w.consumer
  return s
}

export interface JvmWarmupOptions {
  scenario: Scenario
  runDir: RunDir
  namesrvAddr: string
  seed: number
  workerCommand?: {cmd: string; args: string[]}
  maxMs?: number
}

async function createTopic(scenario: Scenario, namesrvAddr: string, topic: string): Promise<void> {
  const admin = new Admin({namesrvAddr})
  try {
    await admin.createTopic({topic, queueNums: scenario.workload.queues, clusterName: scenario.cluster.clusterName})
  } finally {
    admin.shutdown()
  }
  await waitForRoute(namesrvAddr, topic, scenario.workload.queues, ROUTE_TIMEOUT_MS)
}

/** Per-second SEND_OK across every producer, a second counted once all producers reported it. */
class SecondCounter {
  private readonly pending = new Map<number, {sendOk: number; reports: number}>()
  readonly perSecond: number[] = []

  constructor(private readonly producers: number) {}

  add(tick: TickMessage): boolean {
    if (tick.role !== 'producer' || tick.t < 0) return false
    const p = this.pending.get(tick.t) ?? {sendOk: 0, reports: 0}
    p.sendOk += (tick.counts as SendCounters).SEND_OK
    p.reports++
    this.pending.set(tick.t, p)
    if (p.reports < this.producers) return false
    this.pending.delete(tick.t)
    this.perSecond.push(p.sendOk)
    return true
  }
}

export async function warmUpJvm(opts: JvmWarmupOptions): Promise<JvmWarmupResult> {
  const maxMs = opts.maxMs ?? MAX_WARMUP_MS
  const topic = `${opts.scenario.workload.topic}-jvm-warmup`
  await createTopic(opts.scenario, opts.namesrvAddr, topic)
  const scenario = warmupScenario(opts.scenario, topic, maxMs)
  const runDir = runDirAt(join(opts.runDir.root, 'jvm-warmup'), `${opts.runDir.runId}-jvm-warmup`)
  const target = scenario.workload.rate
  const counter = new SecondCounter(scenario.workload.producers)
  let steady!: () => void
  const steadyNow = new Promise<void>((resolve) => (steady = resolve))
  const fleet = new WorkerFleet({scenario, runDir, runId: runDir.runId, namesrvAddr: opts.namesrvAddr, seed: opts.seed, workerCommand: opts.workerCommand}, (tick) => {
    if (counter.add(tick) && isSteady(counter.perSecond, target)) steady()
  })
  const began = Date.now()
  let timer: NodeJS.Timeout | undefined
  try {
    await fleet.start()
    const reached = await Promise.race([steadyNow.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), maxMs)))])
    const last = counter.perSecond.slice(-STEADY_SECONDS)
    const mean = Math.round(last.reduce((a, b) => a + b, 0) / Math.max(1, last.length))
    const plateau = reached && target > 0 && Math.abs(mean - target) > TOLERANCE * target
    return {
      ms: Date.now() - began, steady: reached, sendOkPerSecond: [...counter.perSecond], targetRate: target, ...(plateau && {plateauRate: mean}),
      steadySeconds: STEADY_SECONDS, tolerance: TOLERANCE,
    }
  } finally {
    clearTimeout(timer)
    await fleet.stop()
  }
}
