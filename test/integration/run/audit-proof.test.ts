/**
 * Proof that the audit can fail: the real CLI runs a small single-master scenario against a broker
 * that lies on purpose (mqbenchBrokenMode, src/broker/processors/broken-mode.ts), and result.json
 * must count exactly the messages the broker logged as sabotaged. The clean twin must pass.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {RunResult} from '../../../src/report/run-result.js'
import {BROKEN_MODE_LOG_PREFIX} from '../../../src/broker/processors/broken-mode.js'
import {
  clusterLogLines, ensureBuilt, parseJsonOutput, readOnlyResult, removeDir, runCli, stopRunningClis, tempDir, writeSingleMasterScenario,
  type SingleMasterOptions,
} from '../../helpers/cli.js'

interface Outcome {
  exitCode: number | undefined
  result: RunResult
  sabotagedKeys: string[]
}

let work: string

beforeAll(() => {
  ensureBuilt()
  work = tempDir('audit-proof')
})

afterAll(async () => {
  await stopRunningClis()
  removeDir(work)
})

/** Longer than the CLI's own 90 s timeout, so a hung run is stopped by execa (and reaps its children). */
const TEST_TIMEOUT_MS = 120_000

async function runWith(name: string, brokenMode: string, extraArgs: string[] = [], workload: Partial<SingleMasterOptions> = {}): Promise<Outcome> {
  const file = writeSingleMasterScenario(work, {
    name, rate: 500, duration: '2s', warmup: '1s', seed: 7, conf: {mqbenchBrokenMode: brokenMode}, ...workload,
  })
  const out = `${work}/${name}-out`
  const r = await runCli(['run', file, '--out', out, '--json', ...extraArgs], {timeoutMs: 90_000})
  const envelope = parseJsonOutput<{status: number; result: RunResult}>(r.stdout)
  const result = readOnlyResult(out)
  expect(envelope.status).toBe(r.exitCode)
  expect(envelope.result.audit).toEqual(result.audit)
  const lines = clusterLogLines(result.runDir, new RegExp(`^${BROKEN_MODE_LOG_PREFIX} (dropped|duplicated|corrupted|reordered) `))
  const sabotagedKeys = lines.map((l) => /keys=(\S+)/.exec(l)![1]!)
  const a = result.audit
  console.log(`[audit-proof] ${brokenMode}: exit ${r.exitCode}, attempted ${a.attempted}, sabotaged ${sabotagedKeys.length}, ` +
    `lost ${a.lost}, duplicated ${a.duplicated}, corrupt ${a.corrupt}, ok ${a.ok}, retries ${result.errors.retries}, errors ${result.errors.total}`)
  return {exitCode: r.exitCode, result, sabotagedKeys}
}

/** The run must have been clean apart from the sabotage, or "exactly" would not be computable from N. */
function expectUndisturbedLoad(o: Outcome): void {
  expect(o.result.status).toBe('completed')
  expect(o.result.audit.valid).not.toBe('unknown')
  expect(o.result.errors.total).toBe(0)
  expect(o.result.errors.retries).toBe(0)
  expect(o.result.audit.attempted).toBeGreaterThanOrEqual(1000)
  expect(o.result.audit.acked).toBe(o.result.audit.attempted)
}

function failedChecks(r: RunResult): string[] {
  return r.verdict.checks.filter((c) => !c.pass).map((c) => c.name)
}

describe('mqbench run against a deliberately broken broker', () => {
  it('clean broker: every message ok, verdict PASS, exit 0', async () => {
    const o = await runWith('clean', 'off')
    expectUndisturbedLoad(o)
    const a = o.result.audit
    expect(o.sabotagedKeys).toEqual([])
    expect({lost: a.lost, duplicated: a.duplicated, corrupt: a.corrupt, unexpected: a.unexpected, recovered: a.recovered}).toEqual(
      {lost: 0, duplicated: 0, corrupt: 0, unexpected: 0, recovered: 0})
    expect(a.ok).toBe(a.attempted)
    expect(o.result.verdict.pass).toBe(true)
    expect(o.exitCode).toBe(0)
  }, TEST_TIMEOUT_MS)

  it('drop-every-n:100: lost == the SEND_OKs the broker never stored, verdict FAIL, exit 1', async () => {
    const o = await runWith('drop', 'drop-every-n:100')
    expectUndisturbedLoad(o)
    const a = o.result.audit
    expect(o.sabotagedKeys).toHaveLength(Math.floor(a.attempted / 100))
    expect(a.lost).toBe(o.sabotagedKeys.length)
    expect(a.ok).toBe(a.attempted - a.lost)
    expect({duplicated: a.duplicated, corrupt: a.corrupt, unexpected: a.unexpected}).toEqual({duplicated: 0, corrupt: 0, unexpected: 0})
    expect(new Set(o.sabotagedKeys).size).toBe(o.sabotagedKeys.length)
    for (const id of a.samples['lost'] ?? []) expect(o.sabotagedKeys).toContain(id)
    expect(a.samples['lost']).toHaveLength(Math.min(10, a.lost))
    expect(failedChecks(o.result)).toEqual(['no-lost'])
    expect(o.result.verdict.checks.find((c) => c.name === 'no-lost')!.lostSamples).toEqual(a.samples['lost'])
    expect(o.result.verdict.pass).toBe(false)
    expect(o.exitCode).toBe(1)
  }, TEST_TIMEOUT_MS)

  it('corrupt-every-n:200: corrupt == the bodies the broker altered, verdict FAIL, exit 1', async () => {
    const o = await runWith('corrupt', 'corrupt-every-n:200')
    expectUndisturbedLoad(o)
    const a = o.result.audit
    expect(o.sabotagedKeys).toHaveLength(Math.floor(a.attempted / 200))
    expect(a.corrupt).toBe(o.sabotagedKeys.length)
    expect(a.ok).toBe(a.attempted - a.corrupt)
    expect({lost: a.lost, duplicated: a.duplicated, unexpected: a.unexpected}).toEqual({lost: 0, duplicated: 0, unexpected: 0})
    // 7 corrupted of ~1,500: few enough that the samples name every one of them.
    expect(o.sabotagedKeys.length).toBeLessThanOrEqual(10)
    expect([...(a.samples['corrupt'] ?? [])].sort()).toEqual([...o.sabotagedKeys].sort())
    expect(failedChecks(o.result)).toEqual(['no-corrupt'])
    expect(o.exitCode).toBe(1)
  }, TEST_TIMEOUT_MS)

  // At-least-once allows duplicates, so the verdict itself PASSes (src/audit/verdict.ts); a user who
  // wants none gates on them with a threshold, and that gate must then fail the run.
  it('duplicate-every-n:50: duplicated == the messages stored twice; verdict PASS, audit.duplicated==0 gate FAIL, exit 1', async () => {
    const o = await runWith('duplicate', 'duplicate-every-n:50', ['--threshold', 'audit.duplicated==0'])
    expectUndisturbedLoad(o)
    const a = o.result.audit
    expect(o.sabotagedKeys).toHaveLength(Math.floor(a.attempted / 50))
    expect(a.duplicated).toBe(o.sabotagedKeys.length)
    expect(a.ok).toBe(a.attempted - a.duplicated)
    expect({lost: a.lost, corrupt: a.corrupt, unexpected: a.unexpected}).toEqual({lost: 0, corrupt: 0, unexpected: 0})
    for (const id of a.samples['duplicated'] ?? []) expect(o.sabotagedKeys).toContain(id)
    expect(o.result.verdict.checks.find((c) => c.name === 'duplicates')!.observed).toBe(`${a.duplicated} messages duplicated`)
    expect(a.deliveries).toBe(a.attempted + a.duplicated)
    expect(o.result.verdict.pass).toBe(true)
    expect(o.result.thresholds).toEqual([expect.objectContaining({expression: 'audit.duplicated==0', observed: a.duplicated, limit: 0, pass: false})])
    expect(o.exitCode).toBe(1)
  }, TEST_TIMEOUT_MS)

  // Orderly sending: one queue per producer, sync, one in flight. The broker that stores every 100th send
  // only after the next one must be caught by the in-order check, copy for copy; the honest one passes it.
  it('ordered workload: in-order PASS on the clean broker; reorder-every-n:100 FAILs with exactly the held-back sends', async () => {
    // One send in flight caps a producer near 1/service time (~1 ms here): 300 msg/s leaves room on a slow machine.
    const ordered: Partial<SingleMasterOptions> = {sendMode: 'sync', ordered: true, rate: 300, duration: '3s'}
    const clean = await runWith('ordered-clean', 'off', [], ordered)
    expectUndisturbedLoad(clean)
    expect(clean.result.audit.reordered).toBe(0)
    expect(clean.result.verdict.checks.find((c) => c.name === 'in-order')).toMatchObject({pass: true})
    expect(clean.exitCode).toBe(0)

    const o = await runWith('ordered-reorder', 'reorder-every-n:100', [], ordered)
    expectUndisturbedLoad(o)
    const a = o.result.audit
    // A held send is stored behind the next one; only the very last send has no next and is stored in place.
    const lastSeq = a.attempted - 1
    const behindANext = o.sabotagedKeys.filter((k) => Number(k.split(':')[1]) < lastSeq)
    expect(behindANext.length).toBeGreaterThanOrEqual(9)
    expect(a.reordered).toBe(behindANext.length)
    expect(a.samples['reordered']).toHaveLength(Math.min(10, a.reordered!))
    for (const id of a.samples['reordered'] ?? []) expect(behindANext).toContain(id)
    expect({lost: a.lost, duplicated: a.duplicated, corrupt: a.corrupt, unexpected: a.unexpected}).toEqual({lost: 0, duplicated: 0, corrupt: 0, unexpected: 0})
    expect(failedChecks(o.result)).toEqual(['in-order'])
    expect(o.exitCode).toBe(1)
  }, 2 * TEST_TIMEOUT_MS)
})
