/**
 * Shared look of the terminal report: number formats and a colour palette that collapses to plain
 * text when colour is off, so a piped or NO_COLOR report carries no escape codes at all.
 */
import {Chalk} from 'chalk'
import Table from 'cli-table3'

export interface Paint {
  title(s: string): string
  head(s: string): string
  pass(s: string): string
  fail(s: string): string
  warn(s: string): string
  dim(s: string): string
}

export function createPaint(color: boolean): Paint {
  // Level 1 (16 colours) when asked: the caller already decided the terminal wants colour.
  const c = new Chalk({level: color ? 1 : 0})
  return {
    title: (s) => c.bold.underline(s),
    head: (s) => c.cyan(s),
    pass: (s) => c.green.bold(s),
    fail: (s) => c.red.bold(s),
    warn: (s) => c.yellow(s),
    dim: (s) => c.dim(s),
  }
}

type Align = 'left' | 'right' | 'center'

/**
 * Compact (no rule between rows) so a report fits a screen. cli-table3's own head/border colouring is
 * off: all colour goes through Paint. Columns given a width in `wrapWidths` word-wrap at it.
 */
export function newTable(paint: Paint, head: string[] = [], colAligns: Align[] = [], wrapWidths: Array<number | null> = []): Table.Table {
  const wrap = wrapWidths.some((w) => w !== null)
  return new Table({
    head: head.map((h) => paint.head(h)), colAligns, style: {head: [], border: [], compact: true},
    ...(wrap ? {colWidths: wrapWidths, wordWrap: true, wrapOnWordBoundary: true} : {}),
  })
}

/** A column width that fits the longest line of `cells` (plus padding) but never exceeds `cap`. */
export function fitWidth(cells: string[], cap: number): number {
  let longest = 0
  for (const cell of cells) for (const line of cell.split('\n')) longest = Math.max(longest, line.length)
  return Math.min(cap, longest + 2)
}

export function section(title: string, table: Table.Table | string, paint: Paint): string {
  return `${paint.title(title)}\n${table.toString()}`
}

/** Milliseconds with about three significant figures: 0.412, 3.21, 45.6, 1234. */
export function formatMs(ms: number): string {
  if (ms === 0) return '0'
  if (ms < 1) return ms.toFixed(3)
  if (ms < 10) return ms.toFixed(2)
  if (ms < 100) return ms.toFixed(1)
  return Math.round(ms).toLocaleString('en-US')
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}

/** Messages per second: a decimal only where it matters. */
export function formatRate(perSec: number): string {
  if (perSec === 0) return '0'
  if (perSec < 100) return perSec.toFixed(1)
  return Math.round(perSec).toLocaleString('en-US')
}

export function formatPercent(part: number, whole: number): string {
  if (whole === 0) return '-'
  const pct = (part / whole) * 100
  if (part > 0 && pct < 0.01) return '<0.01%'
  return `${pct.toFixed(2)}%`
}

export function formatSeconds(s: number): string {
  return `${s.toFixed(s < 10 ? 2 : 1)}s`
}
