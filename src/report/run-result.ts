/**
 * RunResult: what one `mqbench run` produced, as written to <run-dir>/result.json and printed by
 * `--json`. It is a versioned contract ('mqbench.result/v1'): test/contract/run-result.schema.json is
 * generated from run-result-schema.ts, which is pinned to these types at compile time. Adding a field
 * means changing both and regenerating the JSON schema; renaming or removing one means a v2.
 * Times in the timeline and fault list are seconds since load start; latencies are milliseconds.
 */
import type {RecoveryLoss} from '../audit/recovery-losses.js'
import type {LatencySummary} from '../metrics/histograms.js'
import type {SendStatus} from '../metrics/send-status.js'
import type {TimelinePoint} from '../metrics/timeline.js'
import type {AuditCounts, Validity} from '../audit/checker.js'
import type {VerdictCheck} from '../audit/verdict.js'
import type {ConsumptionGroupResult, ConsumptionResultSection, Range} from '../audit/consumption-audit.js'
import type {ClientRef} from '../scenario/java-client.js'
import type {ReplicationResult} from '../cluster/replication-check.js'
import type {JvmWarmupResult} from '../workload/jvm-warmup.js'

export type {ConsumptionGroupResult, ConsumptionResultSection, Range}

/** The client implementation that drove the load: ours, or the official Apache RocketMQ Java client. */
export type {ClientRef, ReplicationResult}

export type {AuditCounts, VerdictCheck}

export const RUN_RESULT_SCHEMA = 'mqbench.result/v1' as const

export type RunStatus = 'completed' | 'interrupted' | 'broken'
export type AuditValidity = Validity

export interface ScenarioRef {
  name: string
  file: string
  description: string
  /** 'FAIL': a demonstration that must fail (fsync-lie); the report says a FAIL is the point. Absent = PASS expected. */
  expectedVerdict?: 'FAIL'
}

export interface ThroughputResult {
  sendTps: number
  consumeTps: number
  attempted: number
  acked: number
  durationS: number
  targetRate: number
}

export interface LatencyResult {
  /** Intended start → ack: corrected for coordinated omission. */
  send: LatencySummary
  /** Actual send → ack: what the broker and network cost. */
  sendService: LatencySummary
  /** Born timestamp → consumed. */
  e2e: LatencySummary
  byStatus: Partial<Record<SendStatus, LatencySummary>>
}

export type SendStatusCounts = Record<SendStatus, number>

export interface ErrorsResult {
  total: number
  timeout: number
  connection: number
  /** By response code name. */
  broker: Record<string, number>
  retries: number
  dropped: number
}

/** lostFromStore and reordered are absent in results written before they existed (read them as 0). */
export type AuditResult = Omit<AuditCounts, 'lostFromStore' | 'reordered'> & {
  lostFromStore?: number; reordered?: number; valid: AuditValidity; samples: Record<string, string[]>
}

export interface FaultRecord {
  /** Seconds since load start. */
  at: number
  action: string
  target: string
  healedAt?: number
  /** The fault in one line (fsync-lie says the power cut that follows it). Absent in older results. */
  description?: string
  /** power-loss: bytes written but not synced on the target just before the cut, i.e. what the cut destroyed at least. */
  unsyncedBytes?: number
}

export interface VerdictResult {
  pass: boolean
  checks: VerdictCheck[]
  /** Some check passed on too little evidence (see audit/run-health.ts); `--strict` turns it into exit 1. Absent = false. */
  weak?: boolean
}

/** min/max of a per-message number (absent when no message had one). */
/** One CI gate (src/report/thresholds.ts), evaluated against this result; limit in the field's unit. */
export interface ThresholdResult {
  expression: string
  field: string
  /** null: the field had no value (e.g. no SEND_OK latency), which fails the gate. */
  observed: number | null
  limit: number
  pass: boolean
}

export interface ClusterNodeResult {
  name: string
  role: string
  flushDiskType: string
  addr: string
}

export interface RunResult {
  schema: typeof RUN_RESULT_SCHEMA
  runId: string
  runDir: string
  scenario: ScenarioRef
  config: Record<string, unknown>
  target: 'embedded' | 'rocketmq'
  /** Absent in results written before the Java client existed (read: mqbench). */
  client?: ClientRef
  /** ISO 8601. */
  startedAt: string
  endedAt: string
  status: RunStatus
  throughput: ThroughputResult
  latency: LatencyResult
  sendStatus: SendStatusCounts
  errors: ErrorsResult
  audit: AuditResult
  timeline: TimelinePoint[]
  faults: FaultRecord[]
  replication?: ReplicationResult
  /** Runs with workload.consumer only: the consumer-side audit, one entry per behaviour group. */
  consumption?: ConsumptionResultSection
  /** Store recoveries during the run that cut the CommitLog or rebuilt ConsumeQueues, and the SEND_OKs each cut took. */
  recovery?: RecoveryLoss[]
  verdict: VerdictResult
  /** Absent in results written before thresholds existed; [] when none were given. */
  thresholds?: ThresholdResult[]
  cluster: ClusterNodeResult[]
  /** --target rocketmq only. */
  jvmWarmup?: JvmWarmupResult
}
