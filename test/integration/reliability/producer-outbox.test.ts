/**
 * Producer kill -9 mid-run, with and without the outbox, against a real broker process. The plain
 * producer's gap is every started send the broker never stored (the audit's missingUnconfirmed: a
 * message the application meant to send and nobody will ever send) plus the sends whose fate it
 * never learned. With the outbox, the next incarnation re-sends whatever is still PENDING, so every
 * started send ends up stored — at the price of duplicates for the ones whose SEND_OK the dead
 * process never recorded.
 *
 * The broker is paused around the kill so that sends are really in flight when the producer dies;
 * on a fast loopback broker an unpaused kill often finds none, and then neither twin shows anything.
 * Bytes a killed process already wrote to its socket still reach the broker once it resumes, so the
 * plain producer's in-flight sends mostly end as unknown outcomes that were stored (recovered); the
 * outbox re-sends them (duplicates) and whatever never left the process.
 */
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {drainTopic} from '../../../src/workload/drain.js'
import {readProducerLedger} from '../../../src/recorder/ledger/index.js'
import {checkQueue} from '../../../src/audit/queue-checker.js'
import {brokerNodeName} from '../../../src/cluster/cluster.js'
import {readIdentity} from '../../../src/workload/message-identity.js'
import type {ProducerWorkerConfig} from '../../../src/workload/worker-messages.js'
import {ROUTE_TIMEOUT_MS, singleBrokerFixture, until} from './reliability-fixture.js'
import {waitForRoute} from '../../../src/client/wait-for-route.js'
import {createTopic} from '../../../src/client/index.js'
import {ProducerLog} from '../../../src/recorder/ledger/producer-log.js'

const {runDir, cluster, spawnWorker} = singleBrokerFixture('mqb-outbox-')
const BROKER = brokerNodeName({brokerName: 'broker-a', brokerId: 0})

/** Sends whose START is in the ledger file and whose OUTCOME is not (the ledger flushes START records before a batch goes out). */
function startedWithoutOutcome(path: string): number {
  let open = 0
  for (const e of readProducerLedger(path)) open += e.kind === 'start' ? 1 : -1
  return open
}

async function killMidRun(tag: string, withOutbox: boolean) {
  const topic = `TOut_${tag}`
  await createTopic({namesrvAddr: cluster.namesrvAddr, topic, queueNums: 4})
  await waitForRoute(cluster.namesrvAddr, topic, 4, ROUTE_TIMEOUT_MS)
  const outbox = withOutbox ? {path: join(runDir, `${tag}.outbox`)} : undefined
  const base: ProducerWorkerConfig = {
    role: 'producer', workerId: 0, producerId: 0, runId: tag, namesrvAddr: cluster.namesrvAddr, producerGroup: `pg_${tag}`, topic,
    sendMode: 'async', ratePerSec: 2000, durationMs: 8000, warmupMs: 0, bodySizeBytes: 256, maxInFlight: 256, seed: 3,
    ledgerPath: join(runDir, `${tag}-0.ledger`), outbox,
  }
  const first = spawnWorker(`${tag}-first`)
  first.start(base)
  await first.ready
  await until(() => readProducerLedger(base.ledgerPath).length >= 2000 /* START + OUTCOME records: ~1000 sends */, 20_000, `${tag}: sends under way`)
  // A kill on a fast loopback broker often lands with nothing in flight, which proves nothing. The broker is
  // paused first so the kill catches sends that have started and have no answer yet (open-loop: the schedule
  // goes on while the broker is stopped), then resumed, so whatever reached its socket is stored after all.
  await cluster.pause(BROKER)
  try {
    await until(() => startedWithoutOutcome(base.ledgerPath) >= 20, 5_000, `${tag}: sends without an answer`)
    first.kill('SIGKILL')
    await new Promise((r) => first.child.once('exit', r))
  } finally {
    await cluster.resume(BROKER)
  }
  // The restarted application: a new producer id for its own sends, the same outbox table.
  const second = spawnWorker(`${tag}-second`)
  second.start({...base, workerId: 1, producerId: 1, durationMs: 200, ratePerSec: 50, ledgerPath: join(runDir, `${tag}-1.ledger`)})
  await second.ready
  const done = await second.done
  const drained = await drainTopic({
    namesrvAddr: cluster.namesrvAddr, topic, consumerGroup: 'audit', deadlineMs: Date.now() + 20_000,
    readIdentity: (m) => {
      const id = readIdentity(m)
      return id?.runId === tag ? id : undefined
    },
  })
  const producers = [readProducerLedger(base.ledgerPath), readProducerLedger(join(runDir, `${tag}-1.ledger`))]
  const audit = checkQueue({producers: producers.map((p) => ProducerLog.of(p)), deliveries: [], drained})
  console.log(`${tag}: outboxResent=${done.outboxResent ?? '-'} ${JSON.stringify(audit.counts)}`)
  return {audit, resent: done.outboxResent}
}

describe('producer kill -9 mid-run', () => {
  it('with the outbox every started send ends up stored: nothing lost, no gap', async () => {
    const {audit, resent} = await killMidRun('outbox', true)
    expect(audit.counts.attempted).toBeGreaterThan(900)
    expect(audit.counts.lost).toBe(0)
    expect(audit.counts.missingUnconfirmed).toBe(0)
    expect(audit.counts.unexpected).toBe(0)
    expect(resent).toBeGreaterThan(0)
  }, 90_000)

  it('the plain producer is audited the same way: no SEND_OK lost; its gap and unknown outcomes are printed', async () => {
    const {audit, resent} = await killMidRun('plain', false)
    expect(resent).toBeUndefined()
    expect(audit.counts.attempted).toBeGreaterThan(900)
    // The sends in flight at the kill: stored after the broker resumed (recovered) or never sent (the gap).
    expect(audit.counts.recovered + audit.counts.missingUnconfirmed).toBeGreaterThan(0)
    expect(audit.counts.lost).toBe(0)
    expect(audit.counts.unexpected).toBe(0)
  }, 90_000)
})
