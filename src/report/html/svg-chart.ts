/**
 * Line charts as inline SVG, drawn here rather than in the browser: the report stays one file that
 * needs no network and no script to show its figures, and the same SVG prints and archives well.
 * Two x axes: linear (seconds) and HdrHistogram's percentile axis, where x = log10(1 / (1 - p)) so
 * 90 %, 99 %, 99.9 % … get equal room and the tail is as readable as the median.
 */
import {escapeHtml} from './escape.js'

export interface ChartSeries {
  name: string
  color: string
  points: Array<[number, number]>
  dashed?: boolean
  /**
   * Per-second figures: [t, v] holds for the whole second t..t+1, so it is drawn as a step, and a second
   * with no point is a gap, not a line to the next one (an interpolated line showed a fault's effect a
   * second before its shaded window, and missing seconds as a fall to 0).
   */
  steps?: boolean
}

/** A shaded x range (a fault window), labelled in its tooltip. */
export interface ChartBand {
  from: number
  to: number
  label: string
}

export interface LineChartSpec {
  id: string
  title: string
  xLabel: string
  yLabel: string
  series: ChartSeries[]
  bands?: ChartBand[]
  xAxis: 'linear' | 'percentile'
}

const WIDTH = 860
const HEIGHT = 300
const PAD = {left: 64, right: 16, top: 34, bottom: 42}
/** Past this a series is thinned by keeping each bucket's extremes, so a one-second spike survives. */
const POINTS_MAX = 1500
const PERCENTILE_X_MAX = 5 // 99.999 %

export function percentileToX(p: number): number {
  const tail = 1 - Math.min(p, 99.999) / 100
  return Math.min(PERCENTILE_X_MAX, Math.log10(1 / tail))
}

/** 1, 2, 5 × 10^k steps: the usual readable axis ticks. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1]
  const raw = max / count
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!
  const ticks: number[] = []
  for (let v = 0; v < max + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)))
  return ticks
}

export function thinPoints(points: Array<[number, number]>, max = POINTS_MAX): Array<[number, number]> {
  if (points.length <= max) return points
  const bucket = Math.ceil(points.length / (max / 2))
  const out: Array<[number, number]> = []
  for (let i = 0; i < points.length; i += bucket) {
    const slice = points.slice(i, i + bucket)
    let lo = slice[0]!
    let hi = slice[0]!
    for (const p of slice) {
      if (p[1] < lo[1]) lo = p
      if (p[1] > hi[1]) hi = p
    }
    out.push(...(lo[0] <= hi[0] ? [lo, hi] : [hi, lo]))
  }
  return out
}

function formatTick(v: number): string {
  if (v === 0) return '0'
  if (Math.abs(v) >= 1000) return `${Number((v / 1000).toPrecision(3))}k`
  return String(Number(v.toPrecision(3)))
}

function axisX(spec: LineChartSpec, xs: number[]): {min: number; max: number; ticks: Array<[number, string]>} {
  if (spec.xAxis === 'percentile') {
    return {min: 0, max: PERCENTILE_X_MAX, ticks: ['0%', '90%', '99%', '99.9%', '99.99%', '99.999%'].map((l, i) => [i, l])}
  }
  const max = Math.max(1, ...xs)
  return {min: 0, max: niceTicks(max).at(-1)!, ticks: niceTicks(max).map((t) => [t, `${formatTick(t)}`])}
}

/** Each second a flat segment t..t+1; a neighbour joins with a vertical step, a missing second leaves a gap. */
export function stepPath(points: Array<[number, number]>, x: (v: number) => string, y: (v: number) => string): string {
  const sorted = [...points].sort((a, b) => a[0] - b[0])
  return sorted.map(([t, v], i) => {
    const joined = i > 0 && sorted[i - 1]![0] + 1 === t
    return `${joined ? 'L' : 'M'}${x(t)} ${y(v)}L${x(t + 1)} ${y(v)}`
  }).join('')
}

export function renderLineChart(spec: LineChartSpec): string {
  // Steps are never thinned: thinning would join seconds that are not neighbours.
  const series = spec.series.map((s) => ({...s, points: s.steps ? s.points : thinPoints(s.points)}))
  const xs = series.flatMap((s) => s.points.map((p) => p[0] + (s.steps ? 1 : 0))).concat((spec.bands ?? []).map((b) => b.to))
  const ys = series.flatMap((s) => s.points.map((p) => p[1]))
  const x = axisX(spec, xs)
  const yTicks = niceTicks(Math.max(0, ...ys))
  const yMax = yTicks.at(-1)!
  const plotW = WIDTH - PAD.left - PAD.right
  const plotH = HEIGHT - PAD.top - PAD.bottom
  const sx = (v: number): number => PAD.left + ((v - x.min) / (x.max - x.min || 1)) * plotW
  const sy = (v: number): number => PAD.top + plotH - (v / (yMax || 1)) * plotH
  const r = (n: number): string => n.toFixed(1)
  const parts: string[] = []
  parts.push(`<text class="chart-title" x="${PAD.left}" y="18">${escapeHtml(spec.title)}</text>`)
  for (const b of spec.bands ?? []) {
    const x0 = sx(Math.max(x.min, b.from))
    const x1 = Math.max(x0 + 2, sx(Math.min(x.max, b.to)))
    parts.push(`<rect class="fault" x="${r(x0)}" y="${PAD.top}" width="${r(x1 - x0)}" height="${plotH}"><title>${escapeHtml(b.label)}</title></rect>`)
  }
  for (const t of yTicks) {
    parts.push(`<line class="grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${r(sy(t))}" y2="${r(sy(t))}"/>`)
    parts.push(`<text class="tick" x="${PAD.left - 6}" y="${r(sy(t) + 4)}" text-anchor="end">${formatTick(t)}</text>`)
  }
  for (const [v, label] of x.ticks) {
    parts.push(`<text class="tick" x="${r(sx(v))}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle">${escapeHtml(label)}</text>`)
  }
  parts.push(`<line class="axis" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH}"/>`)
  parts.push(`<line class="axis" x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${PAD.top + plotH}"/>`)
  parts.push(`<text class="label" x="${PAD.left + plotW / 2}" y="${HEIGHT - 6}" text-anchor="middle">${escapeHtml(spec.xLabel)}</text>`)
  parts.push(`<text class="label" transform="translate(14 ${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(spec.yLabel)}</text>`)
  for (const s of series) {
    if (s.points.length === 0) continue
    const d = s.steps
      ? stepPath(s.points, (v) => r(sx(v)), (v) => r(sy(v)))
      : s.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${r(sx(p[0]))} ${r(sy(p[1]))}`).join('')
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : ''
    parts.push(`<path class="series" data-series="${escapeHtml(s.name)}" d="${d}" stroke="${s.color}"${dash}><title>${escapeHtml(s.name)}</title></path>`)
  }
  if (ys.length === 0) parts.push(`<text class="empty" x="${PAD.left + plotW / 2}" y="${PAD.top + plotH / 2}" text-anchor="middle">no data</text>`)
  const legend = series.map((s) => `<span class="key"><i style="border-color:${s.color}${s.dashed ? ';border-top-style:dashed' : ''}"></i>${escapeHtml(s.name)}</span>`).join('')
  // The plot geometry lets the page script turn a pointer position back into seconds or a percentile.
  const geometry = `data-axis="${spec.xAxis}" data-left="${PAD.left}" data-right="${WIDTH - PAD.right}" data-xmin="${x.min}" data-xmax="${x.max}"`
  return `<figure class="chart" id="${escapeHtml(spec.id)}"><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(spec.title)}" ${geometry}>${parts.join('')}</svg><figcaption>${legend}</figcaption></figure>`
}
