/**
 * MatrixResult: what one `mqbench matrix` produced ('mqbench.matrix/v1', written to <matrix-dir>/result.json).
 * Every figure links the run directory it came from, so each cell can be re-read with `mqbench report`.
 * Latencies in ms, rates in msg/s.
 */
import type {LatencySummary} from '../metrics/histograms.js'
import type {FlushDiskType, MasterRole} from '../protocol/common/broker-role.js'

export const MATRIX_RESULT_SCHEMA = 'mqbench.matrix/v1' as const

export type MatrixTarget = 'embedded' | 'rocketmq'
/** 'single': one master, no slave (the guides' single-master rows). */
export type MatrixReplication = MasterRole | 'single'
export type Verdict = 'PASS' | 'FAIL' | 'BROKEN' | 'NOT-RUN' | 'N/A'

export interface RateStepRecord {
  rate: number
  held: boolean
  reason?: string
  runDir?: string
}

export interface MaxRateRecord {
  rate: number
  /** Send latency at that rate (intended start → ack). */
  latency?: LatencySummary
  stoppedBy: string
  steps: RateStepRecord[]
}

export interface CommonRateRecord {
  rate: number
  p50: number
  p99: number
  p999: number
  /** Every send SEND_OK, none dropped behind schedule. */
  sustained: boolean
  runDir: string
}

export interface FaultRecordM {
  verdict: Verdict
  /** What the mode promises under this fault. */
  promise: string
  /** SEND_OK messages the store no longer holds after the heal (lostFromStore). */
  lost?: number
  acked?: number
  /** The run's own verdict lines that failed, or the reason it broke. */
  detail?: string
  runDir?: string
}

export interface MatrixCell {
  id: string
  target: MatrixTarget
  flushDiskType: FlushDiskType
  replication: MatrixReplication
  status: 'completed' | 'broken' | 'interrupted'
  /** Why the cell broke: the first of its runs that did. */
  brokenReason?: string
  maxRate?: MaxRateRecord
  /** maxRate / the fastest cell's maxRate. */
  relativeToFastest?: number
  common?: CommonRateRecord
  powerCut: FaultRecordM
  diskLoss: FaultRecordM
}

export interface MatrixThresholdResult {
  expression: string
  observed: number | null
  pass: boolean
}

export interface MatrixResult {
  schema: typeof MATRIX_RESULT_SCHEMA
  dir: string
  startedAt: string
  endedAt: string
  wallS: number
  status: 'completed' | 'interrupted'
  budgetMs: number
  seed: number
  client: 'mqbench' | 'java'
  maxP99Ms: number
  /** The one fixed rate every cell was measured at (below every cell's max); absent if not reached. */
  commonRate?: number
  /** Rate of the fault runs. */
  faultRate: number
  cells: MatrixCell[]
  thresholds: MatrixThresholdResult[]
}
