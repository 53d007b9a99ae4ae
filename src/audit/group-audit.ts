/**
 * Classifies every message of a run from its record: the producer ledgers, each consumer group's
 * delivery ledgers and the post-run read of every queue. Pure: the same record gives the same audit,
 * during the run or later with `mqbench audit <run-dir>`.
 *
 * Each consumer group is audited apart (a message consumed once by each of four side-by-side groups
 * is four "ok"s, not a duplicate). With one group the run's audit is that group's; with several it is
 * the store's view (what the drain found, no deliveries), made no better than any group's: validity,
 * corrupt and unexpected are the worst a group saw. What each group did is in the consumption audit.
 */
import {type AuditInput, type CheckResult, compose, worstValidity} from './checker.js'
import {checkQueue} from './queue-checker.js'
import type {Practice} from './consumption-verdict.js'
import {groupRetryTopicIndex, MAIN_TOPIC_INDEX, RETRY_TOPIC_INDEX} from '../recorder/ledger/delivery-ledger.js'
import {type DeliveryLog, DeliveryLogBuilder} from '../recorder/ledger/delivery-log.js'
import type {ProducerLog} from '../recorder/ledger/producer-log.js'

/** One consumer group as recorded: its workers (consumer-<i>) and every delivery ledger they wrote. */
export interface RecordedGroup {
  consumerGroup: string
  /** undefined = plain pull consumer */
  behaviour?: {name: Practice}
  workers: string[]
  deliveries: DeliveryLog[]
}

/** One consumer group's share of the audit: its own ledgers, the main topic and its own %RETRY%/%DLQ% (topic 1 and 2). */
export interface GroupAudit {
  group: RecordedGroup
  input: AuditInput
  queue: CheckResult
}

export interface QueueAudit {
  result: CheckResult
  /** What the checker read, for evidence beyond the counts (loss windows). */
  input: AuditInput
  groups: GroupAudit[]
  drained: number
}

/**
 * The main topic plus group k's own retry/DLQ copies, renumbered 1 and 2 as the checkers expect. The drain
 * itself when that changes nothing (one group: its topics are already 1 and 2), so a big read is not copied.
 */
function drainedFor(drained: DeliveryLog, k: number): DeliveryLog {
  const retry = groupRetryTopicIndex(k)
  const keeps = (t: number): boolean => t === MAIN_TOPIC_INDEX || t === retry || t === retry + 1
  let asIs = retry === RETRY_TOPIC_INDEX
  for (let i = 0; asIs && i < drained.length; i++) asIs = keeps(drained.topic(i))
  if (asIs) return drained
  const out = new DeliveryLogBuilder()
  for (let i = 0; i < drained.length; i++) {
    const t = drained.topic(i)
    if (t === MAIN_TOPIC_INDEX) out.appendFrom(drained, i)
    else if (keeps(t)) out.push({...drained.at(i), topic: t - retry + RETRY_TOPIC_INDEX})
  }
  return out.build()
}

/** Drained topic index 1 + 2k and 2 + 2k are group k's %RETRY% and %DLQ% (see workload/drain.ts drainRun). */
export function auditGroups(producers: ProducerLog[], groups: RecordedGroup[], drained: DeliveryLog): QueueAudit {
  const audits = groups.map((group, k): GroupAudit => {
    const input: AuditInput = {producers, deliveries: group.deliveries, drained: drainedFor(drained, k)}
    return {group, input, queue: checkQueue(input)}
  })
  if (audits.length === 1) {
    const only = audits[0]!
    return {result: compose([only.queue]), input: only.input, groups: audits, drained: drained.length}
  }
  const input: AuditInput = {producers, deliveries: [], drained}
  const result = storeViewNoBetterThanGroups(checkQueue(input), audits.map((g) => g.queue))
  return {result, input, groups: audits, drained: drained.length}
}

function storeViewNoBetterThanGroups(store: CheckResult, groups: CheckResult[]): CheckResult {
  const out: CheckResult = {...store, counts: {...store.counts}, samples: {...store.samples}}
  const errors = store.error === undefined ? [] : [store.error]
  for (const g of groups) {
    out.valid = worstValidity(out.valid, g.valid)
    out.counts.delivered += g.counts.delivered
    out.counts.deliveries += g.counts.deliveries
    for (const k of ['corrupt', 'unexpected'] as const) {
      if (g.counts[k] <= out.counts[k]) continue
      out.counts[k] = g.counts[k]
      out.samples[k] = g.samples[k] ?? []
    }
    if (g.error !== undefined) errors.push(g.error)
  }
  if (errors.length > 0) out.error = errors.join('; ')
  return out
}
