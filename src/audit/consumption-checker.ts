/**
 * The consumer-side audit: what the application *did* with the messages, for runs whose consumers
 * follow a behaviour (workload/consumer-behaviours) and so ledger each processing effect rather than
 * each receipt. The queue checker answers "did the broker keep it?"; this one answers "did the
 * consumer group act on it, once?" — where ack-before-process and swallow-errors lose messages the
 * broker kept perfectly well.
 *
 * Drained entries say where a message rests: topic index 2 = %DLQ%<group> (drain's extraTopics
 * order: main 0, %RETRY% 1, %DLQ% 2).
 */
import type {AuditInput} from './checker.js'
import {SAMPLE_LIMIT} from './checker.js'
import {type DeliveryEntry, DLQ_TOPIC_INDEX, NOT_OURS} from '../recorder/ledger/delivery-ledger.js'

export {DLQ_TOPIC_INDEX}

export interface ConsumptionCounts {
  /** SEND_OK identities: the ones the group owes an effect to. */
  acked: number
  /** Acked identities processed at least once. */
  processed: number
  /** Acked, never processed and not dead-lettered: lost to the application though the broker kept it. */
  unprocessed: number
  /** Never processed but parked in %DLQ%<group>: the retry budget ran out; waiting for a human, not lost. */
  deadLettered: number
  /** Processing effects of copies that came back through %RETRY% (reconsumeTimes > 0). */
  retriedProcessings: number
  /** Identities processed more than once: the cost of at-least-once without idempotency. */
  duplicated: number
  /** ...because the same copy was delivered again (offset not yet committed when a consumer died). */
  duplicatedBrokerCaused: number
  /** ...because a copy from %RETRY% was processed after another copy already had been. */
  duplicatedRetryCaused: number
  /** All processing effects of our messages, duplicates included. */
  processings: number
}

export interface ConsumptionResult {
  /** true iff nothing acked went unprocessed (duplicates and dead letters are allowed). */
  valid: boolean
  counts: ConsumptionCounts
  samples: {unprocessed?: string[]; deadLettered?: string[]; duplicated?: string[]}
}

const keyOf = (e: {producerId: number; seq: number}): number => e.producerId * 2 ** 32 + e.seq
const label = (k: number): string => `${Math.floor(k / 2 ** 32)}:${k % 2 ** 32}`

function sample(list: string[] | undefined, k: number): string[] {
  const out = list ?? []
  if (out.length < SAMPLE_LIMIT) out.push(label(k))
  return out
}

/** Per identity, the reconsumeTimes of every processing effect. */
function processingsByIdentity(deliveries: Iterable<DeliveryEntry>[]): Map<number, number[]> {
  const out = new Map<number, number[]>()
  for (const ledger of deliveries) {
    for (const e of ledger) {
      if (e.producerId === NOT_OURS) continue
      const k = keyOf(e)
      const list = out.get(k)
      if (list === undefined) out.set(k, [e.reconsumeTimes])
      else list.push(e.reconsumeTimes)
    }
  }
  return out
}

export function checkConsumption(input: AuditInput): ConsumptionResult {
  const acked = new Set<number>()
  for (const ledger of input.producers) {
    for (let i = 0; i < ledger.length; i++) if (ledger.sendOk(i)) acked.add(keyOf({producerId: ledger.producerId(i), seq: ledger.seq(i)}))
  }
  const dead = new Set<number>()
  for (const e of input.drained) if (e.producerId !== NOT_OURS && (e.topic ?? 0) === DLQ_TOPIC_INDEX) dead.add(keyOf(e))
  const processed = processingsByIdentity(input.deliveries)
  const counts: ConsumptionCounts = {
    acked: acked.size, processed: 0, unprocessed: 0, deadLettered: 0, retriedProcessings: 0, duplicated: 0,
    duplicatedBrokerCaused: 0, duplicatedRetryCaused: 0, processings: 0,
  }
  const samples: ConsumptionResult['samples'] = {}
  for (const [k, times] of processed) {
    counts.processings += times.length
    for (const t of times) if (t > 0) counts.retriedProcessings++
    if (acked.has(k)) counts.processed++
    if (times.length < 2) continue
    counts.duplicated++
    samples.duplicated = sample(samples.duplicated, k)
    // The same reconsumeTimes twice means the same stored copy was handed over twice.
    if (new Set(times).size < times.length) counts.duplicatedBrokerCaused++
    else counts.duplicatedRetryCaused++
  }
  for (const k of acked) {
    if (processed.has(k)) continue
    if (dead.has(k)) {
      counts.deadLettered++
      samples.deadLettered = sample(samples.deadLettered, k)
    } else {
      counts.unprocessed++
      samples.unprocessed = sample(samples.unprocessed, k)
    }
  }
  return {valid: counts.unprocessed === 0, counts, samples}
}
