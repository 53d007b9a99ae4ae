/**
 * workers/java ConsumerWorker joins its queues without waiting for the client's 20 s rebalance: the
 * official push consumer rebalances at start only if its first heartbeat reached a broker, which it
 * cannot when the topic's route is not known yet (here: the topic is created after the consumer
 * started; under load, a heartbeat that loses the client's own heartbeat lock does the same). Left
 * alone, it consumes nothing for 30 s (route poll) plus up to 20 s (rebalance interval) — a CI run of
 * 5 s load and 15 s drain once received under half of its messages. RebalanceNudge brings it in
 * within seconds. Without it the 5.3.3 client here timed out after 12 s; 4.9.7 joined on its own
 * within a second, so for 4.9.7 this only shows that the nudge does no harm.
 */
import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, expect, it} from 'vitest'

import {readDeliveryLedger} from '../../../src/recorder/ledger/delivery-ledger.js'
import {JAVA_CLIENT_DEFAULT_VERSION} from '../../../src/scenario/java-client.js'
import {javaModuleDir, javaWorkerCommand} from '../../../src/workload/java-worker.js'
import {WorkerHandle} from '../../../src/workload/worker-handle.js'
import {describeJava} from '../../helpers/java-client.js'
import {killWorkers} from '../../helpers/worker-processes.js'
import {sendIdentified, singleBrokerFixture, until} from '../reliability/reliability-fixture.js'

const RUN_ID = 'joinrun'
const TOPIC = 'TJoinLate'
const MESSAGES = 40
// Well inside the 20 s rebalance interval and the 30 s route poll the client would otherwise wait for.
const CONSUMED_WITHIN_MS = 12_000

const {runDir, cluster} = singleBrokerFixture('mqb-java-join-')
const workers: WorkerHandle[] = []
afterAll(() => killWorkers(workers))

function spawnJavaConsumer(version: string, ledgerPath: string): WorkerHandle {
  const {cmd, args} = javaWorkerCommand(javaModuleDir(), version)
  const child = spawn(cmd, args, {stdio: ['ignore', 'ignore', 'pipe', 'ipc']})
  const stderr: string[] = []
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()))
  child.once('exit', (code) => {
    if (code !== 0 && code !== null) console.error(`[java consumer ${version}] exit ${code}\n${stderr.join('')}`)
  })
  const h = new WorkerHandle(child, `consumer-${version}`)
  workers.push(h)
  const clientId = `mqbench-join-${version}@${RUN_ID}`
  h.start({
    role: 'consumer', workerId: 0, runId: RUN_ID, namesrvAddr: cluster.namesrvAddr, consumerGroup: `g-join-${version.replace(/\./g, '')}`,
    topic: `${TOPIC}${version.replace(/\./g, '')}`, clientId, groupClientIds: [clientId], ledgerPath, drainTimeoutMs: 5000,
  })
  return h
}

const consumed = (path: string) => (existsSync(path) ? readDeliveryLedger(path).length : 0)

for (const version of [JAVA_CLIENT_DEFAULT_VERSION, '4.9.7']) {
  describeJava('java consumer joins late-routed queues', () => {
    it('a consumer started before its topic existed consumes the topic within seconds of its first messages', async () => {
      const ledgerPath = join(runDir, `consumer-${version}.ledger`)
      const h = spawnJavaConsumer(version, ledgerPath)
      await h.ready
      const topic = `${TOPIC}${version.replace(/\./g, '')}`
      await sendIdentified(cluster.namesrvAddr, topic, RUN_ID, MESSAGES)
      const sentAt = Date.now()
      await until(() => consumed(ledgerPath) >= MESSAGES, CONSUMED_WITHIN_MS, `${MESSAGES} deliveries in ${ledgerPath}`)
      console.log(`[java ${version} join] ${MESSAGES} consumed ${Date.now() - sentAt} ms after the last send`)
      h.stop()
      const done = await h.waitDone(30_000)
      expect(done.role === 'consumer' && done.counts).toMatchObject({consumed: MESSAGES})
    }, 120_000)
  }, version)
}
