/**
 * awaitGroupsCaughtUp against a real broker process: a group is caught up only when its committed
 * offsets reach every queue's max offset, and a lookup that fails is "not known", never "no lag"
 * (a route fetch timing out under load once read as zero queues, so a run stopped its consumers
 * before they had consumed anything).
 */
import {beforeAll, describe, expect, it} from 'vitest'
import {awaitGroupsCaughtUp} from '../../../src/client/consumer-lag.js'
import {PullConsumer} from '../../../src/client/index.js'
import {sendIdentified, singleBrokerFixture} from './reliability-fixture.js'

const TOPIC = 'TLag'
const GROUP = 'g-lag'
const {cluster} = singleBrokerFixture('mqb-consumer-lag-')
beforeAll(() => sendIdentified(cluster.namesrvAddr, TOPIC, 'lagrun', 40).then(() => undefined), 60_000)

const wait = (deadlineInMs: number, namesrvAddr = cluster.namesrvAddr) =>
  awaitGroupsCaughtUp({namesrvAddr, topic: TOPIC, groups: [GROUP], deadlineMs: Date.now() + deadlineInMs, quietMs: 300})

describe('awaitGroupsCaughtUp', () => {
  it('a group that has committed nothing is 40 messages behind when the deadline passes', async () => {
    const r = await wait(1200)
    expect(r).toMatchObject({caughtUp: false, lag: 40})
  })

  it('a namesrv that cannot be reached is not knowing the lag, never "caught up"', async () => {
    // Port 1 on loopback refuses at once: every route lookup fails, for the topic and for %RETRY% alike.
    const r = await wait(1200, '127.0.0.1:1')
    expect(r.caughtUp).toBe(false)
    expect(r.lag).toBe(Number.POSITIVE_INFINITY)
  })

  it('once the group commits every queue to its max offset it is caught up (no %RETRY% topic is no lag)', async () => {
    const consumer = new PullConsumer({namesrvAddr: cluster.namesrvAddr, consumerGroup: GROUP})
    await consumer.start()
    try {
      for (const mq of await consumer.fetchSubscribeQueues(TOPIC)) {
        const r = await consumer.pull(mq, 0, 64, {suspendTimeoutMillis: 0})
        await consumer.commitOffset(mq, r.nextBeginOffset)
      }
    } finally {
      await consumer.shutdown()
    }
    const r = await wait(10_000)
    expect(r).toMatchObject({caughtUp: true, lag: 0})
  })
})
