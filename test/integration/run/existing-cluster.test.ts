/**
 * `--namesrv host:port`: a cluster started in one step (here our embedded master + slave, under its own
 * cluster name), then `mqbench run` pointed at it. The run finds the brokers and the promises they make
 * through the namesrv, its audit sees every message, and it leaves the cluster running. A broker that
 * drops messages is caught the same way (FAIL, exit 1); a fault that needs the brokers' processes is
 * refused before the run (exit 2, one line).
 */
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {EmbeddedCluster} from '../../../src/cluster/embedded-cluster.js'
import {ensureBuilt, readOnlyResult, removeDir, runCli, stopRunningClis, tempDir} from '../../helpers/cli.js'
import {alive} from '../../helpers/pids.js'

let work: string
let healthy: EmbeddedCluster
let dropping: EmbeddedCluster

beforeAll(async () => {
  ensureBuilt()
  work = tempDir('existing')
  healthy = new EmbeddedCluster({
    runDir: join(work, 'healthy'), clusterName: 'ShopCluster',
    brokers: [
      {brokerName: 'shop-a', brokerId: 0, brokerRole: 'SYNC_MASTER', flushDiskType: 'SYNC_FLUSH'},
      {brokerName: 'shop-a', brokerId: 1, brokerRole: 'SLAVE', flushDiskType: 'ASYNC_FLUSH'},
    ],
  })
  // Loses every 50th message it acknowledges: an existing cluster's loss must show as it does on ours.
  dropping = new EmbeddedCluster({
    runDir: join(work, 'dropping'),
    brokers: [{brokerName: 'lossy', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: 'ASYNC_FLUSH', extraConf: {mqbenchBrokenMode: 'drop-every-n:50'}}],
  })
  await Promise.all([healthy.start(), dropping.start()])
}, 120_000)

afterAll(async () => {
  await stopRunningClis()
  const pids = [...(healthy?.nodes() ?? []), ...(dropping?.nodes() ?? [])].map((n) => n.pid).filter((p) => p !== undefined)
  await Promise.all([healthy?.stop(), dropping?.stop()])
  for (const pid of pids) expect(alive(pid), `pid ${pid} outlived the test`).toBe(false)
  removeDir(work)
})

describe('mqbench against a cluster it did not start (--namesrv)', () => {
  it('run: discovers the brokers and their settings, audits every message, leaves the cluster running', async () => {
    const out = join(work, 'run')
    const pids = healthy.nodes().map((n) => n.pid!)
    const r = await runCli(['run', 'sync-flush', '--namesrv', healthy.namesrvAddr, '--duration', '2s', '--rate', '500', '--seed', '7', '--out', out, '--json'], {timeoutMs: 120_000})
    expect(r.exitCode, r.stderr).toBe(0)
    const result = readOnlyResult(out)
    expect(result.status).toBe('completed')
    // The scenario file's single SYNC_FLUSH master is replaced by what the namesrv lists.
    expect(result.cluster.map((n) => [n.name, n.role, n.flushDiskType, n.addr])).toEqual(healthy.nodes().filter((n) => n.kind === 'broker')
      .map((n) => [n.name, n.brokerId === 0 ? 'SYNC_MASTER' : 'SLAVE', n.brokerId === 0 ? 'SYNC_FLUSH' : 'ASYNC_FLUSH', n.addr]))
    expect(result.audit.attempted).toBeGreaterThan(0)
    expect(result.audit.ok).toBe(result.audit.attempted)
    expect(result.audit.lost).toBe(0)
    expect(result.verdict.pass).toBe(true)
    // Nothing of the cluster was stopped or restarted by the run.
    expect(healthy.nodes().map((n) => n.pid)).toEqual(pids)
    for (const pid of pids) expect(alive(pid)).toBe(true)
  }, 150_000)

  it('run: a broker that drops acknowledged messages fails the verdict (exit 1)', async () => {
    const out = join(work, 'lossy')
    const r = await runCli(['run', 'async-flush', '--namesrv', dropping.namesrvAddr, '--duration', '2s', '--rate', '500', '--seed', '7', '--out', out, '--json'], {timeoutMs: 120_000})
    const result = readOnlyResult(out)
    expect(result.audit.lost).toBeGreaterThan(0)
    expect(result.verdict.pass).toBe(false)
    expect(r.exitCode).toBe(1)
  }, 150_000)

  it('chaos kill-master is refused before anything runs (exit 2, one line)', async () => {
    const out = join(work, 'kill')
    const r = await runCli(['chaos', 'kill-master', '--namesrv', healthy.namesrvAddr, '--out', out])
    expect(r.exitCode).toBe(2)
    expect(r.stderr.trim().split('\n')[0]).toMatch(/faults\.0 \(kill on master: needs control of the broker's processes.*cannot apply to a cluster mqbench did not start \(--namesrv\)/)
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([])
  })

  it.each([
    ['localhost', /--namesrv: expected host:port/],
    ['127.0.0.1:70000', /--namesrv: expected host:port with a port from 1 to 65535/],
  ])('--namesrv %s is exit 2 naming the flag', async (addr, message) => {
    const r = await runCli(['run', 'sync-flush', '--namesrv', addr, '--out', join(work, 'bad')])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(message)
  })

  it('a namesrv nobody answers at is exit 2 naming the setting, before any run directory', async () => {
    const out = join(work, 'nobody')
    const r = await runCli(['run', 'sync-flush', '--namesrv', '127.0.0.1:1', '--out', out])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/cluster\.namesrv \(--namesrv\) 127\.0\.0\.1:1: no namesrv answers/)
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([])
  })
})
