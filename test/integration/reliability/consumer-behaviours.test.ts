/**
 * Consumer practices under a consumer kill -9 mid-batch, each its own worker process and its own
 * topic/group on one broker: 300 messages are stored first, a worker with the behaviour starts,
 * is killed once it has processed some, and a fresh process (same client id, fresh ledger) finishes.
 * The consumption audit then says what the group did with what the broker kept:
 *   ack-before-process and swallow-errors lose messages, ack-after-process loses none (but repeats
 *   some), idempotent loses none and repeats none.
 */
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {checkConsumption, type ConsumptionResult} from '../../../src/audit/consumption-checker.js'
import {readDeliveryLedger} from '../../../src/recorder/ledger/index.js'
import type {ConsumerBehaviourConfig} from '../../../src/workload/consumer-behaviours/consumer-behaviour.js'
import type {ConsumerWorkerConfig} from '../../../src/workload/worker-messages.js'
import {sendIdentified, singleBrokerFixture, until} from './reliability-fixture.js'
import {DeliveryLog, readDeliveryLog} from '../../../src/recorder/ledger/delivery-log.js'
import {ProducerLog} from '../../../src/recorder/ledger/producer-log.js'

const RUN_ID = 'behrun'
const MESSAGES = 300
const KILL_AFTER_PROCESSED = 40
const {runDir, cluster, spawnWorker} = singleBrokerFixture('mqb-behaviours-', {delayTimeScale: 0.0002})

/** Stores the messages, runs the behaviour, kills its worker mid-batch, finishes with a fresh process, audits. */
async function runWithKill(tag: string, behaviour: ConsumerBehaviourConfig): Promise<ConsumptionResult> {
  const topic = `TBeh_${tag}`
  const {ledger} = await sendIdentified(cluster.namesrvAddr, topic, RUN_ID, MESSAGES)
  const base: ConsumerWorkerConfig = {
    role: 'consumer', workerId: 0, runId: RUN_ID, namesrvAddr: cluster.namesrvAddr, consumerGroup: `g_${tag}`, topic,
    clientId: 'c0', groupClientIds: ['c0'], ledgerPath: join(runDir, `${tag}.ledger`), suspendTimeoutMillis: 200, seed: 11,
    behaviour: {processMs: 5, ...behaviour, idempotencyStorePath: join(runDir, `${tag}.keys`)},
  }
  const first = spawnWorker(`${tag}-first`)
  first.start(base)
  await first.ready
  await until(() => readDeliveryLedger(base.ledgerPath).length >= KILL_AFTER_PROCESSED, 20_000, `${tag}: ${KILL_AFTER_PROCESSED} processed`)
  first.kill('SIGKILL')
  await new Promise((r) => first.child.once('exit', r))
  const second = spawnWorker(`${tag}-second`)
  const resumed = {...base, ledgerPath: join(runDir, `${tag}.r1.ledger`)}
  second.start(resumed)
  await second.ready
  second.stop() // drains to the max offsets it sees now: every stored message is offered again
  await second.done
  const deliveries = [readDeliveryLog(base.ledgerPath).log, readDeliveryLog(resumed.ledgerPath).log]
  const result = checkConsumption({producers: [ProducerLog.of(ledger)], deliveries, drained: DeliveryLog.of([])})
  console.log(`${tag}: ${JSON.stringify(result.counts)}`)
  return result
}

describe('consumer behaviours under a consumer kill -9 mid-batch', () => {
  it('ack-before-process loses the rest of the batch it had committed', async () => {
    const r = await runWithKill('abp', {name: 'ack-before-process'})
    expect(r.counts.unprocessed).toBeGreaterThan(0)
    expect(r.valid).toBe(false)
  }, 60_000)

  it('swallow-errors loses every failure it answered SUCCESS', async () => {
    const r = await runWithKill('swallow', {name: 'swallow-errors', failureRate: 0.05})
    expect(r.counts.unprocessed).toBeGreaterThan(0)
    expect(r.valid).toBe(false)
  }, 60_000)

  it('ack-after-process loses nothing; the uncommitted part of the batch is processed twice', async () => {
    const r = await runWithKill('aap', {name: 'ack-after-process'})
    expect(r.counts.unprocessed).toBe(0)
    expect(r.counts.processed).toBe(MESSAGES)
    expect(r.counts.duplicated).toBeGreaterThan(0)
    expect(r.counts.duplicatedBrokerCaused).toBe(r.counts.duplicated)
    expect(r.valid).toBe(true)
  }, 60_000)

  it('idempotent loses nothing and processes nothing twice', async () => {
    const r = await runWithKill('idem', {name: 'idempotent'})
    expect(r.counts.unprocessed).toBe(0)
    expect(r.counts.processed).toBe(MESSAGES)
    expect(r.counts.duplicated).toBe(0)
  }, 60_000)
})
