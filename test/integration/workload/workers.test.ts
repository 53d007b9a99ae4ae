/**
 * One producer worker and one consumer worker, each its own process, against a real EmbeddedCluster:
 * ~2 s at 1000 msg/s, then the ledgers must account for every message (every START has a SEND_OK
 * OUTCOME, every sent identity was delivered with a matching CRC). Needs the compiled broker
 * (built here once if dist/ is missing); workers run from source through tsx.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {readDeliveryLedger, readProducerLedger, SendOutcome} from '../../../src/recorder/ledger/index.js'
import {createTopic} from '../../../src/client/index.js'
import {waitForRoute} from '../../../src/client/wait-for-route.js'
import {EmbeddedCluster} from '../../../src/cluster/embedded-cluster.js'
import {decodeHistogram, summarize, type SendCounters} from '../../../src/metrics/index.js'
import {identityKey} from '../../../src/workload/message-identity.js'
import type {WorkerHandle} from '../../../src/workload/worker-handle.js'
import {killWorkers, spawnWorker as spawnTestWorker} from '../../helpers/worker-processes.js'
import type {ConsumerCounts} from '../../../src/workload/worker-messages.js'

const TOPIC = 'MqbWorkloadIT'
const RATE = 1000
const DURATION_MS = 2000
const ROUTE_TIMEOUT_MS = 10_000

const runDir = mkdtempSync(join(tmpdir(), 'mqb-workload-it-'))
const cluster = new EmbeddedCluster({
  runDir: join(runDir, 'cluster'),
  brokers: [{brokerName: 'broker-a', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: 'ASYNC_FLUSH'}],
})
const workers: WorkerHandle[] = []

const spawnWorker = (name: string): WorkerHandle => spawnTestWorker(name, workers)

beforeAll(async () => {
  const repo = join(import.meta.dirname, '..', '..', '..')
  if (!existsSync(join(repo, 'dist/src/broker/main.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], {cwd: repo, stdio: 'ignore'})
  await cluster.start()
  await createTopic({namesrvAddr: cluster.namesrvAddr, topic: TOPIC, queueNums: 4})
  await waitForRoute(cluster.namesrvAddr, TOPIC, 4, ROUTE_TIMEOUT_MS)
})

afterAll(async () => {
  killWorkers(workers)
  await cluster.stop()
  rmSync(runDir, {recursive: true, force: true})
})

describe('producer + consumer worker processes', () => {
  it('ledger every message: all sends SEND_OK, every identity delivered with a good CRC', async () => {
    const producerLedger = join(runDir, 'producer-0.ledger')
    const deliveryLedger = join(runDir, 'consumer-0.ledger')
    const consumer = spawnWorker('consumer-0')
    const producer = spawnWorker('producer-0')
    consumer.start({
      role: 'consumer', workerId: 1, runId: 'it1', namesrvAddr: cluster.namesrvAddr, consumerGroup: 'mqb-it-group', topic: TOPIC,
      clientId: 'c0', groupClientIds: ['c0'], ledgerPath: deliveryLedger, suspendTimeoutMillis: 500, drainTimeoutMs: 10_000,
    })
    await consumer.ready
    producer.start({
      role: 'producer', workerId: 0, producerId: 0, runId: 'it1', namesrvAddr: cluster.namesrvAddr, producerGroup: 'mqb-it-pg', topic: TOPIC,
      sendMode: 'async', ratePerSec: RATE, durationMs: DURATION_MS, warmupMs: 0, awaitBegin: true, bodySizeBytes: 256,
      maxInFlight: 256, seed: 12345, ledgerPath: producerLedger,
    })
    await producer.ready
    producer.begin(Date.now() + 100)
    const pDone = await producer.waitDone(30_000)
    consumer.stop()
    const cDone = await consumer.waitDone(30_000)

    const expected = (RATE * DURATION_MS) / 1000
    expect(pDone.attempted).toBe(expected)
    const counts = pDone.counts as SendCounters
    expect(counts.SEND_OK + counts.dropped).toBe(expected)

    const pEntries = readProducerLedger(producerLedger)
    const starts = pEntries.filter((e) => e.kind === 'start')
    const outcomes = pEntries.filter((e) => e.kind === 'outcome')
    expect(starts).toHaveLength(expected)
    expect(outcomes).toHaveLength(expected)
    expect(outcomes.every((e) => e.outcome === SendOutcome.SEND_OK)).toBe(true)

    const deliveries = readDeliveryLedger(deliveryLedger)
    const delivered = new Set(deliveries.map((d) => identityKey(d.producerId, d.seq)))
    const missing = starts.filter((s) => !delivered.has(identityKey(s.producerId, s.seq)))
    expect(missing.map((s) => `${s.producerId}:${s.seq}`).slice(0, 10)).toEqual([])
    expect(deliveries.every((d) => d.crcOk && d.producerId === 0)).toBe(true)
    expect((cDone.counts as ConsumerCounts).consumed).toBe(deliveries.length)
    expect(cDone.undrainedQueues).toBe(0)
    expect(producer.ticks.length).toBeGreaterThanOrEqual(1)
    const e2e = summarize(decodeHistogram(cDone.e2eHist!))
    const send = summarize(decodeHistogram(pDone.sendHist!))
    console.log(`[workload-it] sent ${counts.SEND_OK}, deliveries ${deliveries.length} (distinct ${delivered.size}), dropped ${counts.dropped}, ` +
      `send p50/p99 ${send.p50}/${send.p99} ms, e2e p50/p99 ${e2e.p50}/${e2e.p99} ms, max start lag ${pDone.maxStartLagMs?.toFixed(1)} ms`)
  })

  it('two consumer workers split the queues (AllocateMessageQueueAveragely) and together see every message once', async () => {
    const producerLedger = join(runDir, 'producer-1.ledger')
    const ledgers = [join(runDir, 'consumer-a.ledger'), join(runDir, 'consumer-b.ledger')]
    const consumers = ['ca', 'cb'].map((id, i) => {
      const w = spawnWorker(`consumer-${id}`)
      w.start({
        role: 'consumer', workerId: 10 + i, runId: 'it2', namesrvAddr: cluster.namesrvAddr, consumerGroup: 'mqb-it-group-2', topic: TOPIC,
        clientId: id, groupClientIds: ['ca', 'cb'], ledgerPath: ledgers[i]!, suspendTimeoutMillis: 500, drainTimeoutMs: 10_000,
      })
      return w
    })
    await Promise.all(consumers.map((c) => c.ready))
    const producer = spawnWorker('producer-1')
    producer.start({
      role: 'producer', workerId: 2, producerId: 1, runId: 'it2', namesrvAddr: cluster.namesrvAddr, producerGroup: 'mqb-it-pg', topic: TOPIC,
      sendMode: 'sync', ratePerSec: 500, durationMs: 1000, warmupMs: 0, bodySizeBytes: 100,
      maxInFlight: 64, seed: 7, ledgerPath: producerLedger,
    })
    const pDone = await producer.waitDone(30_000)
    for (const c of consumers) c.stop()
    await Promise.all(consumers.map((c) => c.waitDone(30_000)))

    expect((pDone.counts as SendCounters).SEND_OK).toBe(500)
    const [a, b] = ledgers.map((l) => readDeliveryLedger(l).filter((d) => d.producerId === 1))
    // the first test's messages (producer 0, run it1) are on the same topic: a new group reads them too, as foreign
    const queuesOf = (ds: typeof a) => new Set(ds!.map((d) => d.queueId))
    expect([...queuesOf(a)].filter((q) => queuesOf(b).has(q))).toEqual([])
    expect(queuesOf(a).size).toBe(2)
    expect(queuesOf(b).size).toBe(2)
    const seqs = [...a!, ...b!].map((d) => d.seq).sort((x, y) => x - y)
    expect(seqs).toEqual([...Array(500).keys()])
  })
})
