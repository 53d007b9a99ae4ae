/**
 * The total-queue checker (after Jepsen's total-queue): every identity that was attempted or
 * found gets exactly one class, so for attempted identities
 *   ok + lost + duplicated + recovered + corrupt + missingUnconfirmed == attempted
 * and for found ones  ok + duplicated + recovered + corrupt + unexpected == distinct found.
 * Precedence when several apply: unexpected > corrupt > duplicated > ok | recovered.
 * Beside the classes, lostFromStore counts SEND_OK identities with no drained copy (a superset of lost),
 * and reordered the drained copies out of producer order within their queue (order-checker.ts).
 *
 * State lives in typed arrays indexed by a slot per identity (one Map from identity key to slot),
 * so a million identities cost a few MB and no per-identity objects.
 */
import {
  type AuditClass, type AuditCounts, type AuditSampleKey, type AuditInput, type CheckResult, emptyCounts, guardCheck, SAMPLE_LIMIT,
} from './checker.js'
import {MAIN_TOPIC_INDEX, NOT_OURS} from '../recorder/ledger/delivery-ledger.js'
import type {DeliveryLog} from '../recorder/ledger/delivery-log.js'
import type {ProducerLog} from '../recorder/ledger/producer-log.js'
import {IdentityTable} from './identity-table.js'
import {checkStoredOrder} from './order-checker.js'

const ATTEMPTED = 1
const ACKED = 2
const FOUND = 4
const CORRUPT = 8
/** A copy in the drain (any topic, any replica): what the store still holds after the run and its heals. */
const STORED = 16

type Fate = AuditClass | 'missingUnconfirmed' | undefined

/** The class of one identity (the why of each class sits on AuditClass in checker.ts). missingUnconfirmed:
 * not SEND_OK and absent — the broker never promised it, so it is counted, never a failure. */
function fateOf(flags: number, consumed: number, stored: number): Fate {
  if ((flags & FOUND) === 0) {
    if ((flags & ATTEMPTED) === 0) return undefined
    return flags & ACKED ? 'lost' : 'missingUnconfirmed'
  }
  if ((flags & ATTEMPTED) === 0) return 'unexpected'
  if (flags & CORRUPT) return 'corrupt'
  if (consumed > 1 || stored > 1) return 'duplicated'
  return flags & ACKED ? 'ok' : 'recovered'
}

function recordProducers(t: IdentityTable, producers: ProducerLog[]): void {
  for (const ledger of producers) {
    for (let i = 0; i < ledger.length; i++) {
      const s = t.slot(ledger.producerId(i), ledger.seq(i))
      // A DROPPED send was never issued (open-loop schedule fell behind), so it proves no attempt.
      if (!ledger.dropped(i)) t.flags[s] |= ATTEMPTED
      if (ledger.sendOk(i)) t.flags[s] |= ACKED
    }
  }
}

function recordDeliveries(t: IdentityTable, deliveries: DeliveryLog[]): number {
  let total = 0
  for (const ledger of deliveries) {
    for (let i = 0; i < ledger.length; i++) {
      const producerId = ledger.producerId(i)
      if (producerId === NOT_OURS) continue
      const s = t.slot(producerId, ledger.seq(i))
      t.flags[s] |= ledger.crcOk(i) ? FOUND : FOUND | CORRUPT
      t.consumed[s]++
      total++
    }
  }
  return total
}

/** Counts main-topic copies one replica at a time, keeping each identity's maximum. */
function recordDrained(t: IdentityTable, drained: DeliveryLog): void {
  const byBroker = new Map<number, number[]>()
  for (let i = 0; i < drained.length; i++) {
    const producerId = drained.producerId(i)
    if (producerId === NOT_OURS) continue
    const s = t.slot(producerId, drained.seq(i))
    t.flags[s] |= drained.crcOk(i) ? FOUND | STORED : FOUND | STORED | CORRUPT
    // %RETRY% and %DLQ% copies are re-sends by the broker, not duplicates of the stored original.
    if (drained.topic(i) !== MAIN_TOPIC_INDEX) continue
    const brokerId = drained.brokerId(i)
    let slots = byBroker.get(brokerId)
    if (slots === undefined) byBroker.set(brokerId, (slots = []))
    slots.push(s)
  }
  const perReplica = new Uint32Array(t.size)
  for (const slots of byBroker.values()) {
    for (const s of slots) {
      const n = ++perReplica[s]
      if (n > t.stored[s]!) t.stored[s] = n
    }
    for (const s of slots) perReplica[s] = 0
  }
}

function classify(t: IdentityTable, counts: AuditCounts): Partial<Record<AuditSampleKey, string[]>> {
  const samples: Partial<Record<AuditSampleKey, string[]>> = {}
  const sample = (key: AuditSampleKey, s: number): void => {
    const list = (samples[key] ??= [])
    if (list.length < SAMPLE_LIMIT) list.push(t.label(s))
  }
  for (let s = 0; s < t.size; s++) {
    const flags = t.flags[s]!
    if (flags & ATTEMPTED) counts.attempted++
    const acked = (flags & (ATTEMPTED | ACKED)) === (ATTEMPTED | ACKED)
    if (acked) counts.acked++
    if (t.consumed[s]! > 0) counts.delivered++
    if (acked && (flags & STORED) === 0) {
      counts.lostFromStore++
      sample('lostFromStore', s)
    }
    const fate = fateOf(flags, t.consumed[s]!, t.stored[s]!)
    if (fate === undefined || fate === 'missingUnconfirmed') {
      if (fate) counts[fate]++
      continue
    }
    counts[fate]++
    sample(fate, s)
  }
  return samples
}

function totalEntries(input: AuditInput): number {
  let n = input.drained.length
  for (const l of input.producers) n += l.length
  for (const l of input.deliveries) n += l.length
  return n
}

function checkQueueUnguarded(input: AuditInput): CheckResult {
  const table = new IdentityTable(totalEntries(input))
  recordProducers(table, input.producers)
  const counts = emptyCounts()
  counts.deliveries = recordDeliveries(table, input.deliveries)
  recordDrained(table, input.drained)
  const samples = classify(table, counts)
  const order = checkStoredOrder(input.drained)
  counts.reordered = order.reordered
  if (order.reordered > 0) samples.reordered = order.samples
  const valid = counts.lost === 0 && counts.corrupt === 0 && counts.unexpected === 0
  return {valid, counts, samples}
}

/** Classifies every identity; valid is false on any lost, corrupt or unexpected message (duplicates are allowed). */
export function checkQueue(input: AuditInput): CheckResult {
  return guardCheck('queue', () => checkQueueUnguarded(input))
}
