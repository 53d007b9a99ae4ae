/** Assembles the RunResult (the result.json contract) from what each phase produced. */
import {auditVerdict, verdictForStatus, type RunAudit} from '../audit/audit-run.js'
import {type CheckResult, emptyCounts} from '../audit/checker.js'
import type {ClusterNode} from '../cluster/cluster.js'
import {emptyLatencySummary, SEND_STATUSES, totalErrors, totalStatuses, type TimelinePoint} from '../metrics/index.js'
import {clientRef} from '../scenario/java-client.js'
import {RUN_RESULT_SCHEMA, type FaultRecord, type ReplicationResult, type RunResult, type RunStatus} from '../report/run-result.js'
import type {JvmWarmupResult} from '../workload/jvm-warmup.js'
import type {Scenario} from '../scenario/schema.js'
import type {FaultEvent} from '../chaos/fault-runner.js'
import {evaluateThresholds, type Threshold} from '../report/thresholds.js'
import type {LoadTotals} from '../workload/load-metrics.js'
import {auditSpec} from './run-record.js'
import type {RunDir} from '../recorder/run-dir.js'

export interface ResultParts {
  runDir: RunDir
  scenario: Scenario
  scenarioFile: string
  startedAt: Date
  status: RunStatus
  totals: LoadTotals | undefined
  timeline: TimelinePoint[]
  /** undefined when the run ended before its audit. */
  audited: RunAudit | undefined
  nodes: ClusterNode[]
  replication?: ReplicationResult
  /** Faults injected and healed, seconds since load start. */
  faults?: FaultRecord[]
  /** Fault types that really happened: each selects its loss promise in the verdict (of a run that never audited). */
  faultTypes?: string[]
  /** CI gates, parsed before the run; evaluated against the finished result. */
  thresholds?: Threshold[]
  jvmWarmup?: JvmWarmupResult
}

const EMPTY_AUDIT: CheckResult = {
  valid: 'unknown',
  counts: emptyCounts(),
  samples: {},
  error: 'the run ended before the audit',
}

const seconds = (ms: number): number => Math.round(ms) / 1000

/** result.json's faults[]: seconds since load start, with what each fault hit. */
export function faultRecords(events: FaultEvent[], loadStartMs: number): FaultRecord[] {
  return events.map((e) => {
    const target = e.names.length > 0 && e.names.join(',') !== e.target ? `${e.target} (${e.names.join(', ')})` : e.target
    const r: FaultRecord = {at: seconds(e.injectedMs - loadStartMs), action: e.action, target: e.error ? `${target}: ${e.error}` : target}
    if (e.healedMs !== undefined) r.healedAt = seconds(e.healedMs - loadStartMs)
    if (e.unsyncedBytes !== undefined) r.unsyncedBytes = e.unsyncedBytes
    if (e.description !== undefined) r.description = e.description
    return r
  })
}

export function buildResult(p: ResultParts): RunResult {
  const verdict = p.audited?.verdict ?? auditVerdict(EMPTY_AUDIT, auditSpec(p.scenario), p.faultTypes ?? [], undefined, undefined)
  const audit = {result: p.audited?.queue.result ?? EMPTY_AUDIT, consumption: p.audited?.consumption, recovery: p.audited?.recovery, verdict}
  return withAudit(assemble(p), audit, p.thresholds ?? [])
}

/** The audit's share of a result: counts, consumption, verdict (a run that did not complete fails), then the gates. */
export function withAudit(
  base: RunResult, audit: {result: CheckResult; consumption: RunAudit['consumption']; recovery?: RunAudit['recovery']; verdict: RunAudit['verdict']},
  thresholds: Threshold[],
): RunResult {
  const a = audit.result
  const {consumption: _stale, recovery: _staleRecovery, thresholds: _gates, ...rest} = base
  const result: RunResult = {
    ...rest,
    throughput: {...base.throughput, attempted: a.counts.attempted, acked: a.counts.acked},
    audit: {...a.counts, valid: a.valid, samples: a.samples as Record<string, string[]>},
    ...(audit.consumption ? {consumption: audit.consumption.section} : {}),
    ...(audit.recovery && audit.recovery.length > 0 ? {recovery: audit.recovery} : {}),
    verdict: verdictForStatus(audit.verdict, base.status),
  }
  // Gates see the finished result, so any numeric field of result.json can be named.
  return {...result, thresholds: evaluateThresholds(thresholds, result)}
}

/** Everything but the audit's share (withAudit adds it). */
function assemble(p: ResultParts): RunResult {
  const w = p.scenario.workload
  const t = p.totals
  const durationS = w.duration / 1000
  const counters = t?.counters
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
    client: clientRef(p.scenario.workload),
    startedAt: p.startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    status: p.status,
    throughput: {
      sendTps: counters ? round(totalStatuses(counters) / durationS) : 0,
      consumeTps: measuredConsumeTps(p.timeline, durationS, t),
      attempted: 0,
      acked: 0,
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
    audit: {...EMPTY_AUDIT.counts, valid: EMPTY_AUDIT.valid, samples: {}},
    timeline: p.timeline,
    faults: p.faults ?? [],
    ...(p.replication ? {replication: p.replication} : {}),
    verdict: {pass: false, checks: []},
    cluster: p.nodes.filter((n) => n.kind === 'broker').map((n) => {
      const b = p.scenario.cluster.brokers.find((x) => x.brokerName === n.brokerName && x.brokerId === n.brokerId)
      return {name: n.name, role: b?.brokerRole ?? 'unknown', flushDiskType: b?.flushDiskType ?? 'unknown', addr: n.addr}
    }),
    ...(p.jvmWarmup ? {jvmWarmup: p.jvmWarmup} : {}),
  }
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
