/**
 * pageCacheMode=os, ASYNC_FLUSH: kill -9 keeps the OS page cache, so a broker killed under load
 * must come back with every acknowledged message, and must hand out queue offsets after them.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {Producer} from '../../../src/client/producer.js'
import {PullConsumer} from '../../../src/client/pull-consumer.js'
import {CrashBroker} from '../../helpers/crash-broker.js'
import {drainTopic, SendLoad} from '../../helpers/crash-load.js'
import {auditAcks, queueHoles, sendOnePerQueue} from '../../helpers/crash-verdict.js'

const TOPIC = 'CrashOs'
const QUEUES = 4
const BODY = 1024
const broker = new CrashBroker({name: 'crash-os', flushDiskType: 'ASYNC_FLUSH', extraConf: {pageCacheMode: 'os'}})
let producer: Producer
let consumer: PullConsumer

beforeAll(async () => {
  await broker.start(TOPIC, QUEUES)
  producer = new Producer({namesrvAddr: broker.namesrvAddr, producerGroup: 'crash-os-p', maxInFlight: 64, retryTimesWhenSendAsyncFailed: 0})
  consumer = new PullConsumer({namesrvAddr: broker.namesrvAddr, consumerGroup: 'crash-os-c'})
  await producer.start()
  await consumer.start()
})

afterAll(async () => {
  await producer?.shutdown()
  await consumer?.shutdown()
  expect(await broker.teardown(), 'processes still alive after teardown').toEqual([])
})

describe('kill -9 with pageCacheMode=os', () => {
  it('keeps every SEND_OK message and continues at the next offsets', async () => {
    const load = new SendLoad(producer, TOPIC, {concurrency: 64, bodyBytes: BODY})
    load.start()
    await load.waitForAcks(4000)
    const killedPid = broker.pid
    await broker.kill()
    await load.stop()
    const acks = [...load.acks.values()]
    console.log(`os: killed pid ${killedPid} after ${load.attempted} sends, ${acks.length} acked, ${load.failures} failed`)

    await broker.restart()
    expect(broker.pid).not.toBe(killedPid)
    expect(broker.log()).toMatch(/store: abnormal recovery/)
    const drained = await drainTopic(consumer, TOPIC, QUEUES)
    const audit = auditAcks(acks, drained, BODY)
    expect(audit.lost.map((a) => a.seq)).toEqual([])
    expect(audit.changed).toEqual([])
    expect(drained.duplicates).toBe(0)
    expect(queueHoles(drained)).toEqual([])

    const next = await sendOnePerQueue(producer, TOPIC, QUEUES, acks, drained)
    for (const n of next) {
      expect(n.queueOffset, `queue ${n.queueId}`).toBeGreaterThan(n.maxAckedOffset)
      expect(n.queueOffset, `queue ${n.queueId}`).toBe(n.recoveredMaxOffset)
    }
  })
})
