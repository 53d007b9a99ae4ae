/**
 * `--rate max`: the highest open-loop rate a target sustains. Each step is one short fault-free run
 * (runScenario, so every step is a full, audited run with its own directory); the rate doubles until a
 * step fails, then the held/failed bracket is bisected. A step holds when send p99 (from the intended
 * start, so falling behind shows) stays within the bound, every send was SEND_OK with no error, and no
 * scheduled send was dropped for being too late. The whole search stops before a step that would not
 * fit the budget, judged by the steps already taken. On a real target every step runs on one cluster
 * started for the search (warm-cluster.ts), so the budget buys steps, not JVM start-ups.
 *
 * Room: src/matrix sits above src/runner (it only calls runScenario) and below src/cli.
 */
import {join} from 'node:path'
import {toMqbenchError} from '../errors.js'
import type {LatencySummary} from '../metrics/histograms.js'
import type {RunResult} from '../report/run-result.js'
import {runScenario} from '../runner/index.js'
import type {Scenario} from '../scenario/schema.js'
import {canShareCluster, onWarmCluster, withWarmCluster} from './warm-cluster.js'

export const DEFAULT_MAX_P99_MS = 50
/** The bisection stops once the failed rate is within this factor of the held one. */
const CONVERGED_RATIO = 1.1
const MIN_RATE = 10

export interface RateStep {
  rate: number
  held: boolean
  /** Why it did not hold (first reason), or why it broke. */
  reason?: string
  sendTps: number
  latency?: LatencySummary
  runDir?: string
  elapsedMs: number
}

export interface RateSearchResult {
  /** 0 when not even the lowest step held. */
  maxRate: number
  maxP99Ms: number
  budgetMs: number
  /** Send latency (intended start → ack) at maxRate. */
  latency?: LatencySummary
  steps: RateStep[]
  stoppedBy: 'converged' | 'budget' | 'interrupted' | 'floor'
  elapsedMs: number
}

export interface RateSearchOptions {
  scenario: Scenario
  scenarioFile: string
  outDir: string
  maxP99Ms: number
  budgetMs: number
  /** Load per step (after warm-up); default 2 s. */
  stepDurationMs?: number
  /** First rate tried; default the scenario's rate or 500/s. */
  startRate?: number
  signal?: AbortSignal
  onStep?: (step: RateStep) => void
}

/**
 * A step's scenario: the same cluster, workload and fault schedule (a throttle such as slow-fsync is part of
 * the target measured), no consumers (the drain reads the store anyway), short.
 */
export function stepScenario(base: Scenario, rate: number, durationMs: number): Scenario {
  const s = structuredClone(base)
  s.thresholds = []
  s.workload.rate = rate
  s.workload.duration = durationMs
  // A JVM broker (and its slave's HA link) needs the scenario's full warm-up; ours is ready at once.
  if (s.target === 'embedded') s.workload.warmup = Math.min(s.workload.warmup, 500)
  s.workload.consumers = 0
  return s
}

/** The first reason a step's result does not count as sustained, or undefined when it held. */
export function whyNotHeld(r: RunResult, rate: number, maxP99Ms: number): string | undefined {
  if (r.status !== 'completed') return `run ${r.status}`
  if (r.errors.total > 0) return `${r.errors.total} send error(s)`
  const notOk = Object.entries(r.sendStatus).filter(([k, n]) => k !== 'SEND_OK' && n > 0)
  if (notOk.length > 0) return `non-OK statuses: ${notOk.map(([k, n]) => `${k}×${n}`).join(', ')}`
  if (r.errors.dropped > 0) return `${r.errors.dropped} send(s) dropped behind schedule`
  if (r.latency.send.count === 0) return 'no SEND_OK'
  if (r.latency.send.p99 > maxP99Ms) return `send p99 ${r.latency.send.p99.toFixed(1)} ms > ${maxP99Ms} ms`
  // Open loop: the schedule's own count; fewer attempts than planned means the producers fell behind.
  if (r.throughput.attempted < 0.9 * rate * r.throughput.durationS) return `attempted ${r.throughput.attempted} of ~${Math.round(rate * r.throughput.durationS)} scheduled`
  return undefined
}

async function runStep(o: RateSearchOptions, rate: number, durationMs: number, shared?: SharedCluster): Promise<RateStep> {
  const t0 = Date.now()
  const step = stepScenario(o.scenario, rate, durationMs)
  try {
    const scenario = shared ? onWarmCluster(step, shared.namesrvAddr, shared.steps++) : step
    const {result} = await runScenario({scenario, scenarioFile: o.scenarioFile, outDir: o.outDir, signal: o.signal})
    const reason = whyNotHeld(result, rate, o.maxP99Ms)
    return {rate, held: reason === undefined, ...(reason ? {reason} : {}), sendTps: result.throughput.sendTps, latency: result.latency.send, runDir: result.runDir, elapsedMs: Date.now() - t0}
  } catch (err) {
    if (o.signal?.aborted) throw err
    // A step that broke (e.g. the broker fell over under the rate) did not hold; the search goes on below it.
    return {rate, held: false, reason: `broke: ${toMqbenchError(err).message}`, sendTps: 0, elapsedMs: Date.now() - t0}
  }
}

/** The cluster every step of a real target's search runs on, and how many steps used it. */
interface SharedCluster { namesrvAddr: string; steps: number }

/** Next rate: double while nothing failed, then bisect the bracket; undefined when converged. */
export function nextRate(held: number, failed: number | undefined): number | undefined {
  if (failed === undefined) return held * 2
  if (held === 0) return failed / 2 >= MIN_RATE ? Math.round(failed / 2) : undefined
  if (failed / held <= CONVERGED_RATIO) return undefined
  return Math.round((held + failed) / 2)
}

export async function searchMaxRate(o: RateSearchOptions): Promise<RateSearchResult> {
  const started = Date.now()
  if (!canShareCluster(o.scenario)) return searchSteps(o, started)
  try {
    return await withWarmCluster(o.scenario, join(o.outDir, 'shared-cluster'), (namesrvAddr) => searchSteps(o, started, {namesrvAddr, steps: 0}))
  } catch (err) {
    // The shared cluster did not start (or stop): the search found nothing; the reason is the step's.
    const stoppedBy = o.signal?.aborted ? 'interrupted' : 'floor'
    const step: RateStep = {rate: startRateOf(o), held: false, reason: `broke: ${toMqbenchError(err).message}`, sendTps: 0, elapsedMs: Date.now() - started}
    return {maxRate: 0, maxP99Ms: o.maxP99Ms, budgetMs: o.budgetMs, steps: [step], stoppedBy, elapsedMs: Date.now() - started}
  }
}

const startRateOf = (o: RateSearchOptions): number => Math.max(MIN_RATE, Math.round(o.startRate ?? (o.scenario.workload.rate || 500)))

async function searchSteps(o: RateSearchOptions, started: number, shared?: SharedCluster): Promise<RateSearchResult> {
  const durationMs = o.stepDurationMs ?? 2000
  // A shared cluster's start-up is paid once: it does not count toward the cost of a step.
  const setupMs = Date.now() - started
  const steps: RateStep[] = []
  let held = 0
  let failed: number | undefined
  let best: RateStep | undefined
  let rate: number | undefined = startRateOf(o)
  let stoppedBy: RateSearchResult['stoppedBy'] = 'converged'
  while (rate !== undefined) {
    const spent = Date.now() - started
    const perStep = steps.length ? (spent - setupMs) / steps.length : 0
    if (steps.length > 0 && spent + perStep > o.budgetMs) {
      stoppedBy = 'budget'
      break
    }
    let step: RateStep
    try {
      step = await runStep(o, rate, durationMs, shared)
    } catch {
      stoppedBy = 'interrupted'
      break
    }
    steps.push(step)
    o.onStep?.(step)
    if (step.held) {
      held = rate
      best = step
    } else {
      failed = rate
    }
    rate = nextRate(held, failed)
    if (rate === undefined && held === 0) stoppedBy = 'floor'
  }
  return {
    maxRate: held, maxP99Ms: o.maxP99Ms, budgetMs: o.budgetMs, ...(best?.latency ? {latency: best.latency} : {}),
    steps, stoppedBy, elapsedMs: Date.now() - started,
  }
}
