/**
 * The consumer-side audit of a run with workload.consumer: per behaviour group, what the application
 * did with the messages (checkConsumption), how the retry path behaved (copies in %RETRY% and %DLQ%,
 * retries per dead letter) and what each practice promises (consumptionChecks) for the verdict.
 */
import {checkConsumption, DLQ_TOPIC_INDEX} from './consumption-checker.js'
import {consumptionChecks} from './consumption-verdict.js'
import {NOT_OURS, type DeliveryEntry} from '../recorder/ledger/delivery-ledger.js'
import type {VerdictCheck} from './verdict.js'
import type {ConsumptionGroupResult, ConsumptionResultSection, Range} from '../report/run-result.js'
import type {Scenario} from '../scenario/schema.js'
import type {DoneMessage} from '../workload/worker-messages.js'
import {emptyBehaviourCounts, type BehaviourCounts} from '../workload/consumer-behaviours/behaviour-consumer.js'
import type {GroupAudit} from './group-audit.js'

const RETRY_TOPIC_INDEX = 1

export interface ConsumptionAudit {
  section: ConsumptionResultSection
  checks: VerdictCheck[]
}

const keyOf = (e: DeliveryEntry): number => e.producerId * 2 ** 32 + e.seq

function widen(r: Range | undefined, v: number): Range {
  return r === undefined ? {min: v, max: v} : {min: Math.min(r.min, v), max: Math.max(r.max, v)}
}

/** Retry-path evidence from the drain: a dead letter's retries are the distinct reconsumeTimes of its %RETRY% copies. */
function retryPath(drained: DeliveryEntry[]): Pick<ConsumptionGroupResult, 'retryCopies' | 'dlqCopies' | 'deadLetterRetries' | 'dlqReconsumeTimes'> {
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

function workerCounts(workers: string[], done: DoneMessage[]): BehaviourCounts | undefined {
  const mine = done.filter((d) => d.role === 'consumer' && d.behaviourCounts && workers.includes(`consumer-${d.workerId}`))
  if (mine.length === 0) return undefined
  const sum = emptyBehaviourCounts()
  for (const d of mine) for (const k of Object.keys(sum) as (keyof BehaviourCounts)[]) sum[k] += d.behaviourCounts![k]
  return sum
}

/** undefined for plain consumers (no workload.consumer): their ledgers record receipts, not effects. */
export function consumptionAudit(scenario: Scenario, groups: GroupAudit[], done: DoneMessage[]): ConsumptionAudit | undefined {
  const spec = scenario.workload.consumer
  if (spec === undefined) return undefined
  const out: ConsumptionGroupResult[] = []
  const checks: VerdictCheck[] = []
  for (const {group, input} of groups) {
    if (group.behaviour === undefined) continue
    const r = checkConsumption(input)
    const c = r.counts
    const worker = workerCounts(group.workers, done)
    out.push({
      consumerGroup: group.consumerGroup, behaviour: group.behaviour.name, valid: r.valid, acked: c.acked, processed: c.processed,
      lost: c.unprocessed, deadLettered: c.deadLettered, duplicated: c.duplicated, duplicatedBrokerCaused: c.duplicatedBrokerCaused,
      duplicatedRetryCaused: c.duplicatedRetryCaused, retried: c.retriedProcessings, processings: c.processings,
      ...retryPath(input.drained), ...(worker && {worker}), samples: r.samples as Record<string, string[]>,
    })
    checks.push(...consumptionChecks(group.behaviour.name, group.consumerGroup, r))
  }
  return {section: {maxReconsumeTimes: spec.maxReconsumeTimes, groups: out}, checks}
}
