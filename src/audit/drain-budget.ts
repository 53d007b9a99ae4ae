/**
 * How long the final read may take, and what it means when it runs out. A fixed deadline (the
 * scenario's drainTimeout, 15 s by default) was missed by every 60 s run at the maximum rate (1–1.4M
 * messages); the deadline now grows with what must be read. Running out of time is not a crash and
 * not a loss: it is an audit that could not decide ("audit incomplete"), with a result.json.
 */
import type {CheckResult} from './checker.js'
import {emptyCounts} from './checker.js'

/**
 * A conservative floor for the drain's read rate, acked entries/s. `npm run bench -- audit.final_read` drained
 * 1M messages in 41–51 s (20–24k/s) on 2 cores shared with load average 17–30, and a chaos run reads every
 * replica (two copies per acked entry), so the floor is 10k/s, not the goal's 1M/s: the deadline only
 * bounds a drain that stops making progress; a healthy one ends long before it.
 */
export const DRAIN_MIN_RATE_PER_S = 10_000

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
