/**
 * The durability matrix on the embedded broker:
 *   matrix.wall_s              wall time of the default `mqbench matrix` (6 cells, default budget 10 min,
 *                              mqbench client); the measured table is printed on stderr
 *   run.max_rate.sync_flush    `mqbench run sync-flush --rate max` (single SYNC_FLUSH master, send p99
 *                              ≤ 50 ms, budget 60 s): the highest open-loop rate that held
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {matrixCells} from '../../src/matrix/cells.js'
import {DEFAULT_MATRIX_BUDGET_MS} from '../../src/matrix/matrix-plan.js'
import {renderMatrix} from '../../src/matrix/matrix-report.js'
import {runMatrix} from '../../src/matrix/matrix-run.js'
import {DEFAULT_MAX_P99_MS, searchMaxRate} from '../../src/matrix/rate-search.js'
import {resolveScenario} from '../../src/scenario/builtin.js'
import type {Bench, BenchResult} from './bench.js'

async function inTemp<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  try {
    return await fn(dir)
  } finally {
    if (!process.env.MQBENCH_BENCH_KEEP) rmSync(dir, {recursive: true, force: true})
  }
}

async function matrixWall(): Promise<BenchResult> {
  return inTemp('mqbench-bench-matrix-', async (outDir) => {
    const m = await runMatrix({
      cells: matrixCells(['embedded']), outDir, budgetMs: DEFAULT_MATRIX_BUDGET_MS, seed: 1, client: 'mqbench', maxP99Ms: DEFAULT_MAX_P99_MS,
      faultRate: 1500, masterConf: {},
    })
    process.stderr.write(`${renderMatrix(m, false)}\n`)
    const broken = m.cells.filter((c) => c.status !== 'completed').length
    return {value: Math.round(m.wallS), unit: 's', cells: m.cells.length, broken, budget_s: DEFAULT_MATRIX_BUDGET_MS / 1000, commonRate: m.commonRate}
  })
}

async function maxRateSyncFlush(): Promise<BenchResult> {
  return inTemp('mqbench-bench-maxrate-', async (outDir) => {
    const {scenario, file} = resolveScenario('sync-flush')
    const r = await searchMaxRate({scenario: {...scenario, seed: 1}, scenarioFile: file, outDir, maxP99Ms: DEFAULT_MAX_P99_MS, budgetMs: 60_000})
    return {value: r.maxRate, unit: 'msg/s', p99_ms: r.latency?.p99, steps: r.steps.length, stoppedBy: r.stoppedBy, maxP99_ms: DEFAULT_MAX_P99_MS, budget_s: 60}
  })
}

export const benches: Bench[] = [
  {name: 'run.max_rate.sync_flush', run: maxRateSyncFlush},
  {name: 'matrix.wall_s', run: matrixWall},
]
