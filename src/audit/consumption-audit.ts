/**
 * The consumer-side audit of a run with workload.consumer: per behaviour group, what the application
 * did with the messages (checkConsumption), how the retry path behaved (copies in %RETRY% and %DLQ%,
 * retries per dead letter) and what each practice promises (consumptionChecks) for the verdict.
 */
import {checkConsumption} from './consumption-checker.js'
import {consumptionChecks} from './consumption-verdict.js'
import {DLQ_TOPIC_INDEX, NOT_OURS, RETRY_TOPIC_INDEX, type DeliveryEntry} from '../recorder/ledger/delivery-ledger.js'
import type {VerdictCheck} from './verdict.js'
import type {BehaviourCounts} from '../recorder/audit-record.js'
import type {GroupAudit} from './group-audit.js'


export interface ConsumptionAudit {
  section: ConsumptionResultSection
  checks: VerdictCheck[]
}

export interface Range {
  min: number
  max: number
}

/**
 * One consumer group run under a behaviour (workload.consumer): what the application did with the
 * messages, beside what the broker kept. lost = SEND_OK, never processed, not in %DLQ%.
 */
export interface ConsumptionGroupResult {
  consumerGroup: string
  behaviour: string
  /** Processing effects must cover every SEND_OK message not dead-lettered. */
  valid: boolean
  acked: number
  processed: number
  lost: number
  deadLettered: number
  /** Identities processed more than once, split by cause. */
  duplicated: number
  duplicatedBrokerCaused: number
  duplicatedRetryCaused: number
  /** Processing effects of copies that came back through %RETRY% (reconsumeTimes > 0). */
  retried: number
  processings: number
  /** Copies of our messages found in %RETRY%<group> and %DLQ%<group> after the run. */
  retryCopies: number
  dlqCopies: number
  /** Per dead-lettered message: how many retries it had (distinct reconsumeTimes in %RETRY%), and its %DLQ% copy's reconsumeTimes. */
  deadLetterRetries?: Range
  dlqReconsumeTimes?: Range
  /** What the workers reported doing (failures, swallowed errors, send-backs, skipped duplicates). */
  worker?: BehaviourCounts
  samples: Record<string, string[]>
}

export interface ConsumptionResultSection {
  maxReconsumeTimes: number
  groups: ConsumptionGroupResult[]
}

const keyOf = (e: DeliveryEntry): number => e.producerId * 2 ** 32 + e.seq

function widen(r: Range | undefined, v: number): Range {
  return r === undefined ? {min: v, max: v} : {min: Math.min(r.min, v), max: Math.max(r.max, v)}
}

/** Retry-path evidence from the drain: a dead letter's retries are the distinct reconsumeTimes of its %RETRY% copies. */
function retryPath(drained: Iterable<DeliveryEntry>): Pick<ConsumptionGroupResult, 'retryCopies' | 'dlqCopies' | 'deadLetterRetries' | 'dlqReconsumeTimes'> {
  const retries = new Map<number, Set<number>>()
  const dead = new Map<number, number>()
  let retryCopies = 0
  let dlqCopies = 0
  for (const e of drained) {
    if (e.producerId === NOT_OURS) continue
    if (e.topic === RETRY_TOPIC_INDEX) {
      retryCopies++
      const k = keyOf(e)
      const seen = retries.get(k)
      if (seen === undefined) retries.set(k, new Set([e.reconsumeTimes]))
      else seen.add(e.reconsumeTimes)
    } else if (e.topic === DLQ_TOPIC_INDEX) {
      dlqCopies++
      dead.set(keyOf(e), e.reconsumeTimes)
    }
  }
  let deadLetterRetries: Range | undefined
  let dlqReconsumeTimes: Range | undefined
  for (const [k, times] of dead) {
    deadLetterRetries = widen(deadLetterRetries, retries.get(k)?.size ?? 0)
    dlqReconsumeTimes = widen(dlqReconsumeTimes, times)
  }
  return {retryCopies, dlqCopies, ...(deadLetterRetries && {deadLetterRetries}), ...(dlqReconsumeTimes && {dlqReconsumeTimes})}
}

/** Consumer reports by worker name (consumer-<i>), as the run recorded them. */
export type ConsumerCounts = ReadonlyArray<{worker: string; counts: BehaviourCounts}>

function workerCounts(workers: string[], reports: ConsumerCounts): BehaviourCounts | undefined {
  const mine = reports.filter((r) => workers.includes(r.worker))
  if (mine.length === 0) return undefined
  const sum: BehaviourCounts = {processed: 0, failed: 0, swallowed: 0, sentBack: 0, sendBackFailed: 0, skippedDuplicates: 0}
  for (const r of mine) for (const k of Object.keys(sum) as (keyof BehaviourCounts)[]) sum[k] += r.counts[k]
  return sum
}

/** undefined for plain consumers (no workload.consumer; maxReconsumeTimes undefined): their ledgers record receipts, not effects. */
export function consumptionAudit(maxReconsumeTimes: number | undefined, groups: GroupAudit[], reports: ConsumerCounts): ConsumptionAudit | undefined {
  if (maxReconsumeTimes === undefined) return undefined
  const out: ConsumptionGroupResult[] = []
  const checks: VerdictCheck[] = []
  for (const {group, input} of groups) {
    if (group.behaviour === undefined) continue
    const r = checkConsumption(input)
    const c = r.counts
    const worker = workerCounts(group.workers, reports)
    out.push({
      consumerGroup: group.consumerGroup, behaviour: group.behaviour.name, valid: r.valid, acked: c.acked, processed: c.processed,
      lost: c.unprocessed, deadLettered: c.deadLettered, duplicated: c.duplicated, duplicatedBrokerCaused: c.duplicatedBrokerCaused,
      duplicatedRetryCaused: c.duplicatedRetryCaused, retried: c.retriedProcessings, processings: c.processings,
      ...retryPath(input.drained), ...(worker && {worker}), samples: r.samples as Record<string, string[]>,
    })
    checks.push(...consumptionChecks(group.behaviour.name, group.consumerGroup, r))
  }
  return {section: {maxReconsumeTimes, groups: out}, checks}
}
