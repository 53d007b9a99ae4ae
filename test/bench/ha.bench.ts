/**
 * Master/slave replication cost on loopback: namesrv + master + SLAVE as real processes (ASYNC_FLUSH
 * everywhere), the producer in this process.
 *   ha.sync_master.p50_ms / ha.async_master.p50_ms  single sender, sequential sync sends, 1 KiB bodies
 *   ha.sync_master.tps / ha.async_master.tps        256 sends in flight for 5 s
 *   ha.async_master.lag_ms                          under that load: time until the slave reaches the
 *                                                   master's offset sampled at a moment (p50; p99, max beside)
 * Goal: SYNC_MASTER adds ≤ 1 ms to p50 and keeps ≥ 60 % of ASYNC_MASTER's TPS.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {createTopic} from '../../src/client/index.js'
import {Producer} from '../../src/client/producer.js'
import type {BrokerRole} from '../../src/cluster/cluster.js'
import {EmbeddedCluster} from '../../src/cluster/embedded-cluster.js'
import {newRequest} from '../../src/protocol/remoting-command.js'
import {RequestCode} from '../../src/protocol/request-code.js'
import {RemotingClient} from '../../src/remoting/remoting-client.js'
import type {Bench, BenchResult} from './bench.js'

const TOPIC = 'HaBench'
const BODY = Buffer.alloc(1024, 0x61)
const SEQUENTIAL_SENDS = 3000
const WARMUP_SENDS = 300
const LOAD_MS = 5000
const IN_FLIGHT = 256

interface Ctx {
  producer: Producer
  masterAddr: string
  slaveAddr: string
}

async function withCluster<T>(role: BrokerRole, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'mqbench-ha-bench-'))
  const cluster = new EmbeddedCluster({
    runDir: dir,
    brokers: [
      {brokerName: 'broker-a', brokerId: 0, brokerRole: role, flushDiskType: 'ASYNC_FLUSH'},
      {brokerName: 'broker-a', brokerId: 1, brokerRole: 'SLAVE', flushDiskType: 'ASYNC_FLUSH'},
    ],
  })
  let started: Producer | undefined
  try {
    await cluster.start()
    await createTopic({namesrvAddr: cluster.namesrvAddr, topic: TOPIC, queueNums: 4})
    started = new Producer({namesrvAddr: cluster.namesrvAddr, producerGroup: 'ha-bench', retryTimesWhenSendFailed: 0, maxInFlight: IN_FLIGHT})
    await started.start()
    const nodes = cluster.nodes()
    const ctx = {producer: started, masterAddr: nodes.find((n) => n.name === 'broker-a-0')!.addr, slaveAddr: nodes.find((n) => n.name === 'broker-a-1')!.addr}
    // The slave links up right after start; a SYNC_MASTER answers SLAVE_NOT_AVAILABLE until then.
    const deadline = Date.now() + 10_000
    while ((await started.send({topic: TOPIC, body: BODY})).status !== 'SEND_OK') {
      if (Date.now() > deadline) throw new Error('the slave never linked up')
      await new Promise((r) => setTimeout(r, 50))
    }
    return await fn(ctx)
  } finally {
    await started?.shutdown()
    await cluster.stop()
    rmSync(dir, {recursive: true, force: true})
  }
}

async function sequentialP50(role: BrokerRole): Promise<BenchResult> {
  return withCluster(role, async ({producer}) => {
    const lat: number[] = []
    for (let i = 0; i < WARMUP_SENDS + SEQUENTIAL_SENDS; i++) {
      const t0 = performance.now()
      const r = await producer.send({topic: TOPIC, body: BODY})
      if (r.status !== 'SEND_OK') throw new Error(`send answered ${r.status}`)
      if (i >= WARMUP_SENDS) lat.push(performance.now() - t0)
    }
    lat.sort((a, b) => a - b)
    const q = (p: number) => Number(lat[Math.min(lat.length - 1, Math.floor(lat.length * p))]!.toFixed(3))
    return {value: q(0.5), unit: 'ms', p99: q(0.99), sends: SEQUENTIAL_SENDS, bodyBytes: BODY.length, role, flushDiskType: 'ASYNC_FLUSH'}
  })
}

async function maxPhyOffset(client: RemotingClient, addr: string): Promise<number> {
  const res = await client.invoke(addr, newRequest(RequestCode.GET_BROKER_RUNTIME_INFO), 3000)
  return Number((JSON.parse(res.body!.toString()) as {table: Record<string, string>}).table['maxPhyOffset'])
}

/** Samples the master's end now and then and times how long the slave takes to reach it. */
async function sampleLag(ctx: Ctx, until: () => boolean): Promise<number[]> {
  const client = new RemotingClient()
  const lags: number[] = []
  try {
    while (!until()) {
      const t0 = performance.now()
      const target = await maxPhyOffset(client, ctx.masterAddr)
      while ((await maxPhyOffset(client, ctx.slaveAddr)) < target) await new Promise((r) => setImmediate(r))
      lags.push(performance.now() - t0)
      await new Promise((r) => setTimeout(r, 50))
    }
  } finally {
    client.close()
  }
  return lags
}

async function loadRun(role: BrokerRole): Promise<{tps: number; failed: number; lags: number[]}> {
  return withCluster(role, async (ctx) => {
    let sent = 0
    let failed = 0
    const warmEnd = Date.now() + 1000
    const end = warmEnd + LOAD_MS
    let counting = false
    const lane = async () => {
      while (Date.now() < end) {
        const r = await ctx.producer.sendAsync({topic: TOPIC, body: BODY}).catch(() => undefined)
        if (!counting) continue
        if (r?.status === 'SEND_OK') sent++
        else failed++
      }
    }
    const lanes = Array.from({length: IN_FLIGHT}, lane)
    await new Promise((r) => setTimeout(r, warmEnd - Date.now()))
    counting = true
    const t0 = performance.now()
    const lagsP = role === 'ASYNC_MASTER' ? sampleLag(ctx, () => Date.now() >= end) : Promise.resolve([])
    await Promise.all(lanes)
    const secs = (performance.now() - t0) / 1000
    return {tps: Math.round(sent / secs), failed, lags: await lagsP}
  })
}

let asyncLoad: Promise<{tps: number; failed: number; lags: number[]}> | undefined
const asyncLoadOnce = () => (asyncLoad ??= loadRun('ASYNC_MASTER'))

export const benches: Bench[] = [
  {name: 'ha.sync_master.p50_ms', run: () => sequentialP50('SYNC_MASTER')},
  {name: 'ha.async_master.p50_ms', run: () => sequentialP50('ASYNC_MASTER')},
  {
    name: 'ha.sync_master.tps',
    run: async () => {
      const r = await loadRun('SYNC_MASTER')
      return {value: r.tps, unit: 'msg/s', inFlight: IN_FLIGHT, failed: r.failed, bodyBytes: BODY.length, flushDiskType: 'ASYNC_FLUSH'}
    },
  },
  {
    name: 'ha.async_master.tps',
    run: async () => {
      const r = await asyncLoadOnce()
      return {value: r.tps, unit: 'msg/s', inFlight: IN_FLIGHT, failed: r.failed, bodyBytes: BODY.length, flushDiskType: 'ASYNC_FLUSH'}
    },
  },
  {
    name: 'ha.async_master.lag_ms',
    run: async () => {
      const {lags, tps} = await asyncLoadOnce()
      lags.sort((a, b) => a - b)
      const q = (p: number) => Number((lags[Math.min(lags.length - 1, Math.floor(lags.length * p))] ?? NaN).toFixed(2))
      return {value: q(0.5), unit: 'ms', p99: q(0.99), max: q(1), samples: lags.length, underTps: tps}
    },
  },
]
