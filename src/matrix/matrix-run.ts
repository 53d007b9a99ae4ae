/**
 * `mqbench matrix`: every cell's max sustainable rate first (so a common rate below all of them is
 * known), then per cell the common-rate latency run, a master power cut and a master disk loss.
 * Every measurement is an ordinary run (runScenario) with its own run directory. A run that breaks
 * marks its cell broken with the reason and the matrix goes on; Ctrl-C (the signal) stops at once and
 * keeps every finished measurement.
 */
import {mkdirSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {toMqbenchError} from '../errors.js'
import type {RunResult} from '../report/run-result.js'
import {runScenario} from '../runner/index.js'
import type {Scenario} from '../scenario/schema.js'
import {type CellScenarioOptions, type CellSpec, diskLossPromise, diskLossScenario, loadScenario, powerCutPromise, powerCutScenario} from './cells.js'
import {MATRIX_RESULT_SCHEMA, type FaultRecordM, type MatrixCell, type MatrixResult, type MatrixTarget} from './matrix-result.js'
import {planMatrix, type MatrixPlan} from './matrix-plan.js'
import {searchMaxRate, stepScenario, whyNotHeld} from './rate-search.js'

export interface MatrixOptions {
  cells: CellSpec[]
  outDir: string
  budgetMs: number
  seed: number
  client: 'mqbench' | 'java'
  maxP99Ms: number
  faultRate: number
  masterConf: Record<string, string>
  signal?: AbortSignal
  log?: (line: string) => void
}

class Interrupted extends Error {}

function matrixDir(outDir: string, started: Date): string {
  const dir = join(outDir, `matrix-${started.toISOString().replace(/[:.]/g, '-')}`)
  mkdirSync(dir, {recursive: true})
  return dir
}

function emptyCell(c: CellSpec): MatrixCell {
  const notRun = (promise: string): FaultRecordM => ({verdict: 'NOT-RUN', promise})
  const disk = c.replication === 'single' ? {verdict: 'N/A' as const, promise: diskLossPromise(c)} : notRun(diskLossPromise(c))
  return {id: c.id, target: c.target, flushDiskType: c.flushDiskType, replication: c.replication, status: 'completed', powerCut: notRun(powerCutPromise(c)), diskLoss: disk}
}

function markBroken(cell: MatrixCell, what: string, err: unknown): string {
  const reason = `${what}: ${toMqbenchError(err).message}`
  cell.status = 'broken'
  cell.brokenReason ??= reason
  return reason
}

/** Runs one scenario; Ctrl-C becomes Interrupted, any other failure is returned as the error. */
async function measure(o: MatrixOptions, s: {scenario: Scenario; file: string}, outDir: string): Promise<{result?: RunResult; error?: unknown; runDir?: string}> {
  try {
    const {result} = await runScenario({scenario: s.scenario, scenarioFile: s.file, outDir, signal: o.signal})
    return {result, runDir: result.runDir}
  } catch (err) {
    if (o.signal?.aborted) throw new Interrupted()
    const resultPath = (err as {resultPath?: unknown}).resultPath
    return {error: err, ...(typeof resultPath === 'string' ? {runDir: dirname(resultPath)} : {})}
  }
}

async function searchCell(o: MatrixOptions, plan: MatrixPlan, spec: CellSpec, cell: MatrixCell, dir: string, opts: CellScenarioOptions): Promise<void> {
  const s = loadScenario(spec, opts)
  const r = await searchMaxRate({
    scenario: s.scenario, scenarioFile: s.file, outDir: join(dir, 'rate-search'), maxP99Ms: o.maxP99Ms, budgetMs: plan.searchBudgetMs,
    stepDurationMs: plan.stepDurationMs, startRate: plan.startRate, ...(o.signal ? {signal: o.signal} : {}),
    onStep: (st) => o.log?.(`${spec.id}: ${st.rate}/s ${st.held ? 'held' : `failed (${st.reason})`}`),
  })
  if (r.stoppedBy === 'interrupted') throw new Interrupted()
  cell.maxRate = {
    rate: r.maxRate, ...(r.latency ? {latency: r.latency} : {}), stoppedBy: r.stoppedBy,
    steps: r.steps.map((st) => ({rate: st.rate, held: st.held, ...(st.reason ? {reason: st.reason} : {}), ...(st.runDir ? {runDir: st.runDir} : {})})),
  }
  const broke = r.steps.find((st) => st.reason?.startsWith('broke:'))
  if (broke && r.maxRate === 0) markBroken(cell, 'rate search', new Error(broke.reason!.slice('broke: '.length)))
}

async function commonRun(o: MatrixOptions, plan: MatrixPlan, spec: CellSpec, cell: MatrixCell, dir: string, rate: number, opts: CellScenarioOptions): Promise<void> {
  const s = loadScenario(spec, opts)
  const m = await measure(o, {scenario: stepScenario(s.scenario, rate, plan.commonDurationMs), file: s.file}, join(dir, 'common-rate'))
  if (!m.result) {
    markBroken(cell, 'common-rate run', m.error)
    return
  }
  const l = m.result.latency.send
  cell.common = {rate, p50: l.p50, p99: l.p99, p999: l.p999, sustained: whyNotHeld(m.result, rate, Number.POSITIVE_INFINITY) === undefined, runDir: m.result.runDir}
}

async function faultRun(o: MatrixOptions, cell: MatrixCell, s: {scenario: Scenario; file: string}, outDir: string, promise: string): Promise<FaultRecordM> {
  const m = await measure(o, s, outDir)
  if (!m.result) return {verdict: 'BROKEN', promise, detail: markBroken(cell, outDir.split('/').pop()!, m.error), ...(m.runDir ? {runDir: m.runDir} : {})}
  const r = m.result
  const failed = r.verdict.checks.filter((c) => !c.pass).map((c) => c.name)
  return {
    verdict: r.verdict.pass ? 'PASS' : 'FAIL', promise, lost: r.audit.lostFromStore ?? r.audit.lost, acked: r.audit.acked,
    ...(failed.length ? {detail: `failed: ${failed.join(', ')}`} : {}), runDir: r.runDir,
  }
}

function commonRateOf(cells: MatrixCell[]): number | undefined {
  const rates = cells.map((c) => c.maxRate?.rate ?? 0).filter((r) => r > 0)
  // Below every cell's max, with a margin, so the latencies compare modes rather than saturation.
  return rates.length ? Math.max(10, Math.floor((Math.min(...rates) * 0.8) / 10) * 10) : undefined
}

export async function runMatrix(o: MatrixOptions): Promise<MatrixResult> {
  const started = new Date()
  const dir = matrixDir(o.outDir, started)
  const plan = planMatrix(o.budgetMs, o.cells.length)
  const opts: CellScenarioOptions = {seed: o.seed, client: o.client, masterConf: o.masterConf}
  const cells = o.cells.map(emptyCell)
  const cellDir = (i: number): string => join(dir, o.cells[i]!.id.replace(/[/:]/g, '_'))
  let status: MatrixResult['status'] = 'completed'
  let commonRate: number | undefined
  try {
    for (const [i, spec] of o.cells.entries()) await searchCell(o, plan, spec, cells[i]!, cellDir(i), opts)
    commonRate = commonRateOf(cells)
    for (const [i, spec] of o.cells.entries()) {
      const cell = cells[i]!
      if (commonRate !== undefined) await commonRun(o, plan, spec, cell, cellDir(i), commonRate, opts)
      o.log?.(`${spec.id}: power cut`)
      cell.powerCut = await faultRun(o, cell, powerCutScenario(spec, opts, o.faultRate, plan.faultDurationMs), join(cellDir(i), 'power-cut'), powerCutPromise(spec))
      if (spec.replication !== 'single') {
        o.log?.(`${spec.id}: master disk loss`)
        cell.diskLoss = await faultRun(o, cell, diskLossScenario(spec, opts, o.faultRate, plan.faultDurationMs), join(cellDir(i), 'disk-loss'), diskLossPromise(spec))
      }
    }
  } catch (err) {
    if (!(err instanceof Interrupted)) throw err
    status = 'interrupted'
    for (const c of cells) if (c.powerCut.verdict === 'NOT-RUN' || c.diskLoss.verdict === 'NOT-RUN') c.status = c.status === 'broken' ? 'broken' : 'interrupted'
  }
  const fastest = Math.max(0, ...cells.map((c) => c.maxRate?.rate ?? 0))
  for (const c of cells) if (c.maxRate && fastest > 0) c.relativeToFastest = c.maxRate.rate / fastest
  const ended = new Date()
  return {
    schema: MATRIX_RESULT_SCHEMA, dir, startedAt: started.toISOString(), endedAt: ended.toISOString(), wallS: (ended.getTime() - started.getTime()) / 1000,
    status, budgetMs: o.budgetMs, seed: o.seed, client: o.client, maxP99Ms: o.maxP99Ms, ...(commonRate !== undefined ? {commonRate} : {}),
    faultRate: o.faultRate, cells, thresholds: [],
  }
}

export type {MatrixTarget}
