/**
 * Issue 18, item 1: a verdict cannot pass on nothing. A run whose every send the broker refuses
 * (MESSAGE_ILLEGAL: the body is over the broker's maxMessageSize) used to print PASS and exit 0; now
 * the load checks are verdict rows with their promise and what was observed, and the run FAILS.
 * A chaos run whose fault hit nothing is `weak`: shown, and exit 1 under --strict.
 * Items 5, 11 and 12 ride along: the `--json` envelope feeds compare and report like a bare result.json;
 * <out>/latest links the newest run; a passing run drops its broker stores, a failed one keeps them;
 * `mqbench clean` removes old runs.
 */
import {existsSync, lstatSync, readlinkSync, writeFileSync} from 'node:fs'
import {basename, join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {RunResult} from '../../src/report/run-result.js'
import {ensureBuilt, parseJsonOutput, readOnlyResult, removeDir, runCli, stopRunningClis, tempDir} from '../helpers/cli.js'

let dir: string
beforeAll(() => {
  ensureBuilt()
  dir = tempDir('run-health')
})
afterAll(async () => {
  await stopRunningClis()
  removeDir(dir)
})

const MASTER = (conf: string) => `cluster:
  brokers:
    - {brokerName: broker-a, brokerId: 0, brokerRole: ASYNC_MASTER, flushDiskType: ASYNC_FLUSH, conf: {${conf}}}
`

function checkOf(r: RunResult, name: string) {
  const c = r.verdict.checks.find((x) => x.name === name)
  if (!c) throw new Error(`no verdict check ${name} in ${r.verdict.checks.map((x) => x.name).join(', ')}`)
  return c
}

describe('the verdict cannot pass on nothing', () => {
  it('every send refused (MESSAGE_ILLEGAL) → FAIL, exit 1, with load-happened and errors-bounded rows', async () => {
    // No description: a custom scenario does not need one (item 11).
    const file = join(dir, 'illegal.yaml')
    writeFileSync(file, `name: illegal\n${MASTER('maxMessageSize: 1024')}workload: {messageSize: 4KiB, rate: 200, duration: 2s, warmup: 0s}\n`)
    const out = join(dir, 'illegal-runs')
    const r = await runCli(['run', file, '--out', out], {timeoutMs: 90_000})
    expect(r.exitCode).toBe(1)
    const result = readOnlyResult(out)
    expect(result.sendStatus.SEND_OK).toBe(0)
    expect(result.verdict.pass).toBe(false)
    const load = checkOf(result, 'load-happened')
    expect(load).toMatchObject({pass: false, promise: 'SEND_OK ≥ 50 % of sends intended in the load window (warm-up excluded)'})
    expect(load.observed).toBe('0 SEND_OK of 400 intended (200 msg/s × 2 s) = 0.0 %')
    expect(checkOf(result, 'errors-bounded')).toMatchObject({pass: false, observed: '400 errors + 0 dropped = 100 % of 400'})
    expect(checkOf(result, 'consumed').pass).toBe(false)
    expect(r.stdout).toMatch(/Verdict: FAIL/)
    expect(r.stdout).toMatch(/│ load-happened +│ SEND_OK ≥ 50 %.*│ FAIL +│/)
    // A failed run keeps its broker store to look at.
    expect(existsSync(join(result.runDir, 'cluster', 'broker-a-0', 'store'))).toBe(true)
  }, 120_000)

  it('a healthy run passes the load checks; its --json envelope feeds compare and report', async () => {
    const out = join(dir, 'ok-runs')
    const r = await runCli(['run', 'async-flush', '--rate', '200', '--duration', '2s', '--seed', '3', '--out', out, '--json'], {timeoutMs: 90_000})
    expect(r.exitCode).toBe(0)
    const envelope = parseJsonOutput<{status: number; result: RunResult}>(r.stdout)
    for (const name of ['load-happened', 'errors-bounded', 'consumed']) expect(checkOf(envelope.result, name).pass).toBe(true)
    const file = join(dir, 'result.json')
    writeFileSync(file, r.stdout)
    const compared = await runCli(['compare', file, file])
    expect(compared.stderr).toBe('')
    expect(compared.exitCode).toBe(0)
    const text = await runCli(['report', file, '--format', 'text', '--json'])
    expect(text.exitCode).toBe(0)
    const report = parseJsonOutput<{status: number; result: {format: string; text: string}}>(text.stdout)
    expect(report.result.format).toBe('text')
    expect(report.result.text).toContain('Verdict: PASS')
    // A passing run keeps result, ledgers and logs, not the broker store; <out>/latest is a link to it.
    const runDir = envelope.result.runDir
    expect(existsSync(join(runDir, 'cluster', 'broker-a-0', 'store'))).toBe(false)
    expect(existsSync(join(runDir, 'ledgers', 'producer-0.ledger'))).toBe(true)
    expect(lstatSync(join(out, 'latest')).isSymbolicLink()).toBe(true)
    expect(readlinkSync(join(out, 'latest'))).toBe(basename(runDir))
    expect((await runCli(['compare', join(out, 'latest'), file])).exitCode).toBe(0)
    const cleaned = await runCli(['clean', '--out', out, '--keep-last', '0'])
    expect(cleaned.exitCode).toBe(0)
    expect(cleaned.stdout).toMatch(/^removed 1 run\(s\) \(.*\), kept 0\n$/)
    expect(existsSync(runDir)).toBe(false)
    expect(existsSync(join(out, 'latest'))).toBe(false)
  }, 120_000)
})

describe('a chaos run whose fault hit nothing is weak', () => {
  it('the fault row says WEAK, the verdict still passes, and --strict exits 1', async () => {
    const file = join(dir, 'weak.yaml')
    writeFileSync(file, `name: weak\n${MASTER('')}workload: {rate: 200, duration: 3s, warmup: 0s, consumers: 1}\n` +
      "faults:\n  - {action: kill, target: 'consumer:3', at: 1s, for: 500ms}\n")
    const out = join(dir, 'weak-runs')
    const r = await runCli(['chaos', file, '--out', out, '--strict'], {timeoutMs: 90_000})
    const result = readOnlyResult(out)
    expect(result.verdict).toMatchObject({pass: true, weak: true})
    expect(checkOf(result, 'faults-injected')).toMatchObject({pass: true, weak: true, observed: 'kill consumer:3 injected nothing'})
    expect(r.stdout).toMatch(/│ faults-injected +│.*│ WEAK +│/)
    expect(r.stdout).toMatch(/Verdict: PASS \(weak/)
    expect(r.exitCode).toBe(1)
  }, 120_000)
})
