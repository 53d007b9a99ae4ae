/**
 * Did the run test anything? The mode promises (verdict.ts) are about the messages that were sent; a
 * run that sent nothing, or whose every send failed, keeps them all vacuously. These checks make the
 * load itself a promise: enough SEND_OK against what was intended, errors and drops bounded, consumers
 * that consumed. Seen in the field: 0 SEND_OK and 100 % MESSAGE_ILLEGAL printed PASS; so did a
 * sendMsgTimeout that timed every send out.
 * For chaos, a fault that injected nothing, or a power cut that found no unsynced byte to destroy,
 * proves little: such a run is `weak` (shown, and a FAIL under --strict), not silently green.
 * Pure functions of counts, so `report` can redraw them and tests can feed them directly.
 */
import type {FaultOutcome, HealthLimits, RecordedHealth} from '../recorder/audit-record.js'
import type {CheckResult} from './checker.js'
import type {VerdictCheck} from './verdict.js'

export type {FaultOutcome, HealthLimits}

/** Measured-window figures (warm-up excluded, as recorded) plus the audit's whole-run acked/delivered. */
export type LoadFigures = RecordedHealth['figures'] & {
  /** Audit, warm-up included on both sides: SEND_OK identities and distinct identities consumers received. */
  acked: number
  delivered: number
}

/** After a heal, clients reconnect and refresh routes before sends succeed again; that second is the fault's too. */
export const RECOVERY_GRACE_S = 1

export const DEFAULT_MIN_SEND_OK_PCT = 50
/** Errors and drops: a fault-free run must be nearly clean; a chaos run is judged outside its fault windows, but its clients are still recovering. */
export const DEFAULT_MAX_ERROR_PCT = {run: 10, chaos: 25} as const
export const DEFAULT_MIN_CONSUMED_PCT = 50

export function healthLimits(given: Partial<HealthLimits> | undefined, chaos: boolean): HealthLimits {
  return {
    minSendOkPct: given?.minSendOkPct ?? DEFAULT_MIN_SEND_OK_PCT,
    maxErrorPct: given?.maxErrorPct ?? DEFAULT_MAX_ERROR_PCT[chaos ? 'chaos' : 'run'],
    minConsumedPct: given?.minConsumedPct ?? DEFAULT_MIN_CONSUMED_PCT,
  }
}

const pct = (n: number, of: number): string => (of === 0 ? '—' : `${((100 * n) / of).toFixed(n === of ? 0 : 1)} %`)
const count = (n: number): string => n.toLocaleString('en-US')

/**
 * The fault windows (grace added) merged and clipped to the load window; unclipped at the end for errors, which
 * go on after the load window while a fault outlasts it (a power-cut JVM restarting, retries failing meanwhile).
 */
function faultSpans(f: LoadFigures, clipEnd = true): {from: number; to: number}[] {
  const spans = (f.faultWindowsS ?? []).map((w) => ({from: Math.max(0, w.from - (f.inFlightS ?? 0)), to: clipEnd ? Math.min(f.durationS, w.to + RECOVERY_GRACE_S) : w.to + RECOVERY_GRACE_S}))
    .filter((w) => w.to > w.from).sort((a, b) => a.from - b.from)
  const merged: {from: number; to: number}[] = []
  for (const w of spans) {
    const last = merged[merged.length - 1]
    if (last && w.from <= last.to) last.to = Math.max(last.to, w.to)
    else merged.push({...w})
  }
  return merged
}

/** Seconds of the load window outside every fault (the whole window without faults). */
function healthySeconds(f: LoadFigures): number {
  return Math.max(0, f.durationS - faultSpans(f).reduce((n, w) => n + (w.to - w.from), 0))
}

/** What the schedule meant to send in the load window (outside faults); with rate 0 (max) what was started. */
function intendedSends(f: LoadFigures): {n: number; what: string} {
  if (f.targetRate > 0) {
    const s = Math.round(healthySeconds(f) * 100) / 100
    const outside = f.faultWindowsS?.length ? ' outside faults' : ''
    return {n: Math.round(f.targetRate * s), what: `intended${outside} (${count(f.targetRate)} msg/s × ${s} s)`}
  }
  return {n: f.statuses + f.errors + f.written, what: 'started (rate 0: as fast as possible)'}
}

/** Errors of the seconds that overlap no fault window; all errors without faults (or without a timeline). */
function errorsOutsideFaults(f: LoadFigures): number {
  const spans = faultSpans(f, false)
  if (spans.length === 0 || !f.errorsBySecond) return f.errors
  return f.errorsBySecond.filter((p) => !spans.some((w) => p.t + 1 > w.from && p.t < w.to)).reduce((n, p) => n + p.errors, 0)
}

/**
 * Chaos runs whose faults cover (nearly) the whole load window leave no time to judge the load by: the row
 * says so and marks the run weak rather than failing it on an empty denominator.
 */
function notJudged(name: string, promise: string, f: LoadFigures): VerdictCheck | undefined {
  if (!f.faultWindowsS?.length || f.targetRate <= 0 || healthySeconds(f) >= 1) return undefined
  return {name, promise, observed: `faults covered the load window (${f.durationS} s) all but ${healthySeconds(f).toFixed(2)} s: not judged`, pass: true, weak: true}
}

function loadHappened(f: LoadFigures, limits: HealthLimits): VerdictCheck {
  const intended = intendedSends(f)
  const skip = notJudged('load-happened', `SEND_OK ≥ ${limits.minSendOkPct} % of sends intended outside faults`, f)
  if (skip) return skip
  const oneway = f.sendMode === 'oneway'
  const done = oneway ? f.written : f.sendOk
  const word = oneway ? 'oneway sends written' : 'SEND_OK'
  const floor = Math.ceil((intended.n * limits.minSendOkPct) / 100)
  return {
    name: 'load-happened',
    promise: `${word} ≥ ${limits.minSendOkPct} % of sends ${intended.what.replace(/ \(.*/, '')} in the load window (warm-up excluded)`,
    observed: `${count(done)} ${word} of ${count(intended.n)} ${intended.what} = ${pct(done, intended.n)}`,
    pass: intended.n > 0 && done >= floor && done > 0,
  }
}

function errorsBounded(f: LoadFigures, limits: HealthLimits): VerdictCheck {
  const intended = intendedSends(f)
  const skip = notJudged('errors-bounded', `send errors outside fault windows ≤ ${limits.maxErrorPct} % of sends intended outside faults`, f)
  if (skip) return skip
  if (f.faultWindowsS?.length) {
    // Drops pile up while a broker is down (the in-flight bound is full); only errors are counted per second.
    const bad = errorsOutsideFaults(f)
    return {
      name: 'errors-bounded',
      promise: `send errors outside fault windows ≤ ${limits.maxErrorPct} % of sends ${intended.what.replace(/ \(.*/, '')}`,
      observed: `${count(bad)} errors outside faults = ${pct(bad, intended.n)} of ${count(intended.n)} (all: ${count(f.errors)} errors, ${count(f.dropped)} dropped)`,
      pass: bad <= (intended.n * limits.maxErrorPct) / 100,
    }
  }
  const bad = f.errors + f.dropped
  return {
    name: 'errors-bounded',
    promise: `send errors + dropped sends ≤ ${limits.maxErrorPct} % of sends ${intended.what.replace(/ \(.*/, '')} (load window)`,
    observed: `${count(f.errors)} errors + ${count(f.dropped)} dropped = ${pct(bad, intended.n)} of ${count(intended.n)}`,
    pass: bad <= (intended.n * limits.maxErrorPct) / 100,
  }
}

function consumersConsumed(f: LoadFigures, limits: HealthLimits): VerdictCheck {
  // The drain after the run finds every stored message by itself, so no-lost passes even when no consumer
  // ever consumed: the consumers' own deliveries are checked here.
  const base = f.sendMode === 'oneway' ? f.written : f.acked
  const word = f.sendMode === 'oneway' ? 'oneway sends' : 'SEND_OK messages'
  if (f.consumers === 0) {
    return {name: 'consumed', promise: 'consumers consumed (none configured)', observed: 'workload.consumers: 0', pass: true}
  }
  return {
    name: 'consumed',
    promise: `consumers received ≥ ${limits.minConsumedPct} % of ${word} (warm-up included)`,
    observed: `${count(f.delivered)} of ${count(base)} received = ${pct(f.delivered, base)}`,
    pass: base > 0 && f.delivered * 100 >= base * limits.minConsumedPct,
  }
}

/** The load checks, in the order a reader asks them: was there load, was it clean, was it consumed. */
export function loadChecks(f: LoadFigures, limits: HealthLimits): VerdictCheck[] {
  return [loadHappened(f, limits), errorsBounded(f, limits), consumersConsumed(f, limits)]
}

function faultsEffective(planned: number, faults: FaultOutcome[]): VerdictCheck {
  const idle = faults.filter((f) => !f.injected)
  const skipped = Math.max(0, planned - faults.length)
  const problems = [
    ...idle.map((f) => `${f.action} ${f.target} injected nothing`),
    ...(skipped > 0 ? [`${skipped} scheduled fault(s) never fired (the load ended first)`] : []),
  ]
  return {
    name: 'faults-injected',
    promise: 'every scheduled fault hit a live target (else the run proves less than it claims: weak)',
    observed: problems.length === 0 ? `${faults.length} of ${planned} injected` : problems.join('; '),
    pass: true,
    ...(problems.length > 0 ? {weak: true} : {}),
  }
}

function cutsDestroyedSomething(cuts: FaultOutcome[]): VerdictCheck {
  const empty = cuts.filter((c) => c.unsyncedBytes === undefined || c.unsyncedBytes === 0)
  const total = cuts.reduce((n, c) => n + (c.unsyncedBytes ?? 0), 0)
  const unmeasured = empty.filter((c) => c.unsyncedBytes === undefined).length
  return {
    name: 'power-cut-effective',
    promise: 'each power cut destroyed unsynced bytes (a cut with nothing unsynced tests no recovery: weak)',
    observed: empty.length === 0
      ? `${cuts.length} cut(s) destroyed ${count(total)} unsynced bytes`
      : `${empty.length} of ${cuts.length} cut(s) found no unsynced byte${unmeasured > 0 ? ` (${unmeasured} not measured)` : ''}; ${count(total)} bytes destroyed in all`,
    pass: true,
    ...(empty.length > 0 ? {weak: true} : {}),
  }
}

/** Chaos only: rows that never FAIL by themselves, but mark the run weak when the faults tested little. */
export function faultChecks(planned: number, faults: FaultOutcome[]): VerdictCheck[] {
  if (planned === 0 && faults.length === 0) return []
  const cuts = faults.filter((f) => f.action === 'power-loss' && f.injected)
  return [faultsEffective(planned, faults), ...(cuts.length > 0 ? [cutsDestroyedSomething(cuts)] : [])]
}

/** Every health row of an audited run: the load checks over the recorded figures and the audit's counts, then the fault rows. */
export function healthChecks(h: RecordedHealth, audit: CheckResult): VerdictCheck[] {
  const acked = audit.counts.acked
  const figures: LoadFigures = {
    ...h.figures, sendOk: Math.max(h.figures.sendOk, h.figures.targetRate > 0 ? acked - h.warmupIntended : 0), acked, delivered: audit.counts.delivered,
  }
  return [...loadChecks(figures, h.limits), ...(h.chaos ? faultChecks(h.faultsPlanned, h.faultOutcomes) : [])]
}
