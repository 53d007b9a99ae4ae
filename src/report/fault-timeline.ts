/**
 * The fault windows drawn on the per-second timeline, for the terminal (the HTML report shades them
 * on its charts): one character per second, send rate as a sparkline, seconds with errors, and the
 * seconds a fault was active, so what a fault did to the load is visible at a glance.
 */
import type {RunResult} from './run-result.js'
import type {Paint} from './terminal-format.js'

const SPARK = ' ▁▂▃▄▅▆▇█'
/** Seconds per block: wider timelines wrap so a line fits a terminal. */
export const SECONDS_PER_LINE = 60

/** True when any fault was active during [t, t+1) (a fault never healed lasts to the end). */
export function faultActiveAt(faults: RunResult['faults'], t: number): boolean {
  return faults.some((f) => f.at < t + 1 && (f.healedAt ?? Infinity) > t)
}

function spark(v: number, max: number): string {
  if (max <= 0 || v <= 0) return SPARK[0]!
  return SPARK[Math.max(1, Math.round((v / max) * (SPARK.length - 1)))]!
}

export function renderFaultTimeline(r: RunResult, paint: Paint): string {
  const points = r.timeline.filter((p) => p.t >= 0).sort((a, b) => a.t - b.t)
  if (points.length === 0) return paint.dim('(no timeline)')
  const maxTps = Math.max(...points.map((p) => p.sendTps))
  const blocks: string[] = []
  for (let i = 0; i < points.length; i += SECONDS_PER_LINE) {
    const slice = points.slice(i, i + SECONDS_PER_LINE)
    const sent = slice.map((p) => spark(p.sendTps, maxTps)).join('')
    const errors = slice.map((p) => (p.errors > 0 ? paint.warn('!') : '·')).join('')
    const fault = slice.map((p) => (faultActiveAt(r.faults, p.t) ? paint.fail('█') : '·')).join('')
    blocks.push([
      paint.dim(`t=${slice[0]!.t}s..${slice[slice.length - 1]!.t}s`),
      `sent/s ${sent}`,
      `errors ${errors}`,
      `fault  ${fault}`,
    ].join('\n'))
  }
  return `${blocks.join('\n')}\n${paint.dim(`one column per second; sent/s peaks at ${Math.round(maxTps)} msg/s; █ = a fault active`)}`
}
