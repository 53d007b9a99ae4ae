/**
 * Shared by the reliability integration tests: one embedded broker process (dist/, built once if
 * missing) with scaled-down delay levels, identity-carrying messages sent up front, and the
 * producer-ledger view of those sends that the audit reads.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll} from 'vitest'
import type {ProducerLedgerEntry} from '../../../src/recorder/ledger/producer-ledger.js'
import {SendOutcome} from '../../../src/recorder/ledger/producer-ledger.js'
import {createTopic, Producer} from '../../../src/client/index.js'
import {waitForRoute} from '../../../src/client/wait-for-route.js'
import type {SendResult} from '../../../src/client/send-result.js'
import {crc32} from '../../../src/protocol/crc32.js'
import {buildMessageBody, identityProperties} from '../../../src/workload/message-identity.js'
import {createSeededRandom} from '../../../src/workload/seeded-random.js'
import {EmbeddedCluster} from '../../../src/cluster/embedded-cluster.js'
import type {WorkerHandle} from '../../../src/workload/worker-handle.js'
import {killWorkers, spawnWorker} from '../../helpers/worker-processes.js'

/** Routing wait bound for the tests here (namesrv sees a new topic on the broker's next registration). */
export const ROUTE_TIMEOUT_MS = 10_000

export function ensureDist(): void {
  const repo = join(import.meta.dirname, '..', '..', '..')
  if (!existsSync(join(repo, 'dist/src/broker/main.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], {cwd: repo, stdio: 'ignore'})
}

export async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** Sends `count` identity messages (producer 0, seq 0..count-1) synchronously; returns the SEND_OK ledger view. */
export async function sendIdentified(
  namesrvAddr: string, topic: string, runId: string, count: number, extra: Record<string, string> = {},
): Promise<{ledger: ProducerLedgerEntry[]; results: SendResult[]}> {
  await createTopic({namesrvAddr, topic, queueNums: 4})
  await waitForRoute(namesrvAddr, topic, 4, ROUTE_TIMEOUT_MS)
  const producer = new Producer({namesrvAddr, producerGroup: `p-${topic}`})
  await producer.start()
  const rng = createSeededRandom(7)
  const ledger: ProducerLedgerEntry[] = []
  const results: SendResult[] = []
  try {
    for (let seq = 0; seq < count; seq++) {
      const intendedMs = Date.now()
      const body = buildMessageBody(64, 0, seq, intendedMs, rng)
      const properties = {...identityProperties({runId, producerId: 0, seq, bodyCrc: crc32(body), intendedMs}), ...extra}
      const r = await producer.send({topic, body, keys: `0:${seq}`, properties})
      results.push(r)
      ledger.push({kind: 'outcome', producerId: 0, seq, outcome: SendOutcome[r.status], intendedMs, queueId: r.queue.queueId, queueOffset: r.queueOffset})
    }
  } finally {
    await producer.shutdown()
  }
  return {ledger, results}
}

export interface SingleBrokerFixture {
  runDir: string
  cluster: EmbeddedCluster
  /** A worker process, killed in afterAll if it still runs. */
  spawnWorker(name: string): WorkerHandle
}

/** One ASYNC_FLUSH master in its own temp directory for the whole file, stopped (with every worker) in afterAll. */
export function singleBrokerFixture(prefix: string, extraConf?: Record<string, string | number | boolean>): SingleBrokerFixture {
  const runDir = mkdtempSync(join(tmpdir(), prefix))
  const cluster = new EmbeddedCluster({
    runDir: join(runDir, 'cluster'),
    brokers: [{brokerName: 'broker-a', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: 'ASYNC_FLUSH', ...(extraConf && {extraConf})}],
  })
  const workers: WorkerHandle[] = []
  beforeAll(async () => {
    ensureDist()
    await cluster.start()
  }, 60_000)
  afterAll(async () => {
    killWorkers(workers)
    await cluster.stop()
    rmSync(runDir, {recursive: true, force: true})
  })
  return {runDir, cluster, spawnWorker: (name) => spawnWorker(name, workers)}
}
