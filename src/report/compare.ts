/**
 * Baseline vs current: the key figures of two results side by side with their change, and a
 * direction-aware regression rule for CI. Higher latency or lower throughput beyond the limit is a
 * regression; so is any new lost, corrupt or unexpected message, whatever the limit (a benchmark may
 * get slower by 5 % and be fine; it may not start losing acknowledged messages). Extremes (p99.99,
 * max), SendStatus and error counts are shown but never gate: one stall moves them by any amount.
 * A change only gates when it is real (compare-noise.ts): larger than the metric's resolution, on
 * enough samples for the percentile, and outside the spread (the baseline runs' min..max, or with one
 * baseline the bootstrap bands of both runs). Service time is shown, send latency (which includes it) gates.
 */
import {ConfigError} from '../errors.js'
import type {LatencySummary} from '../metrics/histograms.js'
import type {RunResult} from './run-result.js'
import {meanBand, percentileBand, type Band, type RunNoise} from './compare-noise.js'
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
  /** Why a change beyond the limit did not gate (below resolution, too few samples, within the noise). */
  note?: string
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
  /** How many baseline runs the base column summarises (their median, gated on their spread). */
  baselineRuns: number
  /** Configuration the two sides do not share (scenario, target, rate, size, duration): they measure different things. */
  mismatches: string[]
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

type RowSpec = {
  figure: string; unit: ComparisonRow['unit']; better: Better; gate: ComparisonRow['gate']; read: (r: RunResult) => number
  /** Smallest step the figure is measured in: a change within two steps (one each side) is rounding. */
  resolution?: number
  /** Latency: the percentile and the run's sample count, to refuse a tail estimated from a handful of values. */
  tail?: {q: number; count: (r: RunResult) => number}
  band?: (n: RunNoise) => Band | undefined
}

/** A percentile is judged only when this many samples lie beyond it in both runs (p99 of 1,000 sends rests on 10). */
export const MIN_TAIL_SAMPLES = 20
/** send latency is timed in µs from the intended send time; e2e from the message's born timestamp, in 1 ms ticks. */
const RESOLUTION_MS = {send: 0.001, sendService: 0.001, e2e: 1} as const

const LATENCY_GATED: Array<[keyof LatencySummary, string, number]> = [['p50', 'p50', 50], ['p90', 'p90', 90], ['p99', 'p99', 99]]
const LATENCY_SHOWN: Array<[keyof LatencySummary, string]> = [['p999', 'p99.9'], ['p9999', 'p99.99'], ['max', 'max']]

function latencyRows(kind: 'send' | 'sendService' | 'e2e'): RowSpec[] {
  const gated = kind !== 'sendService'
  return [
    ...LATENCY_GATED.map(([k, l, q]): RowSpec => ({
      figure: `${kind} ${l}`, unit: 'ms', better: 'lower', gate: gated ? 'percent' : 'none', read: (r) => r.latency[kind][k],
      resolution: RESOLUTION_MS[kind], tail: {q, count: (r) => r.latency[kind].count},
      ...(kind === 'sendService' ? {} : {band: (n: RunNoise) => (n[kind] ? percentileBand(n[kind], q) : undefined)}),
    })),
    ...LATENCY_SHOWN.map(([k, l]): RowSpec => ({figure: `${kind} ${l}`, unit: 'ms', better: 'lower', gate: 'none', read: (r) => r.latency[kind][k]})),
  ]
}

const ROWS: RowSpec[] = [
  {figure: 'send tps', unit: 'msg/s', better: 'higher', gate: 'percent', read: (r) => r.throughput.sendTps, resolution: 0.1, band: (n) => meanBand(n.sendTps)},
  {figure: 'consume tps', unit: 'msg/s', better: 'higher', gate: 'percent', read: (r) => r.throughput.consumeTps, resolution: 0.1, band: (n) => meanBand(n.consumeTps)},
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

interface Sides {
  baselines: RunResult[]
  current: RunResult
  noise?: {baselines?: RunNoise[]; current?: RunNoise}
}

function beyondLimit(spec: RowSpec, deltaPct: number | null, limitPct: number): boolean {
  // A base of 0 (no data: e.g. no consumer in the baseline) gives no ratio to judge.
  if (deltaPct === null) return false
  return spec.better === 'lower' ? deltaPct > limitPct : deltaPct < -limitPct
}

/** Why a change beyond the limit is not a regression; undefined when it is one. */
function notReal(spec: RowSpec, base: number, cur: number, sides: Sides): string | undefined {
  if (spec.resolution !== undefined && Math.abs(cur - base) <= 2 * spec.resolution) return `within 2 × the ${spec.resolution} ${spec.unit} resolution`
  if (spec.tail) {
    const fewest = Math.min(...[...sides.baselines, sides.current].map(spec.tail.count))
    const beyond = Math.floor(fewest * (1 - spec.tail.q / 100))
    if (beyond < MIN_TAIL_SAMPLES) return `too few samples: ${beyond} beyond p${spec.tail.q} (need ${MIN_TAIL_SAMPLES})`
  }
  const worse = (a: number, b: number) => (spec.better === 'lower' ? a > b : a < b)
  if (sides.baselines.length > 1) {
    const values = sides.baselines.map(spec.read)
    const [min, max] = [Math.min(...values), Math.max(...values)]
    const edge = spec.better === 'lower' ? max : min
    if (!worse(cur, edge) || Math.abs(cur - base) <= max - min) return `within the baseline runs' spread ${formatValue(spec.unit, min)}..${formatValue(spec.unit, max)}`
    return undefined
  }
  const baseBand = sides.noise?.baselines?.[0] && spec.band?.(sides.noise.baselines[0])
  const curBand = sides.noise?.current && spec.band?.(sides.noise.current)
  if (baseBand && curBand && !worse(spec.better === 'lower' ? curBand.lo : curBand.hi, spec.better === 'lower' ? baseBand.hi : baseBand.lo)) {
    return `within run-to-run noise (bootstrap bands ${formatValue(spec.unit, baseBand.lo)}..${formatValue(spec.unit, baseBand.hi)} and ${formatValue(spec.unit, curBand.lo)}..${formatValue(spec.unit, curBand.hi)} overlap)`
  }
  return undefined
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}

function compareRow(spec: RowSpec, sides: Sides, limit: number): ComparisonRow {
  const base = median(sides.baselines.map(spec.read))
  const cur = spec.read(sides.current)
  const deltaPct = base === 0 ? null : ((cur - base) / base) * 100
  const row: ComparisonRow = {figure: spec.figure, unit: spec.unit, base, current: cur, deltaPct, better: spec.better, gate: spec.gate, regression: false}
  if (spec.gate === 'zero-tolerance') row.regression = cur > Math.max(...sides.baselines.map(spec.read))
  if (spec.gate !== 'percent' || !beyondLimit(spec, deltaPct, limit)) return row
  const note = notReal(spec, base, cur, sides)
  if (note) row.note = note
  else row.regression = true
  return row
}

function ref(r: RunResult): RunRef {
  return {runId: r.runId, scenario: r.scenario.name, runDir: r.runDir}
}

/** What a run measured: enough of its configuration to tell whether two runs are comparable. */
export interface ConfigView {
  name: string
  target: string
  workload: Record<string, unknown>
  /** A real broker's JVM when the load began: warm (steady before the run), not steady, or cold (no warm-up recorded). */
  jvm?: 'warm' | 'not steady' | 'cold'
}

export function configView(r: RunResult): ConfigView {
  const jvm = r.target !== 'rocketmq' ? undefined : !r.jvmWarmup ? 'cold' : r.jvmWarmup.steady ? 'warm' : 'not steady'
  return {name: r.scenario.name, target: r.target, workload: (r.config['workload'] ?? {}) as Record<string, unknown>, ...(jvm && {jvm})}
}

/** The configuration two results must share to be compared: scenario, target, rate, size, duration, a real broker's JVM warmth. */
export function configMismatches(a: ConfigView, b: ConfigView): string[] {
  const pairs: Array<[string, unknown, unknown]> = [
    ['scenario', a.name, b.name], ['target', a.target, b.target], ['rate', a.workload['rate'], b.workload['rate']],
    ['messageSize', a.workload['messageSize'], b.workload['messageSize']], ['duration', a.workload['duration'], b.workload['duration']],
    // A cold JVM measures its JIT warming up, not the broker.
    ['JVM', a.jvm, b.jvm],
  ]
  return pairs.filter(([, x, y]) => JSON.stringify(x) !== JSON.stringify(y)).map(([k, x, y]) => `${k} ${JSON.stringify(x)} vs ${JSON.stringify(y)}`)
}

/** Baseline(s) vs current. Several baselines: the median is the base and their min..max the spread a change must leave. */
export function compareResults(baseline: RunResult | RunResult[], current: RunResult, opts: {maxRegressionPct?: number; noise?: Sides['noise']} = {}): Comparison {
  const limit = opts.maxRegressionPct ?? DEFAULT_MAX_REGRESSION_PCT
  const baselines = Array.isArray(baseline) ? baseline : [baseline]
  if (baselines.length === 0) throw new ConfigError('compare: expected at least one baseline')
  const sides: Sides = {baselines, current, ...(opts.noise ? {noise: opts.noise} : {})}
  const rows = ROWS.map((spec) => compareRow(spec, sides, limit))
  const regressions = rows.filter((r) => r.regression).map(describeRegression)
  const mismatches = [...new Set(baselines.flatMap((b) => configMismatches(configView(b), configView(current))))]
  return {baseline: ref(baselines[0]!), current: ref(current), maxRegressionPct: limit, baselineRuns: baselines.length, mismatches, rows, regressions, pass: regressions.length === 0}
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

export function renderComparison(c: Comparison, opts: {color: boolean; width?: number}): string {
  const paint = createPaint(opts.color, opts.width)
  const baseHead = c.baselineRuns > 1 ? `baseline: median of ${c.baselineRuns} runs` : `baseline ${c.baseline.runId}`
  const table = newTable(paint, ['figure', baseHead, `current ${c.current.runId}`, 'change', ''], ['left', 'right', 'right', 'right', 'left'])
  for (const row of c.rows) {
    const improved = row.current !== row.base && row.better !== 'none' && (row.better === 'lower') === row.current < row.base
    const delta = formatDelta(row)
    const mark = row.regression ? paint.fail('REGRESSION') : row.note ? paint.dim(`not gated: ${row.note}`) : row.gate === 'none' ? paint.dim('info') : ''
    table.push([row.figure, formatValue(row.unit, row.base), formatValue(row.unit, row.current), row.regression ? paint.fail(delta) : improved ? paint.pass(delta) : delta, mark])
  }
  const headline = c.pass
    ? paint.pass(`no regression beyond ${c.maxRegressionPct}%`)
    : paint.fail(`${c.regressions.length} regression(s) beyond ${c.maxRegressionPct}% or new loss`)
  const warn = c.mismatches.length > 0 ? `${paint.warn(`Warning: the runs differ in ${c.mismatches.join(', ')}; they measure different things`)}\n` : ''
  return `${warn}${section(`Baseline comparison: ${headline}`, table, paint)}\n`
}
