/**
 * The chaos scenarios against real Apache RocketMQ (--target rocketmq), through the CLI, one run at a
 * time (vitest.rocketmq.config.ts). Power cuts and a lying disk reach the JVM through faultfs; a cut
 * that loses nothing under ASYNC_FLUSH was no power cut, so it must lose at least one SEND_OK and be
 * judged against the flush window; a lying fsync under SYNC_FLUSH must FAIL. No JVM and no faultfs
 * mount may outlive a run. Without java (or the jars and mvn), or without faultfs, the suites skip LOUDLY.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parse, stringify} from 'yaml'
import {writeFileSync} from 'node:fs'
import {faultfsProblems} from '../../src/cluster/faultfs/faultfs-binary.js'
import {faultfsMountsUnder} from '../../src/cluster/faultfs/faultfs-mount.js'
import type {FaultFsCutReport} from '../../src/cluster/faultfs/faultfs-control.js'
import type {RunResult} from '../../src/report/run-result.js'
import {ensureBuilt, removeDir, REPO, runCli, tempDir} from '../helpers/cli.js'
import {chaosRun, type ChaosRun} from '../helpers/chaos-cli.js'
import {describeRocketMQ} from '../helpers/rocketmq.js'

const SEED = 2121
// Two JVM starts (the boot and the restart after the cut) of 10–30 s each on two busy cores.
const RUN_TIMEOUT_MS = 280_000
const faultfs = faultfsProblems()
if (faultfs.length > 0) console.warn(`*** real-RocketMQ power-loss/fsync-lie tests SKIPPED: ${faultfs.join('; ')} ***`)
let work: string

beforeAll(() => {
  ensureBuilt()
  work = tempDir('rmq-chaos')
  console.log(`real RocketMQ chaos tests: seed ${SEED}`)
})

afterAll(() => removeDir(work))

async function chaos(label: string, scenario: string, flags: string[]): Promise<ChaosRun> {
  const run = await chaosRun(work, SEED, label, scenario, ['--target', 'rocketmq', ...flags], RUN_TIMEOUT_MS)
  expect(faultfsMountsUnder(work), `${label}: faultfs mounts left behind`).toEqual([])
  expect(run.result.target).toBe('rocketmq')
  console.log(`[rmq] ${label}: sendStatus ${JSON.stringify(run.result.sendStatus)}, verdict ${run.result.verdict.pass ? 'PASS' : 'FAIL'}`)
  // The verdict decides the exit code (no thresholds here): 0 PASS, 1 FAIL, never a broken run.
  expect(run.exitCode).toBe(run.result.verdict.pass ? 0 : 1)
  return run
}

function cutsOf(result: RunResult): FaultFsCutReport[] {
  const log = readFileSync(join(result.runDir, 'cluster', 'broker-a-0', 'faultfs.log'), 'utf8')
  return [...log.matchAll(/^faultfs cut (\{.*\})$/gm)].map((m) => JSON.parse(m[1]!) as FaultFsCutReport)
}

describe('refused before any JVM starts (exit 2, one line)', () => {
  it('our deliberate bugs (mqbenchBrokenMode) do not exist in RocketMQ', async () => {
    const s = parse(readFileSync(join(REPO, 'scenarios', 'sync-flush.yaml'), 'utf8')) as {cluster: {brokers: {conf?: Record<string, unknown>}[]}}
    s.cluster.brokers[0]!.conf = {...s.cluster.brokers[0]!.conf, mqbenchBrokenMode: 'ack-before-flush'}
    const file = join(work, 'broken.yaml')
    writeFileSync(file, stringify(s))
    const r = await runCli(['run', file, '--target', 'rocketmq', '--out', join(work, 'broken-out')], {timeoutMs: 60_000})
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/mqbenchBrokenMode .*cannot apply to a real RocketMQ broker/)
  })
})

;(faultfs.length > 0 ? describe.skip : describe)('power cuts and a lying disk on real RocketMQ (faultfs)', () => {
  describeRocketMQ('chaos', () => {
    it('power-loss, ASYNC_FLUSH: the cut drops unsynced bytes, ≥ 1 SEND_OK is lost, judged against the flush window', async () => {
      const {result} = await chaos('rmq-pl-async', 'power-loss', ['--flush', 'ASYNC_FLUSH', '--rate', '2000', '--duration', '8s'])
      expect(cutsOf(result).some((c) => c.droppedBytes > 0), 'a cut dropped unsynced bytes').toBe(true)
      expect(result.audit.lostFromStore, 'a power cut under ASYNC_FLUSH loses what was not flushed').toBeGreaterThanOrEqual(1)
      const window = result.verdict.checks.find((c) => c.name === 'loss-window')
      expect(window, 'judged against the ASYNC_FLUSH window').toBeDefined()
      expect(window!.observed).toMatch(/SEND_OK missing from the store over \d+ of \d+ cut/)
    })

    it('power-loss, SYNC_FLUSH: a verdict on zero loss', async () => {
      const {result} = await chaos('rmq-pl-sync', 'power-loss', ['--rate', '2000', '--duration', '8s'])
      expect(cutsOf(result).length).toBe(result.faults.length)
      expect(result.verdict.checks.find((c) => c.name === 'no-lost-from-store')).toBeDefined()
    })

    it('slow-disk on a SYNC_FLUSH broker: fsyncs slowed on faultfs reach the JVM, which answers FLUSH_DISK_TIMEOUT; a verdict', async () => {
      const {result} = await chaos('rmq-slow-disk', 'slow-disk', ['--duration', '6s'])
      // Without the slowed fsyncs reaching RocketMQ's GroupCommitService, every send would be SEND_OK within its 5 s flush wait.
      expect(result.sendStatus.FLUSH_DISK_TIMEOUT, 'sends whose fsync outlasted syncFlushTimeout').toBeGreaterThan(0)
      expect(result.verdict.checks.find((c) => c.name === 'no-lost-from-store')).toBeDefined()
    })

    it('fsync-lie on a SYNC_FLUSH broker: the "synced" SEND_OK messages vanish at the cut, FAIL (exit 1)', async () => {
      const {exitCode, result} = await chaos('rmq-lie', 'fsync-lie', ['--duration', '8s'])
      expect(result.audit.lostFromStore).toBeGreaterThan(0)
      expect(result.verdict.pass).toBe(false)
      expect(exitCode).toBe(1)
    })
  })
})

// Needs no faultfs: a kill keeps the OS page cache, and the promise is about the slave.
describeRocketMQ('chaos on a master/slave pair', () => {
  it('kill-master on a SYNC_MASTER/SLAVE pair: a verdict, SEND_OK counted, the slave replicated (no SYNC_MASTER hang)', async () => {
    const {result} = await chaos('rmq-kill-master', 'kill-master', ['--rate', '1500', '--duration', '8s'])
    expect(result.verdict.checks.find((c) => c.name === 'no-lost-from-store')).toBeDefined()
    // A SYNC_MASTER whose slave never connected answers nothing within the send timeout: no SEND_OK at all.
    expect(result.sendStatus.SEND_OK).toBeGreaterThan(0)
  })

  it('partition-slave: the HA link runs through the fault proxy, so the SYNC_MASTER stalls; a verdict and the statuses it answered', async () => {
    const {result} = await chaos('rmq-partition', 'partition-slave', ['--rate', '1000', '--duration', '8s'])
    console.log(`[rmq] rmq-partition: errors ${JSON.stringify(result.errors)}, JVM warm-up ${JSON.stringify(result.jvmWarmup)}`)
    expect(result.verdict.checks.find((c) => c.name === 'no-lost-from-store')).toBeDefined()
    expect(result.sendStatus.SEND_OK).toBeGreaterThan(0)
    // Without the proxy on the HA link the partition would cut nothing and every send would be SEND_OK: 5.3.3
    // waits slaveTimeout (3 s) for the slave's ack and answers FLUSH_SLAVE_TIMEOUT, racing the client's own 3 s timeout.
    expect(result.sendStatus.FLUSH_SLAVE_TIMEOUT + result.sendStatus.SLAVE_NOT_AVAILABLE + result.errors.timeout, 'sends stalled by the partition').toBeGreaterThan(0)
    expect(result.jvmWarmup, 'a real target is warmed before the measured run').toBeDefined()
  })
})
