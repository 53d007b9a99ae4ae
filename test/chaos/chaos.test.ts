/**
 * `mqbench chaos` end to end, through the real CLI: short runs with real faults (SIGKILL, power cuts
 * with a volatile page cache, a deleted store), each verdict next to its deliberately broken twin
 * (style rule 9). Every run tags its processes with an env marker, and the test checks that no
 * process carrying it outlives the run.
 */
import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {readDeliveryLedgerFile} from '../../src/recorder/ledger/delivery-ledger.js'
import {readProducerLedgerFile, SendOutcome} from '../../src/recorder/ledger/producer-ledger.js'
import type {RunResult} from '../../src/report/run-result.js'
import {ensureBuilt, removeDir, tempDir} from '../helpers/cli.js'
import {chaosRun, type ChaosRun, scenarioVariant} from '../helpers/chaos-cli.js'

const SEED = 1313
let work: string

beforeAll(() => {
  ensureBuilt()
  work = tempDir('chaos')
  console.log(`chaos tests: seed ${SEED}`)
})

afterAll(() => removeDir(work))

const variant = (name: string, builtin: string, masterConf: Record<string, string>): string => scenarioVariant(work, name, builtin, masterConf)
const chaos = (label: string, scenario: string, flags: string[] = []): Promise<ChaosRun> => chaosRun(work, SEED, label, scenario, flags)

/** Send outcomes in ack order, from the run's producer ledgers. */
function outcomes(result: RunResult): {outcome: number; ackMs: number}[] {
  const dir = join(result.runDir, 'ledgers')
  return readdirSync(dir).filter((f) => /^producer-\d+\.ledger$/.test(f))
    .flatMap((f) => readProducerLedgerFile(join(dir, f)).entries)
    .filter((e) => e.kind === 'outcome' && e.ackMs !== undefined)
    .map((e) => ({outcome: e.outcome!, ackMs: e.ackMs!}))
    .sort((a, b) => a.ackMs - b.ackMs)
}

/** The span of non-SEND_OK broker statuses and how many SEND_OK followed the last of them. */
function statusSpan(result: RunResult, statuses: number[]): {count: number; spanMs: number; okAfter: number} {
  const all = outcomes(result)
  const bad = all.filter((o) => statuses.includes(o.outcome))
  if (bad.length === 0) return {count: 0, spanMs: 0, okAfter: all.length}
  const last = bad[bad.length - 1]!.ackMs
  return {count: bad.length, spanMs: last - bad[0]!.ackMs, okAfter: all.filter((o) => o.ackMs > last && o.outcome === SendOutcome.SEND_OK).length}
}

/** Timeline seconds that lie inside a fault's window. */
function duringFault(result: RunResult, i = 0): RunResult['timeline'] {
  const f = result.faults[i]!
  return result.timeline.filter((p) => p.t >= Math.ceil(f.at) && p.t + 1 <= (f.healedAt ?? f.at))
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

  it('power-loss-cycles, SYNC_FLUSH, 4 cycles: no SEND_OK missing from the store after any cut, PASS', async () => {
    const {exitCode, result} = await chaos('power-cycles', 'power-loss-cycles', ['--cycles', '4'])
    expect(result.faults).toHaveLength(4)
    expect(result.audit.lostFromStore).toBe(0)
    expect(result.verdict.pass).toBe(true)
    expect(exitCode).toBe(0)
  })

  it('power-loss, ASYNC_FLUSH at 2 msg/s without writeback: acked messages consumers already read are lost from the store, inside the thorough-flush bound, PASS', async () => {
    const file = variant('power-loss-light', 'power-loss', {pageCacheWriteback: 'none'})
    const {exitCode, result} = await chaos('power-async-light', file, ['--flush', 'ASYNC_FLUSH', '--rate', '2', '--duration', '12s'])
    const window = result.verdict.checks.find((c) => c.name === 'loss-window')!
    expect(window.pass, window.observed).toBe(true)
    // Light traffic never dirties flushCommitLogLeastPages per interval, so the wider bound applies, and the report says so.
    expect(window.observed).toMatch(/bound flushCommitLogThoroughInterval 10000 ms \(light traffic\)/)
    // Delivered before the cut, gone from the store after it: the case a found-anywhere audit would miss.
    expect(result.audit.lostFromStore).toBeGreaterThan(result.audit.lost)
    expect(exitCode).toBe(0)
  })

  it('kill-master, SYNC_MASTER: writes stop while it is down, nothing acked goes missing, PASS', async () => {
    const {exitCode, result} = await chaos('kill-master', 'kill-master')
    const down = duringFault(result)
    expect(down.length, 'a whole second inside the outage').toBeGreaterThan(0)
    for (const p of down) expect(p.sendTps, `t=${p.t}`).toBeLessThan(150)
    expect(down.reduce((n, p) => n + p.errors, 0)).toBeGreaterThan(0)
    const byBroker = new Map<number, number>()
    for (const f of readdirSync(join(result.runDir, 'ledgers')).filter((x) => /^consumer-.*\.ledger$/.test(x))) {
      for (const e of readDeliveryLedgerFile(join(result.runDir, 'ledgers', f)).entries) byBroker.set(e.brokerId, (byBroker.get(e.brokerId) ?? 0) + 1)
    }
    console.log(`[chaos] kill-master: deliveries by brokerId ${JSON.stringify(Object.fromEntries(byBroker))}, delivered ${result.audit.delivered} of ${result.audit.acked} acked`)
    expect(result.audit.lostFromStore).toBe(0)
    expect(result.verdict.pass).toBe(true)
    expect(exitCode).toBe(0)
  })

  it('kill-slave: SYNC_MASTER answers SLAVE_NOT_AVAILABLE while it is down and SEND_OK after; ASYNC_MASTER shows none', async () => {
    // 8 s of load: ~2.5 s of sends after the restarted slave is back, even on a slow box.
    const sync = await chaos('kill-slave-sync', 'kill-slave', ['--duration', '8s'])
    const span = statusSpan(sync.result, [SendOutcome.SLAVE_NOT_AVAILABLE])
    console.log(`[chaos] kill-slave SYNC_MASTER: ${JSON.stringify(span)}`)
    expect(sync.result.sendStatus.SLAVE_NOT_AVAILABLE).toBeGreaterThan(0)
    expect(span.spanMs).toBeLessThan(5000)
    expect(span.okAfter).toBeGreaterThan(300)
    expect(sync.result.verdict.pass).toBe(true)
    const async = await chaos('kill-slave-async', 'kill-slave', ['--role', 'ASYNC_MASTER'])
    expect(async.result.sendStatus).toMatchObject({SLAVE_NOT_AVAILABLE: 0, FLUSH_SLAVE_TIMEOUT: 0})
    expect(async.result.verdict.pass).toBe(true)
  })

  it('pause-slave: SYNC_MASTER answers FLUSH_SLAVE_TIMEOUT while it is stopped and SEND_OK after; ASYNC_MASTER shows none', async () => {
    const sync = await chaos('pause-slave-sync', 'pause-slave')
    const span = statusSpan(sync.result, [SendOutcome.FLUSH_SLAVE_TIMEOUT, SendOutcome.SLAVE_NOT_AVAILABLE])
    console.log(`[chaos] pause-slave SYNC_MASTER: ${JSON.stringify(span)}`)
    expect(sync.result.sendStatus.FLUSH_SLAVE_TIMEOUT).toBeGreaterThan(0)
    expect(span.spanMs).toBeLessThan(5000)
    expect(span.okAfter).toBeGreaterThan(300)
    expect(sync.result.verdict.pass).toBe(true)
    const async = await chaos('pause-slave-async', 'pause-slave', ['--role', 'ASYNC_MASTER'])
    expect(async.result.sendStatus).toMatchObject({SLAVE_NOT_AVAILABLE: 0, FLUSH_SLAVE_TIMEOUT: 0})
    expect(async.result.verdict.pass).toBe(true)
  })

  it('master-disk-loss, ASYNC_MASTER: judged against the replication lag measured at the cut, PASS', async () => {
    const {exitCode, result} = await chaos('disk-async-master', 'master-disk-loss', ['--role', 'ASYNC_MASTER'])
    const window = result.verdict.checks.find((c) => c.name === 'loss-window')!
    expect(window.observed).toMatch(/measured lag at the cut \d+ ms \(slave \d+ bytes behind, sampled \d+ ms before\)/)
    expect(window.pass, window.observed).toBe(true)
    expect(exitCode).toBe(0)
  })

  // The slave is kept behind by a throttled HA link (overlapping fault) when the master's disk dies: ASYNC_MASTER
  // must lose acked messages, every one inside the lag measured at the cut; SYNC_MASTER none (its sends wait).
  it('master-disk-loss-lagging: ASYNC_MASTER loses what the slowed slave lacked, inside the measured lag; SYNC_MASTER loses nothing', async () => {
    const async = await chaos('disk-lagging-async', 'master-disk-loss-lagging', ['--rate', '2000'])
    expect(async.result.faults.map((f) => f.action)).toEqual(['bandwidth', 'disk-loss'])
    const [slowLink, diskLoss] = async.result.faults
    expect(diskLoss!.at).toBeLessThan(slowLink!.healedAt!) // injected while the link was still throttled
    expect(async.result.audit.lostFromStore).toBeGreaterThan(0)
    const window = async.result.verdict.checks.find((c) => c.name === 'loss-window')!
    expect(window.observed).toMatch(/lost within \d+ ms before the loss of broker-a-0; measured lag at the cut \d+ ms/)
    expect(window.pass, window.observed).toBe(true)
    expect(async.exitCode).toBe(0)

    const sync = await chaos('disk-lagging-sync', 'master-disk-loss-lagging', ['--rate', '2000', '--role', 'SYNC_MASTER'])
    expect(sync.result.audit.lostFromStore).toBe(0)
    expect(sync.result.verdict.pass).toBe(true)
    expect(sync.exitCode).toBe(0)
  })
})
