/**
 * Before behaviour consumers are told to stop: wait until every group has consumed what the broker
 * holds for it, main topic and %RETRY%<group> alike (RocketMQ's consumer lag: max offset − committed
 * offset, summed over queues). A consumer's own stop drains only to the offsets it sees at stop time,
 * so a failure sent back during that drain would sit in %RETRY% unconsumed and read as a loss of
 * ack-after-process. Retry copies still waiting in the schedule topic are invisible here; requiring
 * the lag to stay 0 for a quiet window covers the short (scaled) delay levels the scenarios use.
 */
import {setTimeout as sleep} from 'node:timers/promises'
import {Admin} from './admin.js'
import type {MessageQueue} from './message.js'
import {PullConsumer} from './pull-consumer.js'
import {RemotingError} from '../errors.js'
import {retryTopic} from '../protocol/common/mix-all.js'
import {ResponseCode} from '../protocol/response-code.js'

export interface LagWait {
  caughtUp: boolean
  /** Messages not yet consumed when the wait ended (0 when caughtUp). */
  lag: number
  waitedMs: number
}

const POLL_MS = 250

/** %RETRY%<group> exists only after the first send-back: its absence is no lag; any other failure is not knowing. */
async function retryQueues(consumer: PullConsumer, topic: string): Promise<MessageQueue[]> {
  try {
    return await consumer.fetchSubscribeQueues(topic)
  } catch (err) {
    if (err instanceof RemotingError && err.responseCode === ResponseCode.TOPIC_NOT_EXIST) return []
    throw err
  }
}

async function groupLag(admin: Admin, consumer: PullConsumer, topic: string, retry: string): Promise<number> {
  let lag = 0
  for (const t of [topic, retry]) {
    // A route lookup that times out must not read as "no queues, no lag" (it did under load on the main topic).
    const queues = t === topic ? await consumer.fetchSubscribeQueues(t) : await retryQueues(consumer, t)
    for (const mq of queues) {
      const [max, committed] = await Promise.all([admin.getMaxOffset(mq), consumer.queryOffset(mq)])
      lag += Math.max(0, max - (committed ?? 0))
    }
  }
  return lag
}

export async function awaitGroupsCaughtUp(opts: {
  namesrvAddr: string; topic: string; groups: string[]; deadlineMs: number; quietMs?: number
}): Promise<LagWait> {
  const started = Date.now()
  const quietMs = opts.quietMs ?? 1000
  const admin = new Admin({namesrvAddr: opts.namesrvAddr})
  const consumers = opts.groups.map((g) => new PullConsumer({namesrvAddr: opts.namesrvAddr, consumerGroup: g}))
  let quietSince: number | undefined
  let lag = -1
  try {
    while (Date.now() < opts.deadlineMs) {
      lag = 0
      for (const [i, c] of consumers.entries()) {
        lag += await groupLag(admin, c, opts.topic, retryTopic(opts.groups[i]!)).catch(() => Number.POSITIVE_INFINITY)
      }
      if (lag === 0) {
        quietSince ??= Date.now()
        if (Date.now() - quietSince >= quietMs) return {caughtUp: true, lag: 0, waitedMs: Date.now() - started}
      } else {
        quietSince = undefined
      }
      await sleep(POLL_MS)
    }
    return {caughtUp: false, lag, waitedMs: Date.now() - started}
  } finally {
    for (const c of consumers) await c.shutdown()
    admin.shutdown()
  }
}
