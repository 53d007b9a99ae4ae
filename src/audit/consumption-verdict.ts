/**
 * What each consumer practice promises, checked against the consumption audit — the consumer-side
 * twin of verdict.ts. A correct practice promises no loss (and idempotent also no duplicate); an
 * anti-pattern promises nothing, so its loss is shown as the expected outcome, not a failed run:
 * the point of consumer-anti-patterns is to make that loss visible and countable.
 */
import type {VerdictCheck} from './verdict.js'
import type {ConsumptionResult} from './consumption-checker.js'

export type Practice = 'ack-after-process' | 'ack-before-process' | 'swallow-errors' | 'reconsume-later' | 'idempotent'

const ANTI_PATTERNS: ReadonlySet<Practice> = new Set(['ack-before-process', 'swallow-errors'])

export function consumptionChecks(practice: Practice, group: string, r: ConsumptionResult): VerdictCheck[] {
  const c = r.counts
  const lossObserved = c.unprocessed === 0
    ? `all ${c.acked} SEND_OK messages processed or dead-lettered (${c.deadLettered} in %DLQ%)`
    : `${c.unprocessed} of ${c.acked} SEND_OK messages never processed`
  const checks: VerdictCheck[] = []
  if (ANTI_PATTERNS.has(practice)) {
    checks.push({
      name: `${group}: loss shown`, promise: `${practice} promises nothing: its losses are the measurement`, observed: lossObserved, pass: true,
    })
  } else {
    const check: VerdictCheck = {name: `${group}: no-unprocessed`, promise: `${practice}: every SEND_OK message processed or dead-lettered`, observed: lossObserved, pass: c.unprocessed === 0}
    if (c.unprocessed > 0) check.lostSamples = r.samples.unprocessed ?? []
    checks.push(check)
  }
  if (practice === 'idempotent') {
    checks.push({
      name: `${group}: no-duplicate-effect`, promise: 'idempotent: no message processed twice',
      observed: c.duplicated === 0 ? 'no message processed twice' : `${c.duplicated} processed more than once`, pass: c.duplicated === 0,
    })
  }
  return checks
}
