/**
 * How long the final read may take, and what it means when it runs out. A fixed deadline (the
 * scenario's drainTimeout, 15 s by default) was missed by every 60 s run at the maximum rate (1–1.4M
 * messages); the deadline now grows with what must be read. Running out of time is not a crash and
 * not a loss: it is an audit that could not decide ("audit incomplete"), with a result.json.
 */
import type {CheckResult} from './checker.js'
import {emptyCounts} from './checker.js'

/**
 * A conservative floor for the drain's read rate, msg/s: replicas reached over loopback by one pull
 * consumer, several queues at a time, on a loaded machine (the goal is 1M/s; a tenth of it is budgeted).
 */
export const DRAIN_MIN_RATE_PER_S = 100_000

/** The drain's absolute deadline: the scenario's drainTimeout plus time for every acked entry at the floor rate. */
export function drainDeadlineMs(nowMs: number, drainTimeoutMs: number, expectedEnds: ReadonlyMap<string, number>): number {
  let entries = 0
  for (const end of expectedEnds.values()) entries += end
  return nowMs + drainTimeoutMs + Math.ceil((entries / DRAIN_MIN_RATE_PER_S) * 1000)
}

/** The audit when the drain ran out of time: undecided, so the verdict's audit-complete row fails. */
export function incompleteAudit(reason: string): CheckResult {
  return {valid: 'unknown', counts: emptyCounts(), samples: {}, error: `audit incomplete: ${reason}`}
}
