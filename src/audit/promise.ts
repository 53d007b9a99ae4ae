/** The verdict's vocabulary: a run's mode, one promise check and its outcome. */
import type {CheckResult} from './checker.js'
import type {LossEvidence} from './loss-window.js'
import type {BrokerRole, FlushDiskType} from '../protocol/common/broker-role.js'

export interface RunMode {
  flushDiskType: FlushDiskType
  brokerRole: BrokerRole
  /** Fault types injected during the run (chaos/faults names: kill, pause, power-loss, ...). */
  faults: string[]
  /** Lost acks, cuts and flusher settings, for the modes whose promise is a window rather than zero. */
  evidence?: LossEvidence
  /** An orderly workload (workload.ordered): each producer's messages must be stored in send order per queue. */
  ordered?: boolean
}

export interface VerdictCheck {
  name: string
  promise: string
  observed: string
  pass: boolean
  lostSamples?: string[]
  /** Passed, but proves less than it claims (a fault that injected nothing): shown, and a FAIL under --strict. */
  weak?: boolean
}

export interface Verdict {
  pass: boolean
  checks: VerdictCheck[]
  /** Some check passed weakly (see VerdictCheck.weak). */
  weak?: boolean
}

export type PromiseCheck = (audit: CheckResult, mode: RunMode) => VerdictCheck
