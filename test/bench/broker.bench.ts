/**
 * The embedded broker as a process (EmbeddedCluster: namesrv + one master, 4 queues, os page cache),
 * driven from this process by one async Producer (256 in flight), 1 KiB bodies:
 *   broker.async_flush.tps                  SEND_OK/s, ASYNC_FLUSH, 4 s after 1 s warm-up
 *   broker.sync_flush.tps                   SEND_OK/s, SYNC_FLUSH (every ack waits for its fsync)
 *   broker.sync_flush.single_sender.p50_ms  one sync send at a time on the SYNC_FLUSH broker
 *   broker.sync_flush.msgs_per_fsync        of the sync_flush.tps run: messages / fsyncs, from
 *                                           GET_BROKER_RUNTIME_INFO deltas (group commit batching)
 *   broker.cpu_us_per_msg                   of the async_flush.tps run: broker utime+stime
 *                                           (/proc/<pid>/stat) / messages; the producer is not counted
 *   faultfs.sync_flush.tps                  as broker.sync_flush.tps with the store on faultfs (storeFs:
 *   faultfs.async_flush.tps                 faultfs, our FUSE file system); ratioToLocal = faultfs / local
 * One load run per flush type and store is shared by the figures that come from it. The producer uses the ROCKETMQ
 * binary header, as RocketMQ's own benchmark tools do (MQBENCH_BENCH_SERIALIZE_TYPE=JSON to compare).
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {createTopic} from '../../src/client/admin.js'
import {Producer} from '../../src/client/producer.js'
import type {SerializeTypeName} from '../../src/client/serialize-type.js'
import type {FlushDiskType} from '../../src/cluster/cluster.js'
import {EmbeddedCluster} from '../../src/cluster/embedded-cluster.js'
import {faultfsProblems} from '../../src/cluster/faultfs/faultfs-binary.js'
import {parseJsonBody} from '../../src/protocol/bodies/json-body.js'
import {newRequest} from '../../src/protocol/remoting-command.js'
import {RequestCode} from '../../src/protocol/request-code.js'
import {RemotingClient} from '../../src/remoting/remoting-client.js'
import type {Bench, BenchResult} from './bench.js'

const TOPIC = 'BenchBroker'
const QUEUES = 4
const BODY = Buffer.alloc(1024, 0x62)
const IN_FLIGHT = 256
const WARMUP_MS = 1000
const MEASURE_MS = 4000
const CLK_TCK = clockTicks()
const SERIALIZE_TYPE: SerializeTypeName = process.env.MQBENCH_BENCH_SERIALIZE_TYPE === 'JSON' ? 'JSON' : 'ROCKETMQ'

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) || 100
  } catch {
    return 100
  }
}

/** utime + stime of a process, in µs (fields 14 and 15 of /proc/<pid>/stat, after the command name). */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLK_TCK
}

interface BrokerUnderTest {
  producer: Producer
  admin: RemotingClient
  addr: string
  pid: number
}

type StoreFs = 'local' | 'faultfs'

async function withBroker<T>(flushDiskType: FlushDiskType, fn: (b: BrokerUnderTest) => Promise<T>, storeFs: StoreFs = 'local'): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'mqb-bench-broker-'))
  const cluster = new EmbeddedCluster({
    runDir: dir,
    brokers: [{brokerName: 'broker-a', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType, ...(storeFs === 'faultfs' && {extraConf: {storeFs}})}],
  })
  const admin = new RemotingClient()
  try {
    await cluster.start()
    const node = cluster.nodes().find((n) => n.kind === 'broker')!
    await createTopic({namesrvAddr: cluster.namesrvAddr, topic: TOPIC, queueNums: QUEUES})
    const p = new Producer({namesrvAddr: cluster.namesrvAddr, producerGroup: 'bench-broker', maxInFlight: IN_FLIGHT, serializeType: SERIALIZE_TYPE})
    await p.start()
    try {
      return await fn({producer: p, admin, addr: node.addr, pid: node.pid!})
    } finally {
      await p.shutdown()
    }
  } finally {
    admin.close()
    await cluster.stop()
    rmSync(dir, {recursive: true, force: true})
  }
}

async function runtimeInfo(b: BrokerUnderTest): Promise<Record<string, string>> {
  const r = await b.admin.invoke(b.addr, newRequest(RequestCode.GET_BROKER_RUNTIME_INFO), 5000)
  return (parseJsonBody(r.body, 'runtime info') as {table: Record<string, string>}).table
}

interface LoadRun {
  tps: number
  seconds: number
  messages: number
  failures: number
  fsyncs: number
  brokerCpuUs: number
  /** this process (the producer) per SEND_OK: the two share the machine's cores */
  producerCpuUsPerMsg: number
  /** 1-minute load average at the end: other work on the machine lowers every figure */
  loadAvg1m: number
}

/** 256 lanes of sequential sendAsync: warm-up, then the measured window. */
async function closedLoop(b: BrokerUnderTest): Promise<LoadRun> {
  let ok = 0
  let failures = 0
  let stopAt = Date.now() + WARMUP_MS
  const lane = async (): Promise<void> => {
    while (Date.now() < stopAt) {
      try {
        const r = await b.producer.sendAsync({topic: TOPIC, body: BODY})
        if (r.status === 'SEND_OK') ok++
        else failures++
      } catch {
        failures++
      }
    }
  }
  await Promise.all(Array.from({length: IN_FLIGHT}, lane))
  const before = await runtimeInfo(b)
  const cpuBefore = cpuMicros(b.pid)
  const ownBefore = process.cpuUsage()
  ok = failures = 0
  const start = process.hrtime.bigint()
  stopAt = Date.now() + MEASURE_MS
  await Promise.all(Array.from({length: IN_FLIGHT}, lane))
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const brokerCpuUs = cpuMicros(b.pid) - cpuBefore
  const own = process.cpuUsage(ownBefore)
  const after = await runtimeInfo(b)
  const delta = (k: string) => Number(after[k] ?? 0) - Number(before[k] ?? 0)
  return {
    tps: Math.round(ok / seconds), seconds: Number(seconds.toFixed(2)), messages: delta('putMessageTimesTotal'), failures,
    fsyncs: delta('commitLogFsyncTimes'), brokerCpuUs,
    producerCpuUsPerMsg: ok > 0 ? Number(((own.user + own.system) / ok).toFixed(1)) : 0, loadAvg1m: Number(loadavg()[0]!.toFixed(2)),
  }
}

const runs = new Map<string, Promise<LoadRun>>()
function loadRun(flushDiskType: FlushDiskType, storeFs: StoreFs = 'local'): Promise<LoadRun> {
  const key = `${flushDiskType}/${storeFs}`
  let r = runs.get(key)
  if (!r) runs.set(key, (r = withBroker(flushDiskType, closedLoop, storeFs)))
  return r
}

const conditions = {bodyBytes: BODY.length, inFlight: IN_FLIGHT, queues: QUEUES, pageCacheMode: 'os', serializeType: SERIALIZE_TYPE}

function loadConditions(r: LoadRun) {
  return {
    seconds: r.seconds, failures: r.failures, brokerCpuUsPerMsg: r.messages > 0 ? Number((r.brokerCpuUs / r.messages).toFixed(1)) : 0,
    producerCpuUsPerMsg: r.producerCpuUsPerMsg, loadAvg1m: r.loadAvg1m,
  }
}

async function asyncFlushTps(): Promise<BenchResult> {
  const r = await loadRun('ASYNC_FLUSH')
  // What the broker alone could carry with a core to itself, at the CPU it spent per message here.
  const brokerCoreCapacity = r.messages > 0 ? Math.round((r.messages * 1e6) / r.brokerCpuUs) : 0
  return {value: r.tps, unit: 'msg/s', goal: '>= 50000', flushDiskType: 'ASYNC_FLUSH', brokerCoreCapacity, ...loadConditions(r), ...conditions}
}

async function syncFlushTps(): Promise<BenchResult> {
  const r = await loadRun('SYNC_FLUSH')
  return {value: r.tps, unit: 'msg/s', goal: '>= 25000', flushDiskType: 'SYNC_FLUSH', ...loadConditions(r), ...conditions}
}

/** The same load with the store on faultfs; the goal: faultfs costs at most a third of SYNC_FLUSH throughput. */
function faultfsTps(flushDiskType: FlushDiskType): () => Promise<BenchResult> {
  return async () => {
    const problems = faultfsProblems()
    if (problems.length > 0) throw new Error(`faultfs unavailable: ${problems.join('; ')}`)
    const r = await loadRun(flushDiskType, 'faultfs')
    const local = await loadRun(flushDiskType)
    const ratioToLocal = local.tps > 0 ? Number((r.tps / local.tps).toFixed(2)) : 0
    const goal = flushDiskType === 'SYNC_FLUSH' ? {goal: 'ratioToLocal >= 0.67'} : {}
    return {value: r.tps, unit: 'msg/s', ...goal, flushDiskType, storeFs: 'faultfs', ratioToLocal, localTps: local.tps, ...loadConditions(r), ...conditions}
  }
}

async function msgsPerFsync(): Promise<BenchResult> {
  const r = await loadRun('SYNC_FLUSH')
  const value = r.fsyncs > 0 ? Number((r.messages / r.fsyncs).toFixed(1)) : 0
  return {value, unit: 'msg/fsync', messages: r.messages, fsyncs: r.fsyncs, flushDiskType: 'SYNC_FLUSH', ...conditions}
}

async function cpuPerMsg(): Promise<BenchResult> {
  const r = await loadRun('ASYNC_FLUSH')
  const value = r.messages > 0 ? Number((r.brokerCpuUs / r.messages).toFixed(1)) : 0
  return {value, unit: 'us/msg', brokerCpuMs: Math.round(r.brokerCpuUs / 1000), messages: r.messages, clockTicks: CLK_TCK, flushDiskType: 'ASYNC_FLUSH', ...conditions}
}

async function singleSenderP50(): Promise<BenchResult> {
  return withBroker('SYNC_FLUSH', async (b) => {
    for (let i = 0; i < 500; i++) await b.producer.send({topic: TOPIC, body: BODY})
    const samples: number[] = []
    const until = Date.now() + MEASURE_MS
    while (Date.now() < until) {
      const start = process.hrtime.bigint()
      const r = await b.producer.send({topic: TOPIC, body: BODY})
      if (r.status !== 'SEND_OK') throw new Error(`single sender: ${r.status}`)
      samples.push(Number(process.hrtime.bigint() - start) / 1e6)
    }
    samples.sort((x, y) => x - y)
    const at = (q: number) => Number(samples[Math.floor(q * (samples.length - 1))]!.toFixed(3))
    return {
      value: at(0.5), unit: 'ms', goal: '<= 1', p99_ms: at(0.99), samples: samples.length, flushDiskType: 'SYNC_FLUSH',
      bodyBytes: BODY.length, loadAvg1m: Number(loadavg()[0]!.toFixed(2)),
    }
  })
}

export const benches: Bench[] = [
  {name: 'broker.async_flush.tps', run: asyncFlushTps},
  {name: 'broker.sync_flush.tps', run: syncFlushTps},
  {name: 'faultfs.sync_flush.tps', run: faultfsTps('SYNC_FLUSH')},
  {name: 'faultfs.async_flush.tps', run: faultfsTps('ASYNC_FLUSH')},
  {name: 'broker.sync_flush.single_sender.p50_ms', run: singleSenderP50},
  {name: 'broker.sync_flush.msgs_per_fsync', run: msgsPerFsync},
  {name: 'broker.cpu_us_per_msg', run: cpuPerMsg},
]
