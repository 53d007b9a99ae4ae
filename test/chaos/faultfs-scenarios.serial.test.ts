/**
 * The embedded broker with its store on faultfs must give the verdicts it gives with its in-process
 * volatile cache — the proof that faultfs is honest before it judges a broker we did not write:
 * SYNC_FLUSH loses no SEND_OK across power cuts, ASYNC_FLUSH loses only inside its flush window, and a
 * lying fsync FAILS. Through the real CLI; no faultfs mount may outlive a run. Needs root, /dev/fuse and
 * the Go helper: without them the suite skips LOUDLY, and a scenario asking for faultfs exits 2.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {faultfsProblems} from '../../src/cluster/faultfs/faultfs-binary.js'
import {faultfsMountsUnder} from '../../src/cluster/faultfs/faultfs-mount.js'
import type {FaultFsCutReport} from '../../src/cluster/faultfs/faultfs-control.js'
import type {RunResult} from '../../src/report/run-result.js'
import {ensureBuilt, removeDir, runCli, tempDir} from '../helpers/cli.js'
import {chaosRun, type ChaosRun, failedChecks, scenarioVariant} from '../helpers/chaos-cli.js'

const SEED = 1515
const ON_FAULTFS = {pageCacheMode: 'os', pageCacheWriteback: 'none', storeFs: 'faultfs'}
const problems = faultfsProblems()
if (problems.length > 0) console.warn(`faultfs chaos tests SKIPPED: ${problems.join('; ')}`)
let work: string

beforeAll(() => {
  ensureBuilt()
  work = tempDir('faultfs-chaos')
  console.log(`faultfs chaos tests: seed ${SEED}`)
})

afterAll(() => removeDir(work))

async function chaos(label: string, scenario: string, flags: string[] = []): Promise<ChaosRun> {
  const run = await chaosRun(work, SEED, label, scenario, flags)
  expect(faultfsMountsUnder(work), `${label}: faultfs mounts left behind`).toEqual([])
  return run
}

/**
 * For a failed loss-window row: the master's recoveries (valid end after each cut) beside the verdict,
 * so a CI log alone tells whether synced bytes vanished (valid end below the flush's offset) or not.
 */
function lossDiagnosis(result: RunResult): string {
  const log = readFileSync(join(result.runDir, 'cluster', 'broker-a-0', 'broker-a-0.log'), 'utf8')
  const recoveries = log.split('\n').filter((l) => /store: abnormal recovery/.test(l))
  return `${failedChecks(result)} || recoveries: ${recoveries.join(' / ')}`
}

/** Every power cut's accounting, from the master's faultfs log. */
function cutsOf(result: RunResult): FaultFsCutReport[] {
  const log = readFileSync(join(result.runDir, 'cluster', 'broker-a-0', 'faultfs.log'), 'utf8')
  return [...log.matchAll(/^faultfs cut (\{.*\})$/gm)].map((m) => JSON.parse(m[1]!) as FaultFsCutReport)
}

;(problems.length > 0 ? describe.skip : describe)('chaos on faultfs through the CLI', () => {
  it('power-loss-faultfs, SYNC_FLUSH, repeated cuts: no SEND_OK lost, PASS', async () => {
    const {exitCode, result} = await chaos('ff-sync', 'power-loss-faultfs')
    const cuts = cutsOf(result)
    console.log(`[faultfs] SYNC_FLUSH cuts: ${JSON.stringify(cuts)}`)
    expect(cuts.length).toBe(result.faults.length)
    expect(result.audit.lostFromStore).toBe(0)
    expect(result.verdict.pass, failedChecks(result)).toBe(true)
    expect(exitCode).toBe(0)
  })

  it('power-loss-faultfs, ASYNC_FLUSH: the cuts drop unsynced bytes, and whatever is lost lies inside the flush window, PASS', async () => {
    const {exitCode, result} = await chaos('ff-async', 'power-loss-faultfs', ['--flush', 'ASYNC_FLUSH'])
    const cuts = cutsOf(result)
    console.log(`[faultfs] ASYNC_FLUSH cuts: ${JSON.stringify(cuts)}`)
    expect(cuts.some((c) => c.droppedBytes > 0), 'some cut dropped unsynced CommitLog bytes').toBe(true)
    const window = result.verdict.checks.find((c) => c.name === 'loss-window')!
    expect(window.pass, lossDiagnosis(result)).toBe(true)
    expect(result.verdict.pass, failedChecks(result)).toBe(true)
    expect(exitCode).toBe(0)
  })

  it('fsync-lie on faultfs: the "synced" bytes vanish at the power cut, SEND_OK messages are lost, FAIL', async () => {
    const file = scenarioVariant(work, 'fsync-lie-faultfs', 'fsync-lie', ON_FAULTFS)
    const {exitCode, result} = await chaos('ff-lie', file)
    expect(cutsOf(result)[0]!.droppedBytes).toBeGreaterThan(0)
    expect(result.audit.lostFromStore).toBeGreaterThan(0)
    expect(result.verdict.pass).toBe(false)
    expect(exitCode).toBe(1)
  })

  it('disk-eio on faultfs (no mqbenchFaultInjection needed): no SEND_OK for what could not be written, PASS', async () => {
    const file = scenarioVariant(work, 'disk-eio-faultfs', 'disk-eio', {...ON_FAULTFS, mqbenchFaultInjection: 'false'})
    const {exitCode, result} = await chaos('ff-eio', file)
    expect(result.sendStatus.SEND_OK).toBeGreaterThan(0)
    expect(result.audit.lost).toBe(0)
    expect(exitCode, failedChecks(result)).toBe(0)
  })
})

describe('storeFs: faultfs where the helper is missing', () => {
  it('exits 2 with one line naming storeFs and what is missing', async () => {
    const out = join(work, 'missing-out')
    const r = await runCli(['chaos', 'power-loss-faultfs', '--out', out, '--duration', '2s'], {timeoutMs: 60_000, env: {MQBENCH_FAULTFS_BIN: '/nonexistent/faultfs'}})
    expect(r.exitCode).toBe(2)
    const lines = r.stderr.trim().split('\n').filter((l) => l.includes('storeFs'))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/cluster\.brokers\.0\.conf\.storeFs: faultfs is unavailable here: .*not built/)
    expect(readdirSync(work)).not.toContain('missing-out')
  })
})
