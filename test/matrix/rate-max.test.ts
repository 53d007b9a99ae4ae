/**
 * `mqbench run <scenario> --rate max` through the CLI: a SYNC_FLUSH broker whose every fsync is slowed
 * (slow-fsync, from load start until the end) sustains a lower rate than the same broker without it.
 * Tiny budget: the search stops after its first step, so each side is one short run at 100/s.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {stringify} from 'yaml'
import type {RateSearchResult} from '../../src/matrix/rate-search.js'
import {ensureBuilt, parseJsonOutput, processesWith, runCli} from '../helpers/cli.js'

const work = mkdtempSync(join(tmpdir(), 'mqbench-rate-max-'))
beforeAll(() => ensureBuilt())
afterAll(() => rmSync(work, {recursive: true, force: true}))

function scenario(name: string, slowFsyncMs: number | undefined): string {
  const file = join(work, `${name}.yaml`)
  writeFileSync(file, stringify({
    name, description: 'rate-max test',
    cluster: {brokers: [{brokerName: 'broker-a', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: 'SYNC_FLUSH',
      conf: {mappedFileSizeCommitLog: 67108864, mqbenchFaultInjection: true}}]},
    workload: {topic: 'mqbench', queues: 2, messageSize: '256B', rate: 100, duration: '2s', warmup: '500ms', sendMode: 'async', consumers: 0},
    faults: slowFsyncMs === undefined ? [] : [{action: 'slow-fsync', target: 'master', at: '0s', for: '30s', params: {delay: `${slowFsyncMs}ms`}}],
  }))
  return file
}

async function rateMax(label: string, file: string): Promise<RateSearchResult> {
  const marker = `${label}-${process.pid}`
  const r = await runCli(['run', file, '--rate', 'max', '--max-p99', '200ms', '--budget', '1ms', '--out', join(work, label), '--json'], {
    timeoutMs: 120_000, env: {MQBENCH_CHAOS_TEST: marker},
  })
  expect(processesWith(`MQBENCH_CHAOS_TEST=${marker}`), `${label}: processes left behind`).toEqual([])
  expect(r.exitCode, r.stderr).toBe(0)
  const result = parseJsonOutput<{status: number; result: RateSearchResult}>(r.stdout).result
  console.log(`[rate-max] ${label}: max ${result.maxRate}/s; ${result.steps.map((s) => `${s.rate}:${s.held ? 'held' : s.reason}`).join('; ')}`)
  return result
}

describe('mqbench run --rate max', () => {
  it('finds a lower sustainable rate on a broker throttled by slow-fsync than without it', async () => {
    const fast = await rateMax('plain', scenario('plain', undefined))
    const slow = await rateMax('slow', scenario('slow', 400))
    expect(fast.steps.length).toBeGreaterThan(0)
    expect(fast.maxRate).toBeGreaterThan(0)
    expect(slow.steps[0]!.held).toBe(false)
    expect(slow.steps[0]!.reason).toMatch(/p99|status|error|dropped/)
    expect(slow.maxRate).toBeLessThan(fast.maxRate)
  }, 300_000)
})
