/**
 * The load half of the terminal report: what was run (setup), how fast (throughput), how slow
 * (latency percentiles) and how each send ended (SendStatus and errors).
 */
import {formatBytes, formatDurationMs} from '../units.js'
import type {LatencySummary} from '../metrics/histograms.js'
import {SEND_STATUSES} from '../metrics/send-status.js'
import type {RunResult} from './run-result.js'
import {
  formatCount, formatMs, formatPercent, formatRate, formatSeconds, newTable, section, type Paint,
} from './terminal-format.js'

/** Workload keys may sit at the top of config or under config.workload (the scenario's own shape). */
function workloadValue(config: Record<string, unknown>, key: string): unknown {
  const workload = config.workload
  if (typeof workload === 'object' && workload !== null && key in workload) return (workload as Record<string, unknown>)[key]
  return config[key]
}

function describeValue(v: unknown, format?: (n: number) => string): string {
  if (v === undefined || v === null) return '-'
  if (typeof v === 'number' && format) return format(v)
  return String(v)
}

export function renderSetup(r: RunResult, paint: Paint): string {
  const cfg = r.config
  const table = newTable(paint)
  const rate = r.throughput.targetRate
  table.push(
    ['scenario', `${r.scenario.name}${r.scenario.description ? ` — ${r.scenario.description}` : ''}`],
    ['file', r.scenario.file || '-'],
    ['target', r.target],
    ['client', describeClient(r)],
    ['run', `${r.runId}  ${paint.dim(r.runDir)}`],
    ['started / ended', `${r.startedAt} / ${r.endedAt}`],
    ['status', r.status === 'completed' ? r.status : paint.fail(r.status)],
    ['rate', rate === 0 ? 'as fast as possible' : `${formatRate(rate)} msg/s`],
    ['duration', describeValue(workloadValue(cfg, 'duration'), formatDurationMs)],
    ['warm-up', describeValue(workloadValue(cfg, 'warmup'), formatDurationMs)],
    ['message size', describeValue(workloadValue(cfg, 'messageSize'), formatBytes)],
    ['producers', describeValue(workloadValue(cfg, 'producers'))],
    ['consumers', describeValue(workloadValue(cfg, 'consumers'))],
    ['send mode', describeValue(workloadValue(cfg, 'sendMode'))],
  )
  if (r.jvmWarmup) table.push(['JVM warm-up', describeJvmWarmup(r.jvmWarmup, paint)])
  const parts = [section('Setup', table, paint)]
  if (r.cluster.length > 0) {
    const nodes = newTable(paint, ['node', 'role', 'flushDiskType', 'addr'])
    for (const n of r.cluster) nodes.push([n.name, n.role, n.flushDiskType, n.addr])
    parts.push(nodes.toString())
  }
  return parts.join('\n')
}

/** How long the real broker's JVM took to a steady rate before the measured run, and what "steady" meant. */
export function describeJvmWarmup(w: NonNullable<RunResult['jvmWarmup']>, paint: Paint): string {
  const around = w.targetRate > 0 ? `${formatRate(w.targetRate)} msg/s` : 'their mean'
  const rule = `${w.steadySeconds} s in a row within ${Math.round(w.tolerance * 100)} % of ${around}`
  const took = formatDurationMs(w.ms)
  if (w.plateauRate !== undefined) return `${took} to a plateau at ${formatRate(w.plateauRate)} msg/s, below the target: saturated`
  return w.steady ? `${took} to steady (${rule})` : paint.fail(`NOT steady after ${took} (${rule}); the run measured a JVM still warming`)
}

export function renderThroughput(r: RunResult, paint: Paint): string {
  const t = r.throughput
  const table = newTable(paint, ['target rate', 'send TPS', 'consume TPS', 'attempted*', 'acked*', 'duration'],
    ['right', 'right', 'right', 'right', 'right', 'right'])
  table.push([
    t.targetRate === 0 ? 'max' : formatRate(t.targetRate), formatRate(t.sendTps), formatRate(t.consumeTps),
    formatCount(t.attempted), formatCount(t.acked), formatSeconds(t.durationS),
  ])
  // Rates are the load window's; the audit's attempted/acked count every message, warm-up included (item 6 of issue 18).
  return `${section('Throughput (msg/s, load window)', table, paint)}\n${paint.dim('* attempted and acked: every message, warm-up included (the audit\'s counts)')}`
}

function latencyRow(label: string, s: LatencySummary): string[] {
  if (s.count === 0) return [label, '0', '-', '-', '-', '-', '-', '-']
  return [label, formatCount(s.count), formatMs(s.p50), formatMs(s.p90), formatMs(s.p99), formatMs(s.p999), formatMs(s.p9999), formatMs(s.max)]
}

export function renderLatency(r: RunResult, paint: Paint): string {
  const l = r.latency
  const table = newTable(paint, ['ms', 'count', 'p50', 'p90', 'p99', 'p99.9', 'p99.99', 'max'],
    ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'])
  table.push(
    latencyRow('send (intended→ack)', l.send),
    latencyRow('service (send→ack)', l.sendService),
    latencyRow('e2e (born→consumed, 1 ms ticks)', l.e2e),
  )
  for (const status of SEND_STATUSES) {
    const s = l.byStatus[status]
    if (s !== undefined && s.count > 0) table.push(latencyRow(`send ${status}`, s))
  }
  return section('Latency (load window, warm-up excluded)', table, paint)
}

export function renderSendStatus(r: RunResult, paint: Paint): string {
  // Shares of the measured window's outcomes (warm-up sends are audited but not counted here).
  const attempted = SEND_STATUSES.reduce((n, s) => n + r.sendStatus[s], 0) + r.errors.total
  const table = newTable(paint, ['outcome', 'count', 'share'], ['left', 'right', 'right'])
  for (const status of SEND_STATUSES) {
    const n = r.sendStatus[status]
    const label = status !== 'SEND_OK' && n > 0 ? paint.warn(status) : status
    table.push([label, formatCount(n), formatPercent(n, attempted)])
  }
  const e = r.errors
  const errorRow = (label: string, n: number): string[] => [n > 0 ? paint.fail(label) : label, formatCount(n), formatPercent(n, attempted)]
  table.push(errorRow('error: timeout', e.timeout), errorRow('error: connection', e.connection))
  for (const [name, n] of Object.entries(e.broker).sort(([a], [b]) => a.localeCompare(b))) table.push(errorRow(`error: broker ${name}`, n))
  table.push(errorRow('errors total', e.total), ['retries', formatCount(e.retries), ''], [e.dropped > 0 ? paint.fail('dropped (not sent in time)') : 'dropped (not sent in time)', formatCount(e.dropped), ''])
  return section('SendStatus and errors (load window, warm-up excluded)', table, paint)
}

/** Results from before the Java client have no client field: they were all driven by ours. */
export function describeClient(r: Pick<RunResult, 'client'>): string {
  const c = r.client
  if (c === undefined) return 'mqbench'
  return c.implementation === 'mqbench' ? `mqbench ${c.version}` : `Apache RocketMQ Java client ${c.version}`
}
