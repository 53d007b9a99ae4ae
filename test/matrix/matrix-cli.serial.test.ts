/**
 * `mqbench matrix` through the CLI on the embedded broker, tiny budget (one rate step per cell, the
 * shortest fault runs): every cell is measured and the verdicts follow the modes' promises; a broker
 * that acks before fsync (mqbenchBrokenMode=ack-before-fsync) flips its SYNC_FLUSH cell to FAIL.
 */
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {MatrixResult} from '../../src/matrix/matrix-result.js'
import type {RunResult} from '../../src/report/run-result.js'
import {failedChecks} from '../helpers/chaos-cli.js'
import {ensureBuilt, parseJsonOutput, processesWith, runCli} from '../helpers/cli.js'

const work = mkdtempSync(join(tmpdir(), 'mqbench-matrix-'))
beforeAll(() => ensureBuilt())
afterAll(() => rmSync(work, {recursive: true, force: true}))

async function matrix(label: string, flags: string[]): Promise<{exitCode: number | undefined; m: MatrixResult; stdout: string}> {
  const marker = `${label}-${process.pid}`
  const junit = join(work, `${label}.xml`)
  const r = await runCli(['matrix', '--budget', '1s', '--max-p99', '500ms', '--seed', '11', '--out', join(work, label), '--junit', junit, '--json', ...flags], {
    timeoutMs: 600_000, env: {MQBENCH_CHAOS_TEST: marker},
  })
  expect(processesWith(`MQBENCH_CHAOS_TEST=${marker}`), `${label}: processes left behind`).toEqual([])
  const m = parseJsonOutput<{status: number; result: MatrixResult}>(r.stdout).result
  expect(m.schema).toBe('mqbench.matrix/v1')
  expect(existsSync(join(m.dir, 'result.json'))).toBe(true)
  expect(readFileSync(join(m.dir, 'report.html'), 'utf8')).toContain('<svg class="bars"')
  expect(readFileSync(junit, 'utf8')).toContain('<testsuite name="mqbench.matrix"')
  for (const c of m.cells) console.log(`[matrix] ${label} ${c.id}: ${c.status}${c.brokenReason ? ` (${c.brokenReason})` : ''}, max ${c.maxRate?.rate}/s, p99@common ${c.common?.p99}, power cut ${c.powerCut.verdict} lost ${c.powerCut.lost}, disk loss ${c.diskLoss.verdict} lost ${c.diskLoss.lost}`)
  return {exitCode: r.exitCode, m, stdout: r.stdout}
}

/** A fault run's failed verdict rows, from its own result.json: CI shows the assertion message, not the run. */
function failedRows(runDir: string | undefined): string {
  const file = runDir === undefined ? undefined : join(runDir, 'result.json')
  if (file === undefined || !existsSync(file)) return `no result.json (${runDir ?? 'no run directory'})`
  return failedChecks(JSON.parse(readFileSync(file, 'utf8')) as Pick<RunResult, 'verdict'>)
}

describe('mqbench matrix', () => {
  it('measures every cell; SYNC_FLUSH keeps every SEND_OK through a power cut, ASYNC_FLUSH alone loses some, SYNC_MASTER keeps them through disk loss', async () => {
    const {exitCode, m} = await matrix('all', ['--threshold', 'cell[SYNC_FLUSH/SYNC_MASTER].powerCut.lost==0'])
    expect(m.cells.map((c) => c.id)).toEqual([
      'SYNC_FLUSH/SYNC_MASTER', 'SYNC_FLUSH/ASYNC_MASTER', 'ASYNC_FLUSH/SYNC_MASTER', 'ASYNC_FLUSH/ASYNC_MASTER', 'SYNC_FLUSH/single', 'ASYNC_FLUSH/single',
    ])
    for (const c of m.cells) {
      expect(c.status, `${c.id}: ${c.brokenReason}`).toBe('completed')
      expect(c.maxRate?.steps.length, c.id).toBeGreaterThan(0)
      expect(c.powerCut.runDir, c.id).toBeTruthy()
    }
    const cell = (id: string) => m.cells.find((c) => c.id === id)!
    for (const id of ['SYNC_FLUSH/SYNC_MASTER', 'SYNC_FLUSH/ASYNC_MASTER', 'SYNC_FLUSH/single']) {
      expect(cell(id).powerCut.lost, id).toBe(0)
      expect(cell(id).powerCut.verdict, `${id}: ${failedRows(cell(id).powerCut.runDir)}`).toBe('PASS')
    }
    // Alone, an ASYNC_FLUSH master loses its unflushed window; with a slave the copy there survives the cut.
    expect(cell('ASYNC_FLUSH/single').powerCut.lost).toBeGreaterThanOrEqual(1)
    for (const id of ['SYNC_FLUSH/SYNC_MASTER', 'ASYNC_FLUSH/SYNC_MASTER']) {
      expect(cell(id).diskLoss.lost, id).toBe(0)
      expect(cell(id).diskLoss.verdict, `${id}: ${failedRows(cell(id).diskLoss.runDir)}`).toBe('PASS')
    }
    expect(cell('SYNC_FLUSH/single').diskLoss.verdict).toBe('N/A')
    expect(m.thresholds).toEqual([{expression: 'cell[SYNC_FLUSH/SYNC_MASTER].powerCut.lost==0', observed: 0, pass: true}])
    const anyFail = m.cells.some((c) => c.powerCut.verdict === 'FAIL' || c.diskLoss.verdict === 'FAIL')
    expect(exitCode).toBe(anyFail ? 1 : 0)
  }, 900_000)

  it('a broker that acks before fsync fails its SYNC_FLUSH cell and the threshold on it; exit 1', async () => {
    const {exitCode, m} = await matrix('broken', ['--cells', 'SYNC_FLUSH/single', '--broker-conf', 'mqbenchBrokenMode=ack-before-fsync',
      '--threshold', 'cell[SYNC_FLUSH/single].powerCut.lost==0'])
    expect(m.cells).toHaveLength(1)
    expect(m.cells[0]!.powerCut.verdict).toBe('FAIL')
    expect(m.cells[0]!.powerCut.lost).toBeGreaterThan(0)
    expect(m.thresholds[0]!.pass).toBe(false)
    expect(exitCode).toBe(1)
  }, 300_000)

  it('a cell whose broker cannot start is marked broken with its reason; exit 3', async () => {
    const {exitCode, m} = await matrix('unstartable', ['--cells', 'ASYNC_FLUSH/single', '--broker-conf', 'storePathRootDir=/proc/mqbench-no-such-store'])
    expect(m.cells[0]!.status).toBe('broken')
    expect(m.cells[0]!.brokenReason).toMatch(/^rate search: .*broke/)
    expect(m.cells[0]!.powerCut.verdict).toBe('BROKEN')
    expect(exitCode).toBe(3)
  }, 300_000)

  it('a malformed threshold or cell name is exit 2 before anything runs', async () => {
    for (const flags of [['--threshold', 'cell[SYNC_FLUSH/SYNC_MASTER].speed>1'], ['--cells', 'SOMETIMES/SYNC_MASTER'], ['--broker-conf', 'nokey']]) {
      const r = await runCli(['matrix', '--out', join(work, 'bad'), ...flags])
      expect(r.exitCode, flags.join(' ')).toBe(2)
      expect(r.stderr.trimEnd().split('\n')[0]).toMatch(/^Error: --(threshold|cells|broker-conf)/)
    }
  }, 60_000)
})
