/**
 * Baseline vs current: the key figures of two results side by side with their change, and a
 * direction-aware regression rule for CI. Higher latency or lower throughput beyond the limit is a
 * regression; so is any new lost, corrupt or unexpected message, whatever the limit (a benchmark may
 * get slower by 5 % and be fine; it may not start losing acknowledged messages). Extremes (p99.99,
 * max), SendStatus and error counts are shown but never gate: one stall moves them by any amount.
 */
import {ConfigError} from '../errors.js'
import type {LatencySummary} from '../metrics/histograms.js'
import type {RunResult} from './run-result.js'
import {createPaint, formatCount, formatMs, formatRate, newTable, section} from './terminal-format.js'

export const DEFAULT_MAX_REGRESSION_PCT = 10

export type Better = 'higher' | 'lower' | 'none'

export interface ComparisonRow {
  figure: string
  unit: 'ms' | 'msg/s' | 'count'
  base: number
  current: number
  /** (current - base) / base × 100; null when the base is 0. */
  deltaPct: number | null
  better: Better
  /** Gated rows only; 'zero-tolerance' rows regress on any increase. */
  gate: 'percent' | 'zero-tolerance' | 'none'
  regression: boolean
}

export interface RunRef {
  runId: string
  scenario: string
  runDir: string
}

export interface Comparison {
  baseline: RunRef
  current: RunRef
  maxRegressionPct: number
  rows: ComparisonRow[]
  regressions: string[]
  pass: boolean
}

/** "10%", "10", "2.5 %" → percent; anything else is a usage error naming the flag. */
export function parseRegressionLimit(input: string, flag = '--max-regression'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(input)
  if (!m) throw new ConfigError(`${flag}: expected a percentage like 10% or 2.5, got ${JSON.stringify(input)}`)
  return Number(m[1])
}

type RowSpec = {figure: string; unit: ComparisonRow['unit']; better: Better; gate: ComparisonRow['gate']; read: (r: RunResult) => number}

const LATENCY_GATED: Array<[keyof LatencySummary, string]> = [['p50', 'p50'], ['p90', 'p90'], ['p99', 'p99'], ['p999', 'p99.9']]
const LATENCY_SHOWN: Array<[keyof LatencySummary, string]> = [['p9999', 'p99.99'], ['max', 'max']]

function latencyRows(kind: 'send' | 'sendService' | 'e2e'): RowSpec[] {
  return [
    ...LATENCY_GATED.map(([k, l]): RowSpec => ({figure: `${kind} ${l}`, unit: 'ms', better: 'lower', gate: 'percent', read: (r) => r.latency[kind][k]})),
    ...LATENCY_SHOWN.map(([k, l]): RowSpec => ({figure: `${kind} ${l}`, unit: 'ms', better: 'lower', gate: 'none', read: (r) => r.latency[kind][k]})),
  ]
}

const ROWS: RowSpec[] = [
  {figure: 'send tps', unit: 'msg/s', better: 'higher', gate: 'percent', read: (r) => r.throughput.sendTps},
  {figure: 'consume tps', unit: 'msg/s', better: 'higher', gate: 'percent', read: (r) => r.throughput.consumeTps},
  ...latencyRows('send'),
  ...latencyRows('sendService'),
  ...latencyRows('e2e'),
  ...(['SEND_OK', 'FLUSH_DISK_TIMEOUT', 'FLUSH_SLAVE_TIMEOUT', 'SLAVE_NOT_AVAILABLE'] as const).map((s): RowSpec => ({
    figure: s, unit: 'count', better: s === 'SEND_OK' ? 'higher' : 'lower', gate: 'none', read: (r) => r.sendStatus[s],
  })),
  {figure: 'errors', unit: 'count', better: 'lower', gate: 'none', read: (r) => r.errors.total},
  {figure: 'dropped sends', unit: 'count', better: 'lower', gate: 'none', read: (r) => r.errors.dropped},
  {figure: 'audit lost', unit: 'count', better: 'lower', gate: 'zero-tolerance', read: (r) => r.audit.lost},
  {figure: 'audit corrupt', unit: 'count', better: 'lower', gate: 'zero-tolerance', read: (r) => r.audit.corrupt},
  {figure: 'audit unexpected', unit: 'count', better: 'lower', gate: 'zero-tolerance', read: (r) => r.audit.unexpected},
  {figure: 'audit duplicated', unit: 'count', better: 'lower', gate: 'none', read: (r) => r.audit.duplicated},
]

function isRegression(spec: RowSpec, base: number, current: number, deltaPct: number | null, limitPct: number): boolean {
  if (spec.gate === 'zero-tolerance') return current > base
  // A base of 0 (no data: e.g. no consumer in the baseline) gives no ratio to judge.
  if (spec.gate === 'none' || deltaPct === null) return false
  return spec.better === 'lower' ? deltaPct > limitPct : deltaPct < -limitPct
}

function ref(r: RunResult): RunRef {
  return {runId: r.runId, scenario: r.scenario.name, runDir: r.runDir}
}

export function compareResults(baseline: RunResult, current: RunResult, opts: {maxRegressionPct?: number} = {}): Comparison {
  const limit = opts.maxRegressionPct ?? DEFAULT_MAX_REGRESSION_PCT
  const rows = ROWS.map((spec): ComparisonRow => {
    const base = spec.read(baseline)
    const cur = spec.read(current)
    const deltaPct = base === 0 ? null : ((cur - base) / base) * 100
    return {figure: spec.figure, unit: spec.unit, base, current: cur, deltaPct, better: spec.better, gate: spec.gate, regression: isRegression(spec, base, cur, deltaPct, limit)}
  })
  const regressions = rows.filter((r) => r.regression).map(describeRegression)
  return {baseline: ref(baseline), current: ref(current), maxRegressionPct: limit, rows, regressions, pass: regressions.length === 0}
}

function formatValue(unit: ComparisonRow['unit'], v: number): string {
  return unit === 'ms' ? `${formatMs(v)} ms` : unit === 'msg/s' ? `${formatRate(v)}/s` : formatCount(v)
}

export function formatDelta(row: ComparisonRow): string {
  if (row.deltaPct === null) return row.current === row.base ? '0%' : `+${formatValue(row.unit, row.current - row.base)}`
  const sign = row.deltaPct > 0 ? '+' : ''
  return `${sign}${row.deltaPct.toFixed(Math.abs(row.deltaPct) < 10 ? 1 : 0)}%`
}

export function describeRegression(row: ComparisonRow): string {
  return `${row.figure}: ${formatValue(row.unit, row.base)} → ${formatValue(row.unit, row.current)} (${formatDelta(row)})`
}

export function renderComparison(c: Comparison, opts: {color: boolean}): string {
  const paint = createPaint(opts.color)
  const table = newTable(paint, ['figure', `baseline ${c.baseline.runId}`, `current ${c.current.runId}`, 'change', ''], ['left', 'right', 'right', 'right', 'left'])
  for (const row of c.rows) {
    const improved = row.current !== row.base && row.better !== 'none' && (row.better === 'lower') === row.current < row.base
    const delta = formatDelta(row)
    const mark = row.regression ? paint.fail('REGRESSION') : row.gate === 'none' ? paint.dim('info') : ''
    table.push([row.figure, formatValue(row.unit, row.base), formatValue(row.unit, row.current), row.regression ? paint.fail(delta) : improved ? paint.pass(delta) : delta, mark])
  }
  const headline = c.pass
    ? paint.pass(`no regression beyond ${c.maxRegressionPct}%`)
    : paint.fail(`${c.regressions.length} regression(s) beyond ${c.maxRegressionPct}% or new loss`)
  return `${section(`Baseline comparison: ${headline}`, table, paint)}\n`
}
