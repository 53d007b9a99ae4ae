/**
 * `mqbench chaos` end to end, through the real CLI: short runs with real faults (SIGKILL, power cuts
 * with a volatile page cache, a deleted store), each verdict next to its deliberately broken twin
 * (style rule 9). Every run tags its processes with an env marker, and the test checks that no
 * process carrying it outlives the run.
 */
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parse, stringify} from 'yaml'
import type {RunResult} from '../../src/report/run-result.js'
import {ensureBuilt, parseJsonOutput, readOnlyResult, removeDir, REPO, runCli, tempDir} from '../helpers/cli.js'

const SEED = 1313
let work: string

beforeAll(() => {
  ensureBuilt()
  work = tempDir('chaos')
  console.log(`chaos tests: seed ${SEED}`)
})

afterAll(() => removeDir(work))

/** Pids of live processes whose environment carries `marker` (a SIGKILLed orchestrator's orphans would). */
function processesWith(marker: string): number[] {
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(marker)) found.push(Number(entry))
    } catch {
      // gone, or not ours to read
    }
  }
  return found
}

/** A built-in scenario with broker.conf keys added to every master. */
function variant(name: string, builtin: string, masterConf: Record<string, string>): string {
  const s = parse(readFileSync(join(REPO, 'scenarios', `${builtin}.yaml`), 'utf8')) as {name: string; cluster: {brokers: {brokerId: number; conf: Record<string, unknown>}[]}}
  s.name = name
  for (const b of s.cluster.brokers) if (b.brokerId === 0) b.conf = {...b.conf, ...masterConf}
  const file = join(work, `${name}.yaml`)
  writeFileSync(file, stringify(s))
  return file
}

async function chaos(label: string, scenario: string, flags: string[] = []): Promise<{exitCode: number | undefined; result: RunResult}> {
  const out = join(work, `${label}-out`)
  const marker = `MQBENCH_CHAOS_TEST=${label}-${process.pid}`
  const r = await runCli(['chaos', scenario, '--out', out, '--json', '--seed', String(SEED), '--duration', '6s', '--rate', '1500', ...flags], {
    timeoutMs: 150_000, env: {MQBENCH_CHAOS_TEST: marker.split('=')[1]!},
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

describe('mqbench chaos', {timeout: 200_000}, () => {
  it('power-loss, SYNC_FLUSH: no SEND_OK lost across the cuts, PASS', async () => {
    const {exitCode, result} = await chaos('power-sync', 'power-loss')
    expect(result.faults.every((f) => f.action === 'power-loss')).toBe(true)
    expect(result.audit.lostFromStore).toBe(0)
    expect(result.verdict.pass).toBe(true)
    expect(exitCode).toBe(0)
  })

  it('power-loss with a broker that acknowledges before fsync: FAIL with the lost ids', async () => {
    const {exitCode, result} = await chaos('power-ack-before-fsync', variant('power-loss-lying', 'power-loss', {mqbenchBrokenMode: 'ack-before-fsync'}))
    const noLost = result.verdict.checks.find((c) => c.name === 'no-lost-from-store')!
    expect(noLost.pass).toBe(false)
    expect(noLost.lostSamples!.length).toBeGreaterThan(0)
    expect(result.audit.samples['lostFromStore']).toEqual(noLost.lostSamples)
    expect(result.verdict.pass).toBe(false)
    expect(exitCode).toBe(1)
  })

  it('power-loss, ASYNC_FLUSH: whatever is lost lies inside the flush window, PASS', async () => {
    const {exitCode, result} = await chaos('power-async', 'power-loss', ['--flush', 'ASYNC_FLUSH'])
    const window = result.verdict.checks.find((c) => c.name === 'loss-window')!
    expect(window.pass, window.observed).toBe(true)
    expect(result.verdict.pass).toBe(true)
    expect(exitCode).toBe(0)
  })

  it('kill-producer: unfinished sends are recovered or missing, never lost, PASS', async () => {
    const {exitCode, result} = await chaos('kill-producer', 'kill-producer')
    expect(result.faults[0]!.target).toMatch(/^producer \(producer-\d\)$/)
    expect(result.audit.lostFromStore).toBe(0)
    expect(result.verdict.pass).toBe(true)
    expect(exitCode).toBe(0)
  })

  it('kill-consumer: the respawned consumer gets redeliveries, no loss, PASS', async () => {
    const {exitCode, result} = await chaos('kill-consumer', 'kill-consumer')
    expect(result.audit.lostFromStore).toBe(0)
    expect(result.verdict.pass).toBe(true)
    expect(exitCode).toBe(0)
  })

  it('master-disk-loss, SYNC_MASTER: rebuilt from the slave, no SEND_OK lost, PASS', async () => {
    const {exitCode, result} = await chaos('disk-sync-master', 'master-disk-loss')
    expect(result.audit.lostFromStore).toBe(0)
    expect(result.verdict.pass).toBe(true)
    expect(exitCode).toBe(0)
  })

  it('master-disk-loss with a master that acknowledges before the slave has the data: FAIL with the lost ids', async () => {
    const {exitCode, result} = await chaos('disk-ack-before-replica', variant('disk-loss-lying', 'master-disk-loss', {mqbenchBrokenMode: 'ack-before-replica'}))
    const noLost = result.verdict.checks.find((c) => c.name === 'no-lost-from-store')!
    expect(noLost.pass).toBe(false)
    expect(noLost.lostSamples!.length).toBeGreaterThan(0)
    expect(exitCode).toBe(1)
  })
})
