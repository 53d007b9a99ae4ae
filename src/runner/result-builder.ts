/** Assembles the RunResult (the result.json contract) from what each phase produced. */
import {type CheckResult, emptyCounts} from '../audit/checker.js'
import {faultChecks, healthLimits, loadChecks, type FaultOutcome} from '../audit/run-health.js'
import {runVerdict, type VerdictCheck} from '../audit/verdict.js'
import type {ClusterNode} from '../cluster/cluster.js'
import {emptyLatencySummary, SEND_STATUSES, totalErrors, totalStatuses, type TimelinePoint} from '../metrics/index.js'
import type {LossEvidence} from '../audit/loss-window.js'
import {RUN_RESULT_SCHEMA, type FaultRecord, type ReplicationResult, type RunResult, type RunStatus} from '../report/run-result.js'
import type {Scenario} from '../scenario/schema.js'
import {evaluateThresholds, type Threshold} from '../report/thresholds.js'
import type {LoadTotals} from './load-metrics.js'
import type {RunDir} from './run-dir.js'
import type {ConsumptionAudit} from './consumption-phase.js'

export interface ResultParts {
  runDir: RunDir
  scenario: Scenario
  scenarioFile: string
  startedAt: Date
  status: RunStatus
  totals: LoadTotals | undefined
  timeline: TimelinePoint[]
  audit: CheckResult | undefined
  nodes: ClusterNode[]
  replication?: ReplicationResult
  /** Faults injected and healed, seconds since load start. */
  faults?: FaultRecord[]
  /** Fault types that really happened: each selects its loss promise in the verdict. */
  faultTypes?: string[]
  /** Chaos: how many faults the schedule planned, and how each that fired went (weak-run checks). */
  faultsPlanned?: number
  faultOutcomes?: FaultOutcome[]
  evidence?: LossEvidence
  /** Runs with workload.consumer: per behaviour group, and the promises each practice makes. */
  consumption?: ConsumptionAudit
  /** CI gates, parsed before the run; evaluated against the finished result. */
  thresholds?: Threshold[]
}

const EMPTY_AUDIT: CheckResult = {
  valid: 'unknown',
  counts: emptyCounts(),
  samples: {},
  error: 'the run ended before the audit',
}

export function buildResult(p: ResultParts): RunResult {
  const result = assemble(p)
  // Gates see the finished result, so any numeric field of result.json can be named.
  return {...result, thresholds: evaluateThresholds(p.thresholds ?? [], result)}
}

function assemble(p: ResultParts): RunResult {
  const w = p.scenario.workload
  const master = p.scenario.cluster.brokers.find((b) => b.brokerId === 0)!
  const t = p.totals
  const durationS = w.duration / 1000
  const counters = t?.counters
  const audit = p.audit ?? EMPTY_AUDIT
  const broker = runVerdict(audit, {flushDiskType: master.flushDiskType, brokerRole: master.brokerRole, faults: p.faultTypes ?? [], evidence: p.evidence, ordered: w.ordered})
  const consumerChecks = [...healthChecks(p, audit), ...(p.consumption?.checks ?? [])]
  const weak = consumerChecks.some((c) => c.weak === true)
  const verdict = {pass: broker.pass && consumerChecks.every((c) => c.pass), checks: [...broker.checks, ...consumerChecks], ...(weak ? {weak} : {})}
  const sendStatus = Object.fromEntries(SEND_STATUSES.map((s) => [s, counters?.[s] ?? 0])) as RunResult['sendStatus']
  return {
    schema: RUN_RESULT_SCHEMA,
    runId: p.runDir.runId,
    runDir: p.runDir.root,
    scenario: {
      name: p.scenario.name, file: p.scenarioFile, description: p.scenario.description,
      ...(p.scenario.expectedVerdict === 'FAIL' ? {expectedVerdict: 'FAIL' as const} : {}),
    },
    config: p.scenario as unknown as Record<string, unknown>,
    target: p.scenario.target,
    startedAt: p.startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    status: p.status,
    throughput: {
      sendTps: counters ? round(totalStatuses(counters) / durationS) : 0,
      consumeTps: measuredConsumeTps(p.timeline, durationS, t),
      attempted: audit.counts.attempted,
      acked: audit.counts.acked,
      durationS,
      targetRate: w.rate,
    },
    latency: {
      send: t?.send ?? emptyLatencySummary(),
      sendService: t?.sendService ?? emptyLatencySummary(),
      e2e: t?.e2e ?? emptyLatencySummary(),
      byStatus: t?.byStatus ?? {},
    },
    sendStatus,
    errors: {
      total: counters ? totalErrors(counters) : 0,
      timeout: counters?.errors.timeout ?? 0,
      connection: counters?.errors.connection ?? 0,
      broker: counters?.errors.broker ?? {},
      retries: counters?.retries ?? 0,
      dropped: counters?.dropped ?? 0,
    },
    audit: {...audit.counts, valid: audit.valid, samples: audit.samples as Record<string, string[]>},
    timeline: p.timeline,
    faults: p.faults ?? [],
    ...(p.replication ? {replication: p.replication} : {}),
    ...(p.consumption ? {consumption: p.consumption.section} : {}),
    verdict: p.status === 'completed' ? verdict : {pass: false, checks: [...verdict.checks, {name: 'run-completed', promise: 'the run completes', observed: `run ${p.status}`, pass: false}]},
    cluster: p.nodes.filter((n) => n.kind === 'broker').map((n) => {
      const b = p.scenario.cluster.brokers.find((x) => x.brokerName === n.brokerName && x.brokerId === n.brokerId)
      return {name: n.name, role: b?.brokerRole ?? 'unknown', flushDiskType: b?.flushDiskType ?? 'unknown', addr: n.addr}
    }),
  }
}

/** Did the run test anything: load, errors, consumption (audit/run-health.ts), and for chaos whether the faults bit. */
function healthChecks(p: ResultParts, audit: CheckResult): VerdictCheck[] {
  const w = p.scenario.workload
  const c = p.totals?.counters
  // A killed producer never reports its totals, so the counters undercount; the audit's acked minus every send the
  // warm-up intended is another lower bound of the load window's SEND_OK. The larger of the two is still a floor.
  const ackedInWindow = w.rate > 0 ? audit.counts.acked - Math.round((w.rate * w.warmup) / 1000) : 0
  const figures = {
    sendMode: w.sendMode, targetRate: w.rate, durationS: w.duration / 1000, sendOk: Math.max(c?.SEND_OK ?? 0, ackedInWindow), statuses: c ? totalStatuses(c) : 0,
    errors: c ? totalErrors(c) : 0, dropped: c?.dropped ?? 0, written: w.sendMode === 'oneway' ? p.totals?.sendService.count ?? 0 : 0,
    consumers: w.consumers, acked: audit.counts.acked, delivered: audit.counts.delivered,
    // From each inject's start (a slow inject disrupts while it works) to its heal; not healed: to the end.
    faultWindowsS: (p.faultOutcomes ?? []).filter((o) => o.injected)
      .map((o) => o.windowS ?? {from: 0, to: w.duration / 1000}),
    errorsBySecond: p.timeline.map((pt) => ({t: pt.t, errors: pt.errors})),
    inFlightS: Math.min(w.sendMsgTimeout, p.totals?.send.p90 ?? 0) / 1000,
  }
  const chaos = p.scenario.faults.length > 0
  return [...loadChecks(figures, healthLimits(p.scenario.verdict, chaos)), ...(chaos ? faultChecks(p.faultsPlanned ?? 0, p.faultOutcomes ?? []) : [])]
}

/** Deliveries inside the measured window only: warm-up backlog and the final drain would inflate the rate. */
function measuredConsumeTps(timeline: TimelinePoint[], durationS: number, t: LoadTotals | undefined): number {
  const inWindow = timeline.filter((pt) => pt.t >= 0 && pt.t < durationS)
  if (inWindow.length === 0) return t ? round(t.consumed / durationS) : 0
  return round(inWindow.reduce((n, pt) => n + pt.consumeTps, 0) / durationS)
}

function round(x: number): number {
  return Math.round(x * 10) / 10
}
