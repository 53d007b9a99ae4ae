/**
 * One self-contained HTML page for one run or an overlay of several: inline CSS, inline SVG charts,
 * a few lines of inline script, no network. A pure function of the results (plus the percentile
 * curves read from the .hlog files), so `mqbench report <run-dir>` redraws what the run wrote.
 */
import type {PercentilePoint} from '../hdr-log.js'
import type {RunResult} from '../run-result.js'
import {escapeHtml} from './escape.js'
import {consumptionTables} from './consumption-table.js'
import {auditTable, checksList, configSection, latencyTable, sendStatusTable, summaryTable, throughputTable, type TableRun} from './html-tables.js'
import {replicationSection} from './replication-table.js'
import {percentileToX, renderLineChart, type ChartBand, type ChartSeries} from './svg-chart.js'
import {REPORT_CSS, REPORT_SCRIPT} from './report-assets.js'

export interface HtmlRun {
  result: RunResult
  /** Full percentile curves from the run's .hlog files; without them the summary percentiles are drawn. */
  distribution?: {send: PercentilePoint[]; e2e: PercentilePoint[]}
}

// Colour-blind-safe (Okabe-Ito), distinct enough for four overlaid runs.
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442']

function labelRuns(runs: HtmlRun[]): TableRun[] {
  // The scenario name tells runs apart unless two share it; then the run id does.
  const names = runs.map((r) => r.result.scenario.name)
  return runs.map((r, i) => ({
    label: names.filter((n) => n === names[i]).length > 1 ? r.result.runId : names[i]!,
    color: PALETTE[i % PALETTE.length]!,
    result: r.result,
  }))
}

function summaryCurve(s: RunResult['latency']['send']): PercentilePoint[] {
  if (s.count === 0) return []
  return [[50, s.p50], [90, s.p90], [99, s.p99], [99.9, s.p999], [99.99, s.p9999], [100, s.max]].map(([percentile, valueMs]) => ({percentile: percentile!, valueMs: valueMs!}))
}

function faultBands(runs: TableRun[]): ChartBand[] {
  return runs.flatMap((run) => {
    const end = run.result.timeline.at(-1)?.t ?? run.result.throughput.durationS
    return run.result.faults.map((f) => ({
      from: f.at,
      to: f.healedAt ?? Math.max(end, f.at + 1),
      label: `${runs.length > 1 ? `${run.label}: ` : ''}${f.action} ${f.target} at ${f.at}s${f.healedAt !== undefined ? `, healed at ${f.healedAt}s` : ', not healed'}`,
    }))
  })
}

/** Per-second series: steps, gaps where a second has no data. */
function series(runs: TableRun[], pick: Array<{name: string; dashed?: boolean; points: (r: RunResult) => Array<[number, number]>}>): ChartSeries[] {
  return runs.flatMap((run) => pick.map((p) => ({
    name: runs.length > 1 ? `${run.label} ${p.name}` : p.name,
    color: run.color,
    steps: true,
    points: p.points(run.result),
    ...(p.dashed ? {dashed: true} : {}),
  })))
}

function charts(runs: TableRun[], inputs: HtmlRun[]): string {
  const bands = faultBands(runs)
  const throughput = renderLineChart({
    id: 'chart-throughput', title: 'Throughput per second (fault windows shaded)', xLabel: 'seconds since load start', yLabel: 'msg/s', xAxis: 'linear', bands,
    series: series(runs, [
      {name: 'send', points: (r) => r.timeline.map((p) => [p.t, p.sendTps])},
      {name: 'consume', dashed: true, points: (r) => r.timeline.map((p) => [p.t, p.consumeTps])},
    ]),
  })
  const latency = renderLineChart({
    id: 'chart-latency', title: 'p99 latency per second (fault windows shaded)', xLabel: 'seconds since load start', yLabel: 'ms', xAxis: 'linear', bands,
    series: series(runs, [
      {name: 'send p99', points: (r) => r.timeline.map((p) => [p.t, p.sendP99Ms])},
      {name: 'e2e p99', dashed: true, points: (r) => r.timeline.map((p) => [p.t, p.e2eP99Ms])},
    ]),
  })
  const errors = renderLineChart({
    id: 'chart-errors', title: 'Send and pull errors per second', xLabel: 'seconds since load start', yLabel: 'errors/s', xAxis: 'linear', bands,
    series: series(runs, [{name: 'errors', points: (r) => r.timeline.map((p) => [p.t, p.errors])}]),
  })
  const curve = (i: number, kind: 'send' | 'e2e'): Array<[number, number]> =>
    (inputs[i]!.distribution?.[kind] ?? summaryCurve(inputs[i]!.result.latency[kind])).map((p) => [percentileToX(p.percentile), p.valueMs])
  const distribution = renderLineChart({
    id: 'chart-distribution', title: 'Latency by percentile (whole run)', xLabel: 'percentile', yLabel: 'ms', xAxis: 'percentile',
    series: runs.flatMap((run, i) => [
      {name: runs.length > 1 ? `${run.label} send` : 'send (intended → ack)', color: run.color, points: curve(i, 'send')},
      {name: runs.length > 1 ? `${run.label} e2e` : 'e2e (born → consumed)', color: run.color, dashed: true, points: curve(i, 'e2e')},
    ]),
  })
  return throughput + latency + distribution + errors
}

export function renderHtmlReport(inputs: HtmlRun[], opts: {generatedAt?: string} = {}): string {
  const runs = labelRuns(inputs)
  const title = runs.length === 1
    ? `mqbench — ${runs[0]!.result.scenario.name} (${runs[0]!.result.runId})`
    : `mqbench — ${runs.length} runs: ${runs.map((r) => r.label).join(', ')}`
  const verdicts = runs.map((r) => {
    const pass = r.result.verdict.pass && (r.result.thresholds ?? []).every((t) => t.pass)
    return `<span class="badge ${pass ? 'pass' : 'fail'}"><span class="swatch" style="background:${r.color}"></span>${escapeHtml(r.label)}: ${pass ? 'PASS' : 'FAIL'}</span>`
  }).join(' ')
  const body = [
    `<header><h1>${escapeHtml(title)}</h1><p>${verdicts}</p><p class="meta">generated ${escapeHtml(opts.generatedAt ?? new Date().toISOString())} · mqbench.result/v1</p></header>`,
    `<section><h2>Over time</h2>${charts(runs, inputs)}</section>`,
    `<section class="tables"><h2>Figures</h2>${summaryTable(runs)}${throughputTable(runs)}${latencyTable(runs)}${sendStatusTable(runs)}${auditTable(runs)}${consumptionTables(runs)}</section>`,
    `<section><h2>Verdict and thresholds</h2>${runs.map(checksList).join('')}</section>`,
    replicationSection(runs),
    `<section><h2>Configuration</h2>${runs.map(configSection).join('')}</section>`,
  ].join('\n')
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style></head>
<body data-runs="${runs.length}">
${body}
<script>${REPORT_SCRIPT}</script>
</body></html>
`
}
