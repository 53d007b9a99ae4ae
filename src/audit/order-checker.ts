/**
 * Per-queue order, as the store holds it. RocketMQ keeps a queue in the order its messages were
 * stored, and an orderly producer (one queue chosen per key, sync sends, one in flight, no retry
 * elsewhere) relies on that: its messages must be read back in the order it sent them. Our producers
 * number their sends, so within one queue copy a message stored after a higher sequence number of
 * the same producer is out of order.
 *
 * Read from the drain, not from consumer deliveries: a consumer may legitimately see a queue again
 * after a crash (redelivery), while the store's order is what the broker promised. The drain returns
 * each queue of each replica as one run in offset order (drain.ts), so a run ends where the topic,
 * replica or queue changes or the offset does not grow. Only main-topic copies count: %RETRY% and
 * %DLQ% topics are re-sends and carry no order.
 *
 * Counted per copy: a message stored twice late is two reordered copies. A copy with the same
 * sequence as the highest so far (a duplicate written back to back) is not out of order.
 */
import {SAMPLE_LIMIT} from './checker.js'
import {MAIN_TOPIC_INDEX, NOT_OURS} from '../recorder/ledger/delivery-ledger.js'
import type {DeliveryLog} from '../recorder/ledger/delivery-log.js'

export interface OrderResult {
  /** Main-topic copies stored after a later message of the same producer in the same queue. */
  reordered: number
  /** Up to SAMPLE_LIMIT of them as "producer:seq". */
  samples: string[]
}

export function checkStoredOrder(drained: DeliveryLog): OrderResult {
  const result: OrderResult = {reordered: 0, samples: []}
  // Highest seq per producer in the current queue run; cleared when a new run starts.
  const highest = new Map<number, number>()
  let prev = -1
  for (let i = 0; i < drained.length; i++) {
    const producerId = drained.producerId(i)
    if (drained.topic(i) !== MAIN_TOPIC_INDEX || producerId === NOT_OURS) continue
    if (prev < 0 || drained.brokerId(i) !== drained.brokerId(prev) || drained.queueId(i) !== drained.queueId(prev)
      || drained.queueOffset(i) <= drained.queueOffset(prev)) highest.clear()
    prev = i
    const seq = drained.seq(i)
    const top = highest.get(producerId)
    if (top === undefined || seq >= top) {
      highest.set(producerId, seq)
      continue
    }
    result.reordered++
    if (result.samples.length < SAMPLE_LIMIT) result.samples.push(`${producerId}:${seq}`)
  }
  return result
}
