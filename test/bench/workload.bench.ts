/**
 * The load driver against the embedded broker (one namesrv + one ASYNC_FLUSH master, 4 queues), one
 * producer worker process, 1 KiB bodies, async sends:
 *   driver.max_tps          SEND_OK per second at rate 0 (closed loop, 512 in flight), 5 s after 1 s warm-up
 *   driver.cpu_us_per_msg   the worker's process.cpuUsage (user + system) per send of that same run
 *   driver.rate_error_pct   open loop at 1k, 5k and 20k msg/s: worst per-second |acks − rate| / rate over
 *                           the full seconds of the measured window (first and last second excluded)
 */
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {createTopic} from '../../src/client/index.js'
import {EmbeddedCluster} from '../../src/cluster/embedded-cluster.js'
import {totalErrors, totalStatuses, type SendCounters} from '../../src/metrics/index.js'
import {WorkerHandle, workerSpawnArgs} from '../../src/workload/worker-handle.js'
import type {DoneMessage, ProducerWorkerConfig, TickMessage} from '../../src/workload/worker-messages.js'
import type {Bench, BenchResult} from './bench.js'

const TOPIC = 'BenchWorkload'
const BODY_BYTES = 1024

interface DriverRun {
  done: DoneMessage
  ticks: TickMessage[]
}

async function withCluster<T>(fn: (namesrvAddr: string, dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'mqb-bench-workload-'))
  const cluster = new EmbeddedCluster({
    runDir: join(dir, 'cluster'),
    brokers: [{brokerName: 'broker-a', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: 'ASYNC_FLUSH'}],
  })
  try {
    await cluster.start()
    await createTopic({namesrvAddr: cluster.namesrvAddr, topic: TOPIC, queueNums: 4})
    return await fn(cluster.namesrvAddr, dir)
  } finally {
    await cluster.stop()
    rmSync(dir, {recursive: true, force: true})
  }
}

async function driveOnce(namesrvAddr: string, dir: string, over: Partial<ProducerWorkerConfig>): Promise<DriverRun> {
  const child = spawn(process.execPath, workerSpawnArgs(), {stdio: ['ignore', 'ignore', 'inherit', 'ipc']})
  const worker = new WorkerHandle(child, 'bench-producer')
  try {
    worker.start({
      role: 'producer', workerId: 0, producerId: 0, runId: 'bench', namesrvAddr, producerGroup: 'bench-pg', topic: TOPIC,
      sendMode: 'async', ratePerSec: 0, durationMs: 5000, warmupMs: 1000, startAtMs: Date.now() + 300, bodySizeBytes: BODY_BYTES,
      maxInFlight: 512, seed: 1, ledgerPath: join(dir, `producer-${Date.now()}.ledger`), ...over,
    })
    const done = await worker.waitDone(60_000)
    return {done, ticks: worker.ticks}
  } finally {
    worker.kill()
  }
}

let closedLoop: Promise<DriverRun> | undefined
function closedLoopRun(): Promise<DriverRun> {
  closedLoop ??= withCluster((addr, dir) => driveOnce(addr, dir, {}))
  return closedLoop
}

async function rateErrorPct(rate: number): Promise<{errorPct: number; dropped: number; maxStartLagMs: number}> {
  const run = await withCluster((addr, dir) => driveOnce(addr, dir, {ratePerSec: rate, durationMs: 4000, warmupMs: 1000, maxInFlight: 1024}))
  const load = run.ticks.filter((t) => t.phase === 'load' && t.t >= 1 && t.t <= 2)
  let worst = 0
  for (const t of load) {
    const c = t.counts as SendCounters
    worst = Math.max(worst, Math.abs(totalStatuses(c) + totalErrors(c) - rate) / rate)
  }
  const counts = run.done.counts as SendCounters
  return {errorPct: Math.round(worst * 10_000) / 100, dropped: counts.dropped, maxStartLagMs: Math.round(run.done.maxStartLagMs ?? 0)}
}

export const benches: Bench[] = [
  {
    name: 'driver.max_tps',
    async run(): Promise<BenchResult> {
      const {done} = await closedLoopRun()
      const c = done.counts as SendCounters
      return {value: Math.round(c.SEND_OK / 5), unit: 'msg/s', bodyBytes: BODY_BYTES, sendMode: 'async', maxInFlight: 512, errors: totalErrors(c)}
    },
  },
  {
    name: 'driver.cpu_us_per_msg',
    async run(): Promise<BenchResult> {
      const {done} = await closedLoopRun()
      const us = (done.cpuUserUs + done.cpuSystemUs) / Math.max(1, done.attempted ?? 0)
      return {value: Math.round(us * 10) / 10, unit: 'µs/msg', bodyBytes: BODY_BYTES, includes: 'process start, warm-up'}
    },
  },
  {
    name: 'driver.rate_error_pct',
    async run(): Promise<BenchResult> {
      const byRate: Record<string, unknown> = {}
      let worst = 0
      for (const rate of [1000, 5000, 20_000]) {
        const r = await rateErrorPct(rate)
        byRate[`r${rate}`] = r
        worst = Math.max(worst, r.errorPct)
      }
      return {value: worst, unit: '%', ...byRate}
    },
  },
]
