/**
 * audit.final_read: messages/s of a run's whole final read — read the producer ledgers, drain every
 * queue from offset 0 through the embedded broker, save drain.ledger, audit the run directory — the
 * audit phase of src/runner/run-scenario.ts step for step, run in a child process (final-read-main.ts)
 * so its peak RSS is its own. The broker's peak RSS (VmHWM, reset just before) is reported beside it.
 *
 * Preload (not timed): N messages of 1 KiB, carrying the run identity as a producer sends them, put
 * straight into the broker's store through MessageStore (4 producers, 4 queues, one ASYNC_FLUSH master),
 * with the matching producer ledgers (START + SEND_OK) and one consumer ledger that saw each once.
 * N = MQBENCH_FINAL_READ_MESSAGES (default 1M); the goal is 10M in ≤ 10 s and ≤ 1 GiB.
 * Profile: MQBENCH_FINAL_READ_NODE_ARGS='--cpu-prof --cpu-prof-dir=<dir>' (the final read's process). The
 * broker's share is brokerCpuSeconds; Node refuses --cpu-prof in NODE_OPTIONS, so profiling the broker means
 * adding the flags to its spawn arguments (src/cluster/embedded-cluster.ts) in a local build.
 */
import {execFile} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'
import {MessageStore, type MessageToStore} from '../../src/broker/store/message-store.js'
import {defaultMessageStoreConfig} from '../../src/broker/store/message-store-config.js'
import {Admin} from '../../src/client/admin.js'
import {waitForRoute} from '../../src/client/wait-for-route.js'
import {createCluster} from '../../src/cluster/create-cluster.js'
import {brokerNodeName} from '../../src/cluster/cluster.js'
import {crc32} from '../../src/protocol/crc32.js'
import {createUniqIdGenerator} from '../../src/protocol/message/message-id.js'
import {writeBrokerNames} from '../../src/recorder/ledger/broker-names.js'
import {DeliveryLedgerWriter} from '../../src/recorder/ledger/delivery-ledger.js'
import {ProducerLedgerWriter, SendOutcome} from '../../src/recorder/ledger/producer-ledger.js'
import {runDirAt, runFile, writeJson, type RunDir} from '../../src/recorder/run-dir.js'
import {type Scenario, ScenarioSchema} from '../../src/scenario/schema.js'
import {buildMessageBody, identityProperties} from '../../src/workload/message-identity.js'
import {createSeededRandom} from '../../src/workload/seeded-random.js'
import type {Bench, BenchResult} from './bench.js'
import {cpuMicros} from './broker.bench.js'

const MESSAGES = Number(process.env.MQBENCH_FINAL_READ_MESSAGES ?? 1_000_000)
const PRODUCERS = 4
const QUEUES = 4
const BODY_BYTES = 1024
const BROKER_NAME = 'broker-a'
const PUTS_IN_FLIGHT = 4096
const GOAL = '10M in <= 10 s, <= 1 GiB'
const here = dirname(fileURLToPath(import.meta.url))

function benchScenario(): Scenario {
  return ScenarioSchema.parse({
    name: 'final-read-bench',
    cluster: {brokers: [{brokerName: BROKER_NAME, brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: 'ASYNC_FLUSH'}]},
    workload: {producers: PRODUCERS, queues: QUEUES, consumers: 1, messageSize: BODY_BYTES},
  })
}

/** Message i: producer i % P, its seq i / P, queue i % Q at offset i / Q (one writer, appended in order). */
async function preload(runDir: RunDir, scenario: Scenario, storeDir: string): Promise<void> {
  const store = await MessageStore.open({...defaultMessageStoreConfig(storeDir, '127.0.0.1:10911'), mappedFileSizeCommitLog: 64 * 1024 * 1024})
  const producers = Array.from({length: PRODUCERS}, (_, p) => {
    writeBrokerNames(runDir.producerLedger(p), [BROKER_NAME])
    return new ProducerLedgerWriter(runDir.producerLedger(p), {capacityRecords: 65_536})
  })
  const consumer = new DeliveryLedgerWriter(runDir.consumerLedger(0), {capacityRecords: 65_536})
  const body = buildMessageBody(BODY_BYTES, 0, 0, 0, createSeededRandom(1))
  const uniq = createUniqIdGenerator()
  const bornMs = Date.now()
  let pending: Promise<unknown>[] = []
  try {
    for (let i = 0; i < MESSAGES; i++) {
      const producerId = i % PRODUCERS
      const seq = Math.floor(i / PRODUCERS)
      const queueId = i % QUEUES
      const queueOffset = Math.floor(i / QUEUES)
      body.writeUInt32LE(producerId, 0)
      body.writeUInt32LE(seq, 4)
      const bodyCrc = crc32(body)
      const msg: MessageToStore = {
        topic: scenario.workload.topic, queueId, flag: 0, sysFlag: 0, bornTimestamp: bornMs, bornHost: '127.0.0.1:50000', body, reconsumeTimes: 0,
        properties: {...identityProperties({runId: runDir.runId, producerId, seq, bodyCrc, intendedMs: bornMs}), UNIQ_KEY: uniq.next(), WAIT: 'true'},
        waitStoreMsgOK: false,
      }
      // The store copies the record during the synchronous append, so the body buffer is reused.
      pending.push(store.putMessage(msg))
      producers[producerId]!.start(producerId, seq, bornMs)
      producers[producerId]!.outcome({producerId, seq, outcome: SendOutcome.SEND_OK, intendedMs: bornMs, ackMs: bornMs + 1, queueId, queueOffset, brokerName: 0})
      consumer.record({producerId, seq, queueId, queueOffset, brokerId: 0, reconsumeTimes: 0, crcOk: true, deliveredMs: bornMs + 2, bornMs, storeMs: bornMs, topic: 0})
      if (pending.length >= PUTS_IN_FLIGHT) {
        await Promise.all(pending)
        pending = []
      }
    }
    await Promise.all(pending)
  } finally {
    for (const w of [...producers, consumer]) w.close()
    await store.shutdown()
  }
}

const round2 = (n: number): number => Math.round(n * 100) / 100

/** MQBENCH_FINAL_READ_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the final read. */
function childNodeArgs(): string[] {
  return (process.env.MQBENCH_FINAL_READ_NODE_ARGS ?? '').split(' ').filter((a) => a !== '')
}

/** Peak resident set of a process since its last reset (VmHWM), MiB; writing 5 to clear_refs resets it. */
function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Math.round(Number(m[1]) / 1024) : NaN
}

async function finalRead(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mqb-bench-final-read-'))
  const scenario = benchScenario()
  const runDir = runDirAt(join(dir, 'final-read-bench'), 'final-read-bench')
  writeJson(runFile(runDir, 'scenario'), scenario)
  const brokers = scenario.cluster.brokers
  const cluster = createCluster('embedded', runDir.clusterDir, scenario.cluster.clusterName, brokers)
  try {
    const preloadStart = Date.now()
    await preload(runDir, scenario, join(runDir.clusterDir, brokerNodeName(brokers[0]!), 'store'))
    await cluster.start()
    const admin = new Admin({namesrvAddr: cluster.namesrvAddr})
    await admin.createTopic({topic: scenario.workload.topic, queueNums: QUEUES, clusterName: scenario.cluster.clusterName}).finally(() => admin.shutdown())
    await waitForRoute(cluster.namesrvAddr, scenario.workload.topic, QUEUES, 30_000)
    const preloadSeconds = (Date.now() - preloadStart) / 1000
    const brokerPid = cluster.nodes().find((n) => n.kind === 'broker')!.pid!
    writeFileSync(`/proc/${brokerPid}/clear_refs`, '5')
    const load = loadavg()[0]!
    const brokerCpuBefore = cpuMicros(brokerPid)
    const {stdout} = await promisify(execFile)(process.execPath, [...childNodeArgs(), join(here, 'final-read-main.js'), runDir.root, cluster.namesrvAddr], {maxBuffer: 1 << 20})
    const brokerCpuSeconds = (cpuMicros(brokerPid) - brokerCpuBefore) / 1e6
    const r = JSON.parse(stdout.trim().split('\n').pop()!) as {
      seconds: number; drainSeconds: number; drained: number; maxRssMiB: number; valid: unknown; counts: {ok: number}; cpuSeconds: number; drainCpuSeconds: number
    }
    if (r.valid !== true || r.counts.ok !== MESSAGES || r.drained !== MESSAGES) throw new Error(`bad final read: ${JSON.stringify(r)}`)
    return {
      value: Math.round(MESSAGES / r.seconds), unit: 'msg/s', messages: MESSAGES, seconds: round2(r.seconds),
      drainSeconds: round2(r.drainSeconds), peakRssMiB: r.maxRssMiB, brokerPeakRssMiB: peakRssMiB(brokerPid),
      // CPU seconds separate the work from the wait on a shared machine: the read's process, its drain part, the broker's share.
      cpuSeconds: round2(r.cpuSeconds), drainCpuSeconds: round2(r.drainCpuSeconds), brokerCpuSeconds: round2(brokerCpuSeconds),
      bodyBytes: BODY_BYTES, queues: QUEUES, goal: GOAL, preloadSeconds, loadAvg1m: round2(load),
    }
  } finally {
    await cluster.stop()
    rmSync(dir, {recursive: true, force: true})
  }
}

export const benches: Bench[] = [{name: 'audit.final_read', run: finalRead}]
