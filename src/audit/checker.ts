/**
 * What every checker returns, and how results combine. Checkers are pure functions of the
 * recorded ledgers (record, then check), so `mqbench audit <run-dir>` can re-run them offline.
 * Validity is three-valued as in Jepsen's checker: a checker that could not decide says
 * 'unknown' instead of guessing, and compose() lets the worst answer win (false > unknown > true).
 */
import type {DeliveryLog} from '../recorder/ledger/delivery-log.js'
import type {ProducerLog} from '../recorder/ledger/producer-log.js'

/** Every identity the audit sees gets one class (queue-checker.ts applies them, with precedence). */
export type AuditClass =
  | 'ok' // SEND_OK and seen by the group exactly once, intact: the promise kept.
  | 'lost' // SEND_OK but found nowhere, neither delivered nor in any queue: the promise broken.
  | 'duplicated' // delivered to the one group more than once, or stored twice on one replica: at-least-once's cost.
  | 'recovered' // the send failed, timed out or never ended, yet the message exists: allowed, worth counting.
  | 'unexpected' // found but never attempted: mis-routing, a foreign writer or a mangled identity.
  | 'corrupt' // a copy whose body CRC differs from the producer's: bytes changed on the way or at rest.
export const AUDIT_CLASSES: readonly AuditClass[] = ['ok', 'lost', 'duplicated', 'recovered', 'unexpected', 'corrupt']
/** Sample lists: one per class, plus lostFromStore and reordered, counts that overlap the classes (see AuditCounts). */
export type AuditSampleKey = AuditClass | 'lostFromStore' | 'reordered'
export const AUDIT_SAMPLE_KEYS: readonly AuditSampleKey[] = [...AUDIT_CLASSES, 'lostFromStore', 'reordered']

export interface AuditCounts {
  /** Distinct identities with a START or a non-DROPPED OUTCOME. */
  attempted: number
  /** Attempted identities with a SEND_OK outcome. */
  acked: number
  /** Distinct identities the consumer group received. */
  delivered: number
  ok: number
  lost: number
  duplicated: number
  recovered: number
  unexpected: number
  corrupt: number
  /** Not SEND_OK and found nowhere: the broker never promised it, so its absence is allowed. */
  missingUnconfirmed: number
  /**
   * SEND_OK but absent from the post-run drain of every replica (delivered or not): durability is what
   * the store still holds after the heal, so a message a consumer read before the broker lost it counts
   * here though it is not 'lost'. Not a class of its own: lostFromStore ⊇ lost.
   */
  lostFromStore: number
  /**
   * Main-topic copies the store holds after a later message of the same producer in the same queue
   * (order-checker.ts). Only an orderly workload (workload.ordered) is promised 0; elsewhere async
   * pipelining and retries to other queues make it a figure, not a failure.
   */
  reordered: number
  /** Consumer deliveries of our messages, duplicates included. */
  deliveries: number
}

export type Validity = true | false | 'unknown'

export interface CheckResult {
  valid: Validity
  counts: AuditCounts
  /** Up to SAMPLE_LIMIT identities "pid:seq" per class (and for lostFromStore). */
  samples: Partial<Record<AuditSampleKey, string[]>>
  error?: string
}

export interface AuditInput {
  /** One array per producer worker ledger. */
  producers: ProducerLog[]
  /** One log per consumer worker ledger; all workers belong to the one consumer group. */
  deliveries: DeliveryLog[]
  /** The post-run read of every queue from offset 0 (main, %RETRY% and %DLQ% topics, each replica read). */
  drained: DeliveryLog
}

export interface Checker {
  name: string
  check(input: AuditInput): CheckResult
}

export const SAMPLE_LIMIT = 10

export function emptyCounts(): AuditCounts {
  return {
    attempted: 0, acked: 0, delivered: 0, ok: 0, lost: 0, duplicated: 0, recovered: 0, unexpected: 0,
    corrupt: 0, missingUnconfirmed: 0, lostFromStore: 0, reordered: 0, deliveries: 0,
  }
}

const VALIDITY_RANK: Record<string, number> = {true: 0, unknown: 1, false: 2}

/** The worse of two validities: false beats unknown beats true. */
export function worstValidity(a: Validity, b: Validity): Validity {
  return VALIDITY_RANK[String(a)]! >= VALIDITY_RANK[String(b)]! ? a : b
}

/** Runs a check; if it throws, the answer is 'unknown' with the error, never a crash of the audit. */
export function guardCheck(name: string, check: () => CheckResult): CheckResult {
  try {
    return check()
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    return {valid: 'unknown', counts: emptyCounts(), samples: {}, error: `${name}: ${message}`}
  }
}

/** Runs every checker on the same input (each guarded) and composes the answers. */
export function checkAll(checkers: readonly Checker[], input: AuditInput): CheckResult {
  return compose(checkers.map((c) => guardCheck(c.name, () => c.check(input))))
}

/**
 * Worst validity wins; counts add up, so compose results over disjoint inputs (topics, broker
 * groups) — a checker that classifies nothing (e.g. order) returns empty counts; samples are
 * concatenated up to SAMPLE_LIMIT per class; errors are joined. compose([]) is valid.
 */
export function compose(results: readonly CheckResult[]): CheckResult {
  const out: CheckResult = {valid: true, counts: emptyCounts(), samples: {}}
  const errors: string[] = []
  for (const r of results) {
    out.valid = worstValidity(out.valid, r.valid)
    for (const k of Object.keys(out.counts) as (keyof AuditCounts)[]) out.counts[k] += r.counts[k]
    for (const cls of AUDIT_SAMPLE_KEYS) {
      const ids = r.samples[cls]
      if (ids === undefined || ids.length === 0) continue
      const into = (out.samples[cls] ??= [])
      for (const id of ids) if (into.length < SAMPLE_LIMIT) into.push(id)
    }
    if (r.error !== undefined) errors.push(r.error)
  }
  if (errors.length > 0) out.error = errors.join('; ')
  return out
}
