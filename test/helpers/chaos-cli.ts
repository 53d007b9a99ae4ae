/**
 * `mqbench chaos` through the real CLI for the chaos suites: a built-in scenario with broker.conf keys
 * changed, and one run checked for leftover processes, a completed status and healed faults.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {expect} from 'vitest'
import {parse, stringify} from 'yaml'
import type {RunResult} from '../../src/report/run-result.js'
import {parseJsonOutput, processesWith, readOnlyResult, REPO, runCli} from './cli.js'

export interface ChaosRun {
  exitCode: number | undefined
  result: RunResult
}

/** A built-in scenario with broker.conf keys added to every master. */
export function scenarioVariant(work: string, name: string, builtin: string, masterConf: Record<string, string>): string {
  const s = parse(readFileSync(join(REPO, 'scenarios', `${builtin}.yaml`), 'utf8')) as {name: string; cluster: {brokers: {brokerId: number; conf: Record<string, unknown>}[]}}
  s.name = name
  for (const b of s.cluster.brokers) if (b.brokerId === 0) b.conf = {...b.conf, ...masterConf}
  const file = join(work, `${name}.yaml`)
  writeFileSync(file, stringify(s))
  return file
}

/** The verdict rows that failed, for an assertion's message: CI shows the message, not the run directory. */
export function failedChecks(result: Pick<RunResult, 'verdict'>): string {
  const failed = result.verdict.checks.filter((c) => !c.pass)
  return failed.length === 0 ? 'every check passed' : failed.map((c) => `${c.name}: ${c.observed}`).join(' | ')
}

export async function chaosRun(work: string, seed: number, label: string, scenario: string, flags: string[] = [], timeoutMs = 150_000): Promise<ChaosRun> {
  const out = join(work, `${label}-out`)
  const marker = `MQBENCH_CHAOS_TEST=${label}-${process.pid}`
  // --duration 6s --rate 1500 unless the test sets its own.
  const defaults = [['--duration', '6s'], ['--rate', '1500']].filter(([f]) => !flags.includes(f!)).flat()
  const r = await runCli(['chaos', scenario, '--out', out, '--json', '--seed', String(seed), ...defaults, ...flags], {
    timeoutMs, env: {MQBENCH_CHAOS_TEST: marker.split('=')[1]!},
  })
  expect(processesWith(marker), `${label}: processes left behind`).toEqual([])
  const envelope = parseJsonOutput<{status: number; result: RunResult}>(r.stdout)
  const result = readOnlyResult(out)
  expect(envelope.status).toBe(r.exitCode)
  const a = result.audit
  console.log(`[chaos] ${label}: exit ${r.exitCode}, acked ${a.acked}, lost ${a.lost}, duplicated ${a.duplicated}, recovered ${a.recovered}, ` +
    `missingUnconfirmed ${a.missingUnconfirmed}; faults ${JSON.stringify(result.faults)}; ` +
    result.verdict.checks.filter((c) => c.name.startsWith('no-lost') || c.name === 'loss-window').map((c) => `${c.name}: ${c.observed}`).join('; '))
  expect(result.status).toBe('completed')
  expect(result.faults.length).toBeGreaterThan(0)
  for (const f of result.faults) expect(f.healedAt, `${label}: fault ${f.action} healed`).toBeGreaterThanOrEqual(f.at)
  return {exitCode: r.exitCode, result}
}

