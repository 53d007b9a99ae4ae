/**
 * The whole audit of one run, as one pure function of what the run recorded: the queue audit (per
 * consumer group), the consumption audit of behaviour groups, the loss-window evidence of chaos runs
 * and the verdict. The run calls it right after its drain; `mqbench audit <run-dir>` calls it again
 * on the same files, so both print the same audit and verdict.
 */
import type {AuditRecord} from '../recorder/audit-record.js'
import {DeliveryLog} from '../recorder/ledger/delivery-log.js'
import type {ProducerLog} from '../recorder/ledger/producer-log.js'
import type {BrokerRole, FlushDiskType} from '../protocol/common/broker-role.js'
import type {AuditInput, CheckResult} from './checker.js'
import {consumptionAudit, type ConsumptionAudit} from './consumption-audit.js'
import {auditGroups, type QueueAudit, type RecordedGroup} from './group-audit.js'
import {incompleteAudit} from './drain-budget.js'
import {findLostAcks, type LossEvidence} from './loss-window.js'
import {recoveryLosses, type RecoveryLoss} from './recovery-losses.js'
import {healthChecks} from './run-health.js'
import {runVerdict, type Verdict, type VerdictCheck} from './verdict.js'

/** What the audit needs to know of the scenario: the master's mode and the workload's promises. */
export interface AuditSpec {
  /** The workload's topic (recovery cuts are matched by "<topic>-<queueId>"). */
  topic: string
  flushDiskType: FlushDiskType
  brokerRole: BrokerRole
  ordered?: boolean
  messageSizeBytes: number
  /** Set when the workload has behaviour consumers (workload.consumer). */
  maxReconsumeTimes?: number
}

/** The ledgers of a run, read back (recorder/run-ledgers.ts) and grouped by consumer group. */
export interface RunRecord {
  spec: AuditSpec
  producers: ProducerLog[]
  /** Per producer ledger, the broker names its entries' brokerName indexes point into. */
  producerBrokerNames: string[][]
  groups: RecordedGroup[]
  /** Torn-tail bytes the ledger readers dropped (killed workers). */
  ignoredLedgerBytes: number
}

export interface RunAudit {
  queue: QueueAudit
  consumption?: ConsumptionAudit
  evidence?: LossEvidence
  /** Store recoveries during the run that cut or rebuilt something, with the SEND_OKs each took. */
  recovery?: RecoveryLoss[]
  verdict: Verdict
}

// Header (~100 B) + the identity properties, UNIQ_KEY, KEYS and topic: close enough to count dirty pages.
const RECORD_OVERHEAD_BYTES = 260

export function auditRun(record: RunRecord, drained: DeliveryLog, evidence: AuditRecord): RunAudit {
  if (evidence.incomplete !== undefined) return undecidedAudit(record, evidence)
  const queue = auditGroups(record.producers, record.groups, drained)
  const consumption = consumptionAudit(record.spec.maxReconsumeTimes, queue.groups, evidence.consumerCounts)
  const loss = evidence.chaos ? lossEvidence(evidence.chaos, record.spec, queue.input) : undefined
  const health = evidence.health ? healthChecks(evidence.health, queue.result) : []
  const verdict = auditVerdict(queue.result, record.spec, evidence.faultTypes, loss, consumption, health)
  const recovery = evidence.recoveries && evidence.recoveries.length > 0 ? recoveryLosses(
    record.spec.topic, record.producers.map((log, i) => ({log, brokerNames: record.producerBrokerNames[i] ?? []})), drained, evidence.recoveries,
  ) : undefined
  return {queue, ...(consumption && {consumption}), ...(loss && {evidence: loss}), ...(recovery && {recovery}), verdict}
}

/** The final read ran out of time: unread is not lost, so nothing is classified and the audit-complete row fails. */
function undecidedAudit(record: RunRecord, evidence: AuditRecord): RunAudit {
  const result = incompleteAudit(evidence.incomplete!)
  const queue = {result, input: {producers: record.producers, deliveries: [], drained: DeliveryLog.of([])}, groups: [], drained: 0}
  return {queue, verdict: auditVerdict(result, record.spec, evidence.faultTypes, undefined, undefined)}
}

function lossEvidence(chaos: NonNullable<AuditRecord['chaos']>, spec: AuditSpec, input: AuditInput): LossEvidence {
  const {lost, ackTimesMs} = findLostAcks(input)
  return {lostAcks: lost, cuts: chaos.cuts, flusher: chaos.flusher, recordBytes: spec.messageSizeBytes + RECORD_OVERHEAD_BYTES, ackTimesMs, brokenDisks: chaos.brokenDisks ?? []}
}

/** The broker's promises for the mode and faults, then each behaviour group's. */
export function auditVerdict(
  audit: CheckResult, spec: AuditSpec, faultTypes: string[], evidence: LossEvidence | undefined, consumption: ConsumptionAudit | undefined,
  health: VerdictCheck[] = [],
): Verdict {
  const broker = runVerdict(audit, {flushDiskType: spec.flushDiskType, brokerRole: spec.brokerRole, faults: faultTypes, evidence, ordered: spec.ordered})
  const more = [...health, ...(consumption?.checks ?? [])]
  const weak = more.some((c) => c.weak === true)
  return {pass: broker.pass && more.every((c) => c.pass), checks: [...broker.checks, ...more], ...(weak ? {weak} : {})}
}

/** A run that did not complete fails, whatever its audit says. */
export function verdictForStatus(verdict: Verdict, status: string): Verdict {
  if (status === 'completed') return verdict
  return {...verdict, pass: false, checks: [...verdict.checks, {name: 'run-completed', promise: 'the run completes', observed: `run ${status}`, pass: false}]}
}
