/**
 * The load driver against the embedded broker (one namesrv + one ASYNC_FLUSH master, 4 queues), one
 * producer worker process, 1 KiB bodies, async sends:
 *   driver.max_tps          SEND_OK per second at rate 0 (closed loop, 512 in flight), 5 s after 1 s warm-up
 *   driver.java.max_tps     the same closed-loop run with the official Java client's producer (workers/java,
 *                           rocketmq-client 5.3.3, DefaultMQProducer async sends) instead of ours
 *   driver.cpu_us_per_msg   the worker's process.cpuUsage (user + system) per send of that same run
 *   driver.pacer_rate_error_pct  the pacer alone, in this process, against a sender that burns 20 µs of CPU
 *                           per send and settles on the next turn of the event loop: worst per-second
 *                           |started − rate| / rate at 1k, 5k, 20k msg/s over 3 s each (timer strategy only)
 *   driver.rate_error_pct   open loop at 1k, 5k and 20k msg/s: worst per-second |sends started − rate| / rate
 *                           over the full seconds of the measured window (first and last excluded); the same
 *                           figure for acks (ackErrorPct) and the drops show whether the broker kept up
 */
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {createTopic} from '../../src/client/index.js'
import {EmbeddedCluster} from '../../src/cluster/embedded-cluster.js'
import {totalErrors, totalStatuses, type SendCounters} from '../../src/metrics/index.js'
import {ArrivalSchedule} from '../../src/workload/arrival-schedule.js'
import {epochNowMs, SendPacer} from '../../src/workload/send-pacer.js'
import {prepareJavaWorker, type JavaWorkerCommand} from '../../src/workload/java-worker.js'
import {JAVA_CLIENT_DEFAULT_VERSION} from '../../src/scenario/java-client.js'
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

async function driveOnce(namesrvAddr: string, dir: string, over: Partial<ProducerWorkerConfig>, java?: JavaWorkerCommand): Promise<DriverRun> {
  const {cmd, args} = java ?? {cmd: process.execPath, args: workerSpawnArgs()}
  const child = spawn(cmd, args, {stdio: ['ignore', 'ignore', 'inherit', 'ipc']})
  const worker = new WorkerHandle(child, 'bench-producer')
  try {
    worker.start({
      role: 'producer', workerId: 0, producerId: 0, runId: 'bench', namesrvAddr, producerGroup: 'bench-pg', topic: TOPIC,
      sendMode: 'async', ratePerSec: 0, durationMs: 5000, warmupMs: 1000, awaitBegin: true, bodySizeBytes: BODY_BYTES,
      maxInFlight: 512, seed: 1, ledgerPath: join(dir, `producer-${Date.now()}.ledger`), ...over,
    })
    await worker.ready
    worker.begin(Date.now() + 100)
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

async function rateErrorPct(rate: number): Promise<Record<string, number>> {
  const run = await withCluster((addr, dir) => driveOnce(addr, dir, {ratePerSec: rate, durationMs: 4000, warmupMs: 1000, maxInFlight: 1024}))
  const load = run.ticks.filter((t) => t.phase === 'load' && t.t >= 1 && t.t <= 2)
  let worstStarted = 0
  let worstAcked = 0
  for (const t of load) {
    const c = t.counts as SendCounters
    worstStarted = Math.max(worstStarted, Math.abs((t.started ?? 0) - rate) / rate)
    worstAcked = Math.max(worstAcked, Math.abs(totalStatuses(c) + totalErrors(c) - rate) / rate)
  }
  const counts = run.done.counts as SendCounters
  const pct = (x: number): number => Math.round(x * 10_000) / 100
  return {
    errorPct: pct(worstStarted), ackErrorPct: pct(worstAcked), dropped: counts.dropped, maxStartLagMs: Math.round(run.done.maxStartLagMs ?? 0),
    loopDelayMaxMs: run.done.eventLoopDelayMaxMs ?? -1,
  }
}

async function pacerErrorPct(rate: number): Promise<{errorPct: number; maxStartLagMs: number; dropped: number}> {
  const startMs = epochNowMs() + 50
  const schedule = new ArrivalSchedule({ratePerSec: rate, startMs, durationMs: 3000})
  const perSecond = [0, 0, 0, 0]
  const pacer = new SendPacer({
    schedule, maxInFlight: 1024,
    issue: () => {
      const now = epochNowMs()
      perSecond[Math.min(3, Math.floor((now - startMs) / 1000))]!++
      while (epochNowMs() - now < 0.02) {
        // stands in for building and encoding a message
      }
      return new Promise((resolve) => setImmediate(resolve))
    },
  })
  const stats = await pacer.run()
  const worst = Math.max(...perSecond.slice(0, 3).map((n) => Math.abs(n - rate) / rate))
  return {errorPct: Math.round(worst * 10_000) / 100, maxStartLagMs: Math.round(stats.maxStartLagMs * 10) / 10, dropped: stats.dropped}
}

export const benches: Bench[] = [
  {
    name: 'driver.pacer_rate_error_pct',
    async run(): Promise<BenchResult> {
      const byRate: Record<string, unknown> = {}
      let worst = 0
      for (const rate of [1000, 5000, 20_000]) {
        const r = await pacerErrorPct(rate)
        byRate[`r${rate}`] = r
        worst = Math.max(worst, r.errorPct)
      }
      return {value: worst, unit: '%', ...byRate}
    },
  },
  {
    name: 'driver.max_tps',
    async run(): Promise<BenchResult> {
      const {done} = await closedLoopRun()
      const c = done.counts as SendCounters
      return {value: Math.round(c.SEND_OK / 5), unit: 'msg/s', bodyBytes: BODY_BYTES, sendMode: 'async', maxInFlight: 512, errors: totalErrors(c)}
    },
  },
  {
    name: 'driver.java.max_tps',
    async run(): Promise<BenchResult> {
      // Builds workers/java on first use; without java/mvn this throws and the line says why.
      const java = prepareJavaWorker(JAVA_CLIENT_DEFAULT_VERSION)
      const {done} = await withCluster((addr, dir) => driveOnce(addr, dir, {}, java))
      const c = done.counts as SendCounters
      return {
        value: Math.round(c.SEND_OK / 5), unit: 'msg/s', bodyBytes: BODY_BYTES, sendMode: 'async', maxInFlight: 512, errors: totalErrors(c),
        client: `rocketmq-client ${JAVA_CLIENT_DEFAULT_VERSION}`,
      }
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
        worst = Math.max(worst, r.errorPct!)
      }
      return {value: worst, unit: '%', ...byRate}
    },
  },
]
