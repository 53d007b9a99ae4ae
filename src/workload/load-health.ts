/**
 * The load checks' inputs, taken when the load and the faults are over and written into the audit
 * record, so the run and `mqbench audit <run-dir>` judge "did the run test anything" from the same
 * figures (audit/run-health.ts).
 */
import {totalErrors, totalStatuses, type TimelinePoint} from '../metrics/index.js'
import type {FaultOutcome, HealthLimits, RecordedHealth} from '../recorder/audit-record.js'
import type {Scenario} from '../scenario/schema.js'
import type {LoadTotals} from './load-metrics.js'

export function recordedHealth(run: {
  scenario: Scenario; totals: LoadTotals | undefined; timeline: TimelinePoint[]; faultOutcomes: FaultOutcome[]; faultsPlanned: number; limits: HealthLimits
}): RecordedHealth {
  const w = run.scenario.workload
  const c = run.totals?.counters
  const outcomes = run.faultOutcomes
  return {
    figures: {
      sendMode: w.sendMode, targetRate: w.rate, durationS: w.duration / 1000, sendOk: c?.SEND_OK ?? 0, statuses: c ? totalStatuses(c) : 0,
      errors: c ? totalErrors(c) : 0, dropped: c?.dropped ?? 0, written: w.sendMode === 'oneway' ? run.totals?.sendService.count ?? 0 : 0,
      consumers: w.consumers,
      // From each inject's start (a slow inject disrupts while it works) to its heal; not healed: to the end.
      faultWindowsS: outcomes.filter((o) => o.injected).map((o) => o.windowS ?? {from: 0, to: w.duration / 1000}),
      errorsBySecond: run.timeline.map((pt) => ({t: pt.t, errors: pt.errors})),
      inFlightS: Math.min(w.sendMsgTimeout, run.totals?.send.p90 ?? 0) / 1000,
    },
    warmupIntended: w.rate > 0 ? Math.round((w.rate * w.warmup) / 1000) : 0,
    limits: run.limits,
    chaos: run.scenario.faults.length > 0, faultsPlanned: run.faultsPlanned, faultOutcomes: outcomes,
  }
}
