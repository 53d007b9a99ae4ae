/**
 * pageCacheMode=volatile: unsynced bytes live in the broker process, so kill -9 is a power cut.
 * SYNC_FLUSH acks only synced records, so nothing acknowledged may vanish. ASYNC_FLUSH acks from
 * the page cache, so the cut loses the tail — but only records acknowledged after the last flush
 * began, which the broker's flush.log (one line per flush) lets us check after the fact.
 */
import {afterAll, describe, expect, it} from 'vitest'
import {Producer} from '../../../src/client/producer.js'
import {PullConsumer} from '../../../src/client/pull-consumer.js'
import type {FlushDiskType} from '../../../src/cluster/cluster.js'
import {CrashBroker} from '../../helpers/crash-broker.js'
import {type Ack, drainTopic, SendLoad} from '../../helpers/crash-load.js'
import {auditAcks, queueHoles, readFlushLog, sendOnePerQueue} from '../../helpers/crash-verdict.js'

const TOPIC = 'PowerCut'
const QUEUES = 4
const BODY = 1024
const teardowns: (() => Promise<void>)[] = []

afterAll(async () => {
  for (const t of teardowns) await t()
})

async function setup(name: string, flushDiskType: FlushDiskType, extraConf: Record<string, string | number | boolean>) {
  const broker = new CrashBroker({name, flushDiskType, extraConf: {pageCacheMode: 'volatile', ...extraConf}})
  teardowns.push(async () => {
    expect(await broker.teardown(), `${name}: processes still alive after teardown`).toEqual([])
  })
  await broker.start(TOPIC, QUEUES)
  const producer = new Producer({namesrvAddr: broker.namesrvAddr, producerGroup: `${name}-p`, maxInFlight: 64, retryTimesWhenSendAsyncFailed: 0})
  const consumer = new PullConsumer({namesrvAddr: broker.namesrvAddr, consumerGroup: `${name}-c`})
  // Clients go before their broker's teardown.
  teardowns.unshift(async () => {
    await producer.shutdown()
    await consumer.shutdown()
  })
  await producer.start()
  await consumer.start()
  return {broker, producer, consumer}
}

/** Load until `acks` acknowledged (plus `extraMs`), cut the power, restart; returns what was acked. */
async function cutUnderLoad(broker: CrashBroker, producer: Producer, opts: {concurrency: number; acks: number; extraMs?: number}): Promise<{acks: Ack[]; load: SendLoad}> {
  const load = new SendLoad(producer, TOPIC, {concurrency: opts.concurrency, bodyBytes: BODY})
  load.start()
  await load.waitForAcks(opts.acks)
  if (opts.extraMs) await new Promise((r) => setTimeout(r, opts.extraMs))
  await broker.kill()
  await load.stop()
  return {acks: [...load.acks.values()], load}
}

describe('power cut (pageCacheMode=volatile, kill -9)', () => {
  it('SYNC_FLUSH: every SEND_OK message survives (random write-back on)', async () => {
    const {broker, producer, consumer} = await setup('power-sync', 'SYNC_FLUSH', {pageCacheWriteback: 'random', pageCacheSeed: 7})
    const {acks, load} = await cutUnderLoad(broker, producer, {concurrency: 64, acks: 3000})
    console.log(`SYNC_FLUSH: ${load.attempted} sends, ${acks.length} acked, ${load.failures} failed at the cut`)
    await broker.restart()
    console.log(broker.log().split('\n').filter((l) => l.startsWith('store: abnormal recovery')).join('\n'))
    const drained = await drainTopic(consumer, TOPIC, QUEUES)
    const audit = auditAcks(acks, drained, BODY)
    expect(audit.lost.map((a) => a.seq)).toEqual([])
    expect(audit.changed).toEqual([])
    expect(queueHoles(drained)).toEqual([])
    for (const n of await sendOnePerQueue(producer, TOPIC, QUEUES, acks, drained)) {
      expect(n.queueOffset, `queue ${n.queueId}`).toBeGreaterThan(n.maxAckedOffset)
    }
  })

  it('ASYNC_FLUSH: the cut loses messages, all acknowledged after the last flush before it began', async () => {
    // 200 ms interval, 4 dirty pages (16 KiB) needed: 64 senders of 1 KiB dirty far more than that per interval.
    // Random write-back puts some later pages on disk before earlier ones: the cut can leave a torn tail.
    const {broker, producer, consumer} = await setup('power-async', 'ASYNC_FLUSH', {
      flushIntervalCommitLog: 200, flushCommitLogLeastPages: 4, pageCacheWriteback: 'random', pageCacheSeed: 11,
    })
    const {acks} = await cutUnderLoad(broker, producer, {concurrency: 64, acks: 2000, extraMs: 700})
    const flushes = readFlushLog(broker.storeDir)
    expect(flushes.length, 'flushes recorded before the cut').toBeGreaterThanOrEqual(2)
    const last = flushes[flushes.length - 1]!
    // The load dirtied at least flushCommitLogLeastPages pages per interval: flushes came from the interval rule.
    expect(last.flushedOffset - flushes[flushes.length - 2]!.flushedOffset).toBeGreaterThan(3 * 4096)
    await broker.restart()
    console.log(broker.log().split('\n').filter((l) => l.startsWith('store: abnormal recovery')).join('\n'))
    const drained = await drainTopic(consumer, TOPIC, QUEUES)
    const audit = auditAcks(acks, drained, BODY)
    const lost = audit.lost
    console.log(`ASYNC_FLUSH: ${acks.length} acked, ${flushes.length} flushes, last at offset ${last.flushedOffset} ` +
      `(${last.startMs}..${last.timeMs}); lost ${lost.length}, last ack ${Math.max(...acks.map((a) => a.ackMs)) - (last.startMs ?? NaN)} ms after that flush began`)
    expect(lost.length, 'a power cut under ASYNC_FLUSH load loses the unflushed tail').toBeGreaterThan(0)
    expect(audit.changed).toEqual([])
    expect(queueHoles(drained)).toEqual([])
    const early = lost.filter((a) => a.commitLogOffset < last.flushedOffset || a.ackMs < last.startMs!)
    expect(early.map((a) => `seq ${a.seq} at ${a.commitLogOffset} acked ${a.ackMs}`)).toEqual([])
    // Every message acknowledged before the last flush began survived it.
    const flushedAcks = acks.filter((a) => a.ackMs < last.startMs!)
    expect(flushedAcks.length).toBeGreaterThan(0)
    expect(flushedAcks.filter((a) => !drained.messages.has(a.uniqKey))).toEqual([])
  })
})
