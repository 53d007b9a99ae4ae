/**
 * The issue-8 built-ins through the real CLI, short runs, judged on exit codes and result.json:
 *   consumer-anti-patterns  four practices side by side, every group's worker killed mid-batch:
 *                           ack-before-process and swallow-errors lose messages the broker kept,
 *                           ack-after-process loses none but repeats some, idempotent neither
 *   retry-dlq               failures go through %RETRY% and reach %DLQ% after exactly
 *                           maxReconsumeTimes retries: dead-lettered, not lost
 *   producer-outbox         producer kill -9: the restarted producer re-sends what was PENDING, so
 *                           nothing started goes missing; the plain twin is audited the same way
 * oneway-loss has its own file (oneway-loss.test.ts).
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parse, stringify} from 'yaml'
import {ensureBuilt, readOnlyResult, removeDir, REPO, runCli, stopRunningClis, tempDir} from '../../helpers/cli.js'
import type {ConsumptionGroupResult, RunResult} from '../../../src/report/run-result.js'

let work: string
beforeAll(() => {
  ensureBuilt()
  work = tempDir('reliability-scenarios')
})
afterAll(async () => {
  await stopRunningClis()
  removeDir(work)
})

function group(r: RunResult, behaviour: string): ConsumptionGroupResult {
  const g = r.consumption?.groups.find((x) => x.behaviour === behaviour)
  if (!g) throw new Error(`no consumption group for ${behaviour}: ${JSON.stringify(r.consumption)}`)
  return g
}

function show(tag: string, r: RunResult): void {
  for (const g of r.consumption?.groups ?? []) {
    console.log(`[${tag}] ${g.behaviour}: lost ${g.lost}, duplicated ${g.duplicated} (${g.duplicatedBrokerCaused} redelivered, ` +
      `${g.duplicatedRetryCaused} via retry), dead-lettered ${g.deadLettered}, retried ${g.retried}, retries per DLQ msg ${JSON.stringify(g.deadLetterRetries)}`)
  }
}

describe('reliability scenarios through the CLI', () => {
  it('consumer-anti-patterns: loss per practice under consumer kill -9, printed per behaviour', async () => {
    const out = join(work, 'anti')
    const r = await runCli(['chaos', 'consumer-anti-patterns', '--seed', '3', '--out', out], {timeoutMs: 150_000})
    const result = readOnlyResult(out)
    show('anti', result)
    expect(r.exitCode).toBe(0)
    expect(result.status).toBe('completed')
    expect(result.faults.map((f) => f.target.split(' ')[0])).toEqual(['consumer:0', 'consumer:1', 'consumer:2', 'consumer:3'])
    // The broker kept everything: every loss below is the application's.
    expect(result.audit.lost).toBe(0)
    expect(result.audit.acked).toBeGreaterThan(1000)
    expect(group(result, 'ack-before-process').lost).toBeGreaterThan(0)
    expect(group(result, 'swallow-errors').lost).toBeGreaterThan(0)
    expect(group(result, 'ack-after-process').lost).toBe(0)
    expect(group(result, 'ack-after-process').duplicated).toBeGreaterThan(0)
    expect(group(result, 'idempotent').lost).toBe(0)
    expect(group(result, 'idempotent').duplicated).toBe(0)
    expect(group(result, 'idempotent').worker?.skippedDuplicates ?? 0).toBeGreaterThan(0)
    // The practices that promise something pass; the anti-patterns' losses are the measurement.
    expect(result.verdict.pass).toBe(true)
    expect(r.stdout).toMatch(/Consumption \(what each consumer practice did\)/)
    // The printed row: behaviour │ acked │ processed │ lost │ ...
    const row = /│ ack-before-process\s+│\s+[\d,]+ │\s+[\d,]+ │\s+([\d,]+) │/.exec(r.stdout)
    expect(Number(row?.[1]?.replace(/,/g, ''))).toBe(group(result, 'ack-before-process').lost)
  }, 180_000)

  it('retry-dlq: every dead letter had exactly maxReconsumeTimes retries and is not lost', async () => {
    const out = join(work, 'dlq')
    const r = await runCli(['run', 'retry-dlq', '--duration', '4s', '--seed', '2', '--out', out, '--json'], {timeoutMs: 150_000})
    const result = readOnlyResult(out)
    show('retry-dlq', result)
    expect(r.exitCode).toBe(0)
    const g = group(result, 'reconsume-later')
    const max = result.consumption!.maxReconsumeTimes
    expect(max).toBe(3)
    expect(g.deadLettered).toBeGreaterThan(0)
    expect(g.dlqCopies).toBe(g.deadLettered)
    expect(g.deadLetterRetries).toEqual({min: max, max})
    // The %DLQ% copy carries the count of deliveries that failed: the first plus every retry.
    expect(g.dlqReconsumeTimes).toEqual({min: max + 1, max: max + 1})
    expect(g.lost).toBe(0)
    expect(g.retried).toBeGreaterThan(0)
    expect(g.processed + g.deadLettered).toBe(g.acked)
    expect(result.audit.lost).toBe(0)
    expect(result.verdict.pass).toBe(true)
  }, 180_000)

  it('producer-outbox: nothing started goes missing under producer kill -9; the plain twin is shown as it is', async () => {
    const out = join(work, 'outbox')
    const r = await runCli(['chaos', 'producer-outbox', '--duration', '6s', '--seed', '2', '--out', out, '--json'], {timeoutMs: 150_000})
    const result = readOnlyResult(out)
    const a = result.audit
    console.log(`[outbox] exit ${r.exitCode}: attempted ${a.attempted}, acked ${a.acked}, recovered ${a.recovered}, missing ${a.missingUnconfirmed}, duplicated ${a.duplicated}`)
    expect(result.faults.map((f) => f.action)).toEqual(['kill'])
    expect(a.lost).toBe(0)
    expect(a.attempted).toBeGreaterThan(5000)
    // The outbox row is written before the START record is flushed, so every started send can be resent.
    expect(a.missingUnconfirmed).toBe(0)
    expect(r.exitCode).toBe(0)

    const plainFile = join(work, 'producer-outbox-plain.yaml')
    const plain = parse(readFileSync(join(REPO, 'scenarios', 'producer-outbox.yaml'), 'utf8')) as Record<string, unknown> & {workload: Record<string, unknown>}
    plain.name = 'producer-outbox-plain'
    plain.workload.outbox = false
    plain.thresholds = []
    writeFileSync(plainFile, stringify(plain))
    const plainOut = join(work, 'plain')
    const pr = await runCli(['chaos', plainFile, '--duration', '6s', '--seed', '2', '--out', plainOut, '--json'], {timeoutMs: 150_000})
    const p = readOnlyResult(plainOut).audit
    // What the dead producer started without learning the outcome: stored (recovered) or gone (missing).
    console.log(`[outbox plain] exit ${pr.exitCode}: attempted ${p.attempted}, acked ${p.acked}, unknown-but-stored ${p.recovered}, missing ${p.missingUnconfirmed}`)
    expect(pr.exitCode).toBe(0)
    expect(p.lost).toBe(0)
    // The plain producer stays dead: it attempts far fewer than the restarted outbox producer did.
    expect(p.attempted).toBeLessThan(a.attempted)
  }, 360_000)
})
