/**
 * Record, then check: `mqbench audit <run-dir>` re-runs the audit offline from what the run recorded
 * (ledgers, drain.ledger, audit-record.json) and must reproduce the stored audit, consumption, verdict
 * and thresholds exactly, with the same exit code — over a plain built-in scenario, a chaos one (loss
 * window from cut evidence), behaviour consumers, and a deliberately broken broker whose run FAILS.
 * A copy of the run directory without its cluster/ (no broker store, as on another machine) re-audits the same.
 */
import {cpSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {RunResult} from '../../../src/report/run-result.js'
import {
  ensureBuilt, parseJsonOutput, readOnlyResult, removeDir, runCli, runDirs, stopRunningClis, tempDir, writeSingleMasterScenario,
} from '../../helpers/cli.js'

let work: string

beforeAll(() => {
  ensureBuilt()
  work = tempDir('reaudit')
})

afterAll(async () => {
  await stopRunningClis()
  removeDir(work)
})

const TEST_TIMEOUT_MS = 240_000

interface Pair {runExit: number | undefined; stored: RunResult; runDir: string}

async function record(label: string, args: string[]): Promise<Pair> {
  const out = join(work, label)
  const r = await runCli([...args, '--out', out, '--json', '--seed', '11'], {timeoutMs: 180_000})
  const stored = readOnlyResult(out)
  expect(parseJsonOutput<{status: number}>(r.stdout).status).toBe(r.exitCode)
  return {runExit: r.exitCode, stored, runDir: runDirs(out)[0]!}
}

/** Re-audits `dir` and checks it reproduces the stored result's audit side exactly; returns the re-audit. */
async function expectReproduced(p: Pair, dir = p.runDir): Promise<RunResult> {
  const r = await runCli(['audit', dir, '--json'], {timeoutMs: 60_000})
  const envelope = parseJsonOutput<{status: number; result: RunResult; warnings: string[]}>(r.stdout)
  expect(r.exitCode).toBe(p.runExit)
  expect(envelope.status).toBe(p.runExit)
  const again = envelope.result
  expect(again.audit).toEqual(p.stored.audit)
  expect(again.verdict).toEqual(p.stored.verdict)
  expect(again.thresholds).toEqual(p.stored.thresholds)
  expect(again.consumption).toEqual(p.stored.consumption)
  expect(again.throughput).toEqual(p.stored.throughput)
  // Nothing else moves either: the whole result is the stored one.
  expect(again).toEqual(p.stored)
  return again
}

describe('mqbench audit <run-dir> reproduces the run', () => {
  it('a built-in scenario with a threshold (PASS), also from a copy without cluster/, and prints what report prints', async () => {
    const p = await record('sync-flush', ['run', 'sync-flush', '--duration', '2s', '--rate', '400', '--threshold', 'audit.lost==0'])
    expect(p.runExit).toBe(0)
    expect(p.stored.verdict.pass).toBe(true)
    expect(p.stored.thresholds!.length).toBeGreaterThan(0)
    await expectReproduced(p)
    const copy = join(work, 'copied-run')
    cpSync(p.runDir, copy, {recursive: true})
    rmSync(join(copy, 'cluster'), {recursive: true, force: true})
    await expectReproduced(p, copy)
    const human = await runCli(['audit', p.runDir], {timeoutMs: 60_000})
    const report = await runCli(['report', p.runDir, '--format', 'text'], {timeoutMs: 60_000})
    expect(human.exitCode).toBe(0)
    expect(human.stdout).toContain('Verdict: PASS')
    expect(human.stdout.trimEnd()).toBe(report.stdout.trimEnd())
  }, TEST_TIMEOUT_MS)

  it('a chaos scenario: power cuts under ASYNC_FLUSH, judged by the loss window from the recorded cuts', async () => {
    const p = await record('power-loss', ['chaos', 'power-loss', '--flush', 'ASYNC_FLUSH', '--duration', '6s', '--rate', '1500'])
    expect(p.stored.faults.length).toBeGreaterThan(0)
    expect(p.stored.verdict.checks.map((c) => c.name)).toContain('loss-window')
    await expectReproduced(p)
  }, TEST_TIMEOUT_MS)

  it('behaviour consumers: the consumption audit and its checks', async () => {
    const p = await record('anti-patterns', ['run', 'consumer-anti-patterns', '--duration', '2s'])
    expect(p.stored.consumption?.groups.length).toBeGreaterThan(1)
    await expectReproduced(p)
  }, TEST_TIMEOUT_MS)

  it('a broker that drops messages on purpose: the run FAILS (exit 1) and so does its re-audit', async () => {
    const file = writeSingleMasterScenario(work, {name: 'broken-drop', rate: 500, duration: '2s', seed: 7, conf: {mqbenchBrokenMode: 'drop-every-n:50'}})
    const p = await record('broken-drop', ['run', file])
    expect(p.runExit).toBe(1)
    expect(p.stored.verdict.pass).toBe(false)
    expect(p.stored.audit.lost).toBeGreaterThan(0)
    const again = await expectReproduced(p)
    expect(again.verdict.checks.find((c) => c.name === 'no-lost')?.pass).toBe(false)
  }, TEST_TIMEOUT_MS)
})

describe('mqbench audit: bad input is exit 2 with one line', () => {
  it('a path that is no run directory', async () => {
    const r = await runCli(['audit', join(work, 'nowhere')], {timeoutMs: 30_000})
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/^Error: cannot read run result .*nowhere.*\n/)
  })
})
