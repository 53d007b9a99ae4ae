/**
 * Retries and dead letters end to end, against a real broker process: a consumer that fails every
 * delivery (reconsume-later, failureRate 1) sees each message 1 + maxReconsumeTimes times through
 * %RETRY%<group> with growing delay levels, after which the broker parks it in %DLQ%<group> — the
 * audit then calls it dead-lettered, not lost. A delayed message also survives a kill -9 of the broker.
 * Delay levels are RocketMQ's defaults scaled by delayTimeScale so 16 retries take seconds.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {checkConsumption} from '../../../src/audit/consumption-checker.js'
import {drainTopic} from '../../../src/workload/drain.js'
import {dlqTopic, retryTopic} from '../../../src/protocol/common/mix-all.js'
import {readDeliveryLedger} from '../../../src/recorder/ledger/index.js'
import {PullConsumer, Producer} from '../../../src/client/index.js'
import {EmbeddedCluster} from '../../../src/cluster/embedded-cluster.js'
import {initHistograms} from '../../../src/metrics/index.js'
import {ConsumerWorker} from '../../../src/workload/consumer-worker.js'
import {readIdentity} from '../../../src/workload/message-identity.js'
import {ensureDist, sendIdentified, until} from './reliability-fixture.js'
import {readDeliveryLog} from '../../../src/recorder/ledger/delivery-log.js'
import {ProducerLog} from '../../../src/recorder/ledger/producer-log.js'

const RUN_ID = 'dlqrun'
const GROUP = 'g-dlq'
const MAX_RECONSUME_TIMES = 16
const runDir = mkdtempSync(join(tmpdir(), 'mqb-retry-dlq-'))
// Levels 3..18 add up to 17140 s; at 0.0002 that is 3.4 s, plus ~100 ms of schedule polling per hop.
const cluster = new EmbeddedCluster({
  runDir: join(runDir, 'cluster'),
  brokers: [{brokerName: 'broker-a', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: 'ASYNC_FLUSH', extraConf: {delayTimeScale: 0.0002}}],
})
const probe = () => new PullConsumer({namesrvAddr: cluster.namesrvAddr, consumerGroup: 'probe'})

beforeAll(async () => {
  ensureDist()
  await initHistograms()
  await cluster.start()
}, 60_000)

afterAll(async () => {
  await cluster.stop()
  rmSync(runDir, {recursive: true, force: true})
})

async function queueSize(consumer: PullConsumer, topic: string): Promise<number> {
  const r = await consumer.pull({topic, brokerName: 'broker-a', queueId: 0}, 0, 32, {suspendTimeoutMillis: 0}).catch(() => undefined)
  return r?.status === 'FOUND' ? r.messages.length : 0
}

describe('retry and dead-letter queue', () => {
  it('a message failing every time reaches %DLQ% after exactly maxReconsumeTimes retries, reconsume count kept', async () => {
    const {ledger, results} = await sendIdentified(cluster.namesrvAddr, 'TDlq', RUN_ID, 1)
    const ledgerPath = join(runDir, 'consumer-0.ledger')
    const worker = new ConsumerWorker({
      role: 'consumer', workerId: 0, runId: RUN_ID, namesrvAddr: cluster.namesrvAddr, consumerGroup: GROUP, topic: 'TDlq',
      clientId: 'c0', groupClientIds: ['c0'], ledgerPath, suspendTimeoutMillis: 200, seed: 1,
      behaviour: {name: 'reconsume-later', failureRate: 1, maxReconsumeTimes: MAX_RECONSUME_TIMES},
    }, {emit: () => undefined})
    await worker.start()
    const running = worker.run()
    const consumer = probe()
    await consumer.start()
    try {
      await until(async () => (await queueSize(consumer, dlqTopic(GROUP))) === 1, 30_000, 'the message in %DLQ%')
      await worker.stop()
      const done = await running
      expect(done.behaviourCounts).toMatchObject({failed: 1 + MAX_RECONSUME_TIMES, sentBack: 1 + MAX_RECONSUME_TIMES, processed: 0})

      const dead = (await consumer.pull({topic: dlqTopic(GROUP), brokerName: 'broker-a', queueId: 0}, 0, 32, {suspendTimeoutMillis: 0})).messages
      expect(dead).toHaveLength(1)
      expect(dead[0]!.reconsumeTimes).toBe(MAX_RECONSUME_TIMES + 1)
      expect(dead[0]!.properties).toMatchObject({UNIQ_KEY: results[0]!.msgId, RETRY_TOPIC: 'TDlq'})
      expect(dead[0]!.properties.ORIGIN_MESSAGE_ID).toBe(results[0]!.offsetMsgId)
      expect(dead[0]!.properties.DELAY).toBeUndefined()
      // Every retry copy went through %RETRY%: 16 of them, reconsumeTimes 1..16.
      const retried = (await consumer.pull({topic: retryTopic(GROUP), brokerName: 'broker-a', queueId: 0}, 0, 32, {suspendTimeoutMillis: 0})).messages
      expect(retried.map((m) => m.reconsumeTimes)).toEqual(Array.from({length: MAX_RECONSUME_TIMES}, (_, i) => i + 1))

      const drained = await drainTopic({
        namesrvAddr: cluster.namesrvAddr, topic: 'TDlq', consumerGroup: 'audit', extraTopics: [retryTopic(GROUP), dlqTopic(GROUP)],
        readIdentity: (m) => readIdentity(m), deadlineMs: Date.now() + 15_000,
      })
      const audit = checkConsumption({producers: [ProducerLog.of(ledger)], deliveries: [readDeliveryLog(ledgerPath).log], drained})
      expect(audit.counts).toMatchObject({acked: 1, processed: 0, deadLettered: 1, unprocessed: 0})
      expect(audit.valid).toBe(true)
    } finally {
      await worker.stop().catch(() => undefined)
      await consumer.shutdown()
    }
  }, 60_000)

  it('a delayed message survives a kill -9 of the broker and arrives once it is due', async () => {
    const producer = new Producer({namesrvAddr: cluster.namesrvAddr, producerGroup: 'p-delay'})
    await producer.start()
    const consumer = probe()
    await consumer.start()
    try {
      // Level 18 (2 h) scaled: 1.44 s — long enough to kill and restart the broker in between.
      const sent = await producer.send({topic: 'TDelay', body: Buffer.from('later'), properties: {DELAY: '18'}})
      expect(sent.status).toBe('SEND_OK')
      const mq = {topic: 'TDelay', brokerName: 'broker-a', queueId: sent.queue.queueId}
      expect((await consumer.pull(mq, 0, 32, {suspendTimeoutMillis: 0})).status).not.toBe('FOUND')
      await cluster.kill('broker-a-0')
      await cluster.restart('broker-a-0')
      let found: string[] = []
      await until(async () => {
        const r = await consumer.pull(mq, 0, 32, {suspendTimeoutMillis: 0}).catch(() => undefined)
        found = r?.status === 'FOUND' ? r.messages.map((m) => m.body.toString()) : []
        return found.length > 0
      }, 20_000, 'the delayed message in its topic')
      expect(found).toEqual(['later'])
    } finally {
      await producer.shutdown()
      await consumer.shutdown()
    }
  }, 60_000)
})
