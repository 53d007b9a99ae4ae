/**
 * worker-main as a real process, without a broker: the namesrv address refuses connections, so every
 * send fails fast. Checks the IPC life cycle (ready → ticks → done → exit 0), that failures are
 * ledgered, and that a worker whose orchestrator disconnects exits instead of lingering.
 */
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {readProducerLedger, SendOutcome} from '../../../src/recorder/ledger/index.js'
import {allocatePort} from '../../../src/process/ports.js'
import type {SendCounters} from '../../../src/metrics/index.js'
import {WorkerHandle, workerSpawnArgs} from '../../../src/workload/worker-handle.js'
import type {ProducerWorkerConfig} from '../../../src/workload/worker-messages.js'

const dir = mkdtempSync(join(tmpdir(), 'mqb-worker-main-'))
const children: WorkerHandle[] = []

function spawnWorker(name: string): WorkerHandle {
  const child = spawn(process.execPath, workerSpawnArgs(), {stdio: ['ignore', 'pipe', 'pipe', 'ipc']})
  child.stdout!.resume()
  child.stderr!.resume()
  const h = new WorkerHandle(child, name)
  children.push(h)
  return h
}

function exited(h: WorkerHandle): Promise<number | null> {
  if (h.child.exitCode !== null || h.child.signalCode !== null) return Promise.resolve(h.child.exitCode)
  return new Promise((resolve) => h.child.once('exit', (code) => resolve(code)))
}

async function config(name: string, over: Partial<ProducerWorkerConfig>): Promise<ProducerWorkerConfig> {
  // A port nobody listens on: allocated, then released by the probe, never bound again.
  const deadPort = await allocatePort()
  return {
    role: 'producer', workerId: 0, producerId: 0, runId: 'wm', namesrvAddr: `127.0.0.1:${deadPort}`, producerGroup: 'pg', topic: 'T',
    sendMode: 'sync', ratePerSec: 40, durationMs: 500, warmupMs: 0, bodySizeBytes: 32, maxInFlight: 4, seed: 9,
    ledgerPath: join(dir, `${name}.ledger`), sendMsgTimeout: 1000, ...over,
  }
}

afterAll(() => {
  for (const h of children) h.kill()
  rmSync(dir, {recursive: true, force: true})
})

describe('worker-main process', () => {
  it('runs start → ready → ticks → done, ledgers every failed send, exits 0', async () => {
    const h = spawnWorker('p-ok')
    const cfg = await config('p-ok', {})
    h.start(cfg)
    await h.ready
    const done = await h.waitDone(20_000)
    expect(await exited(h)).toBe(0)
    expect(done.attempted).toBe(20)
    const c = done.counts as SendCounters
    expect(c.SEND_OK).toBe(0)
    expect(c.errors.connection + c.errors.timeout + Object.values(c.errors.broker).reduce((a, b) => a + b, 0)).toBe(20)
    const ledger = readProducerLedger(cfg.ledgerPath)
    expect(ledger.filter((e) => e.kind === 'start')).toHaveLength(20)
    const outcomes = ledger.filter((e) => e.kind === 'outcome')
    expect(outcomes).toHaveLength(20)
    expect(outcomes.every((e) => e.outcome !== SendOutcome.SEND_OK)).toBe(true)
    expect(done.cpuUserUs).toBeGreaterThan(0)
  })

  it('exits on its own when the orchestrator disconnects mid-run', async () => {
    const h = spawnWorker('p-orphan')
    h.start(await config('p-orphan', {durationMs: 600_000}))
    await h.ready
    const exit = exited(h)
    h.child.disconnect()
    const code = await Promise.race([exit, new Promise((r) => setTimeout(() => r('still running'), 10_000))])
    expect(code).not.toBe('still running')
  })

  it('stop ends a long run early and still reports done', async () => {
    const h = spawnWorker('p-stop')
    const cfg = await config('p-stop', {durationMs: 600_000, ratePerSec: 20})
    h.start(cfg)
    await h.ready
    await new Promise((r) => setTimeout(r, 300))
    h.stop()
    const done = await h.waitDone(10_000)
    expect(await exited(h)).toBe(0)
    expect(done.attempted).toBeGreaterThan(0)
    expect(done.attempted).toBeLessThan(100)
    expect(readProducerLedger(cfg.ledgerPath).filter((e) => e.kind === 'start')).toHaveLength(done.attempted!)
  })

  it('reports a bad config as a typed error message and exits 1', async () => {
    const h = spawnWorker('p-bad')
    h.start(await config('p-bad', {bodySizeBytes: 4}))
    await expect(h.done).rejects.toMatchObject({workerCode: 'CONFIG', message: expect.stringMatching(/bodySizeBytes/)})
    expect(await exited(h)).toBe(1)
  })

  it('with awaitBegin sends nothing before begin; stop before begin reports an empty done', async () => {
    const h = spawnWorker('p-await')
    const cfg = await config('p-await', {awaitBegin: true})
    h.start(cfg)
    await h.ready
    await new Promise((r) => setTimeout(r, 200))
    expect(readProducerLedger(cfg.ledgerPath)).toHaveLength(0)
    h.stop()
    const done = await h.waitDone(10_000)
    expect(done.attempted).toBe(0)
    expect(await exited(h)).toBe(0)
  })
})
