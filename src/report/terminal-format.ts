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
  /** Terminal columns; a table wider than this is printed as stacked `column: value` lines. Undefined: no limit. */
  width?: number
}

export function createPaint(color: boolean, width?: number): Paint {
  // Level 1 (16 colours) when asked: the caller already decided the terminal wants colour.
  const c = new Chalk({level: color ? 1 : 0})
  return {
    ...(width !== undefined && width > 0 ? {width} : {}),
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

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g
export const visibleLength = (s: string): number => s.replace(ANSI, '').length

/** Word-wraps one line to `width`, continuation lines indented by `indent`. */
function wrapLine(text: string, width: number, indent: string): string[] {
  const lead = /^ */.exec(text)![0]
  const out: string[] = []
  let current = lead
  for (const word of text.slice(lead.length).split(' ')) {
    const next = current.trim() === '' ? `${current}${word}` : `${current} ${word}`
    if (visibleLength(next) <= width || current.trim() === '') current = next
    else {
      out.push(current)
      current = `${indent}${word}`
    }
  }
  out.push(current)
  // A single word longer than the line (a path, a hash) is cut rather than left to overflow.
  return out.flatMap((l) => (visibleLength(l) <= width ? [l] : l.match(new RegExp(`.{1,${width}}`, 'g')) ?? [l]))
}

function cellText(cell: unknown): string {
  const content = typeof cell === 'object' && cell !== null && 'content' in cell ? (cell as {content: unknown}).content : cell
  return String(content ?? '').replace(/\s*\n\s*/g, ' ')
}

/**
 * A table too wide for the terminal, stacked: one block per row, headed by its first cell (and a short
 * last cell such as PASS/FAIL); the other cells follow as `column value`, inline when they are all short
 * (a latency row), one per line otherwise (a verdict's promise and observation). Readable at 80 columns
 * where a box table wrapped by the terminal is not.
 */
function stacked(table: Table.Table, width: number): string {
  const head = ((table.options as {head?: string[]}).head ?? []).map((h) => h.replace(ANSI, ''))
  const rows = (table as unknown as unknown[][]).map((row) => row.map(cellText))
  // One layout per table: inline `column value` pairs when every cell is short (a latency row), else one per line.
  const inline = rows.every((cells) => cells.slice(1).every((c) => visibleLength(c) <= 14))
  const blocks = rows.map((cells) => {
    // A verdict's or comparison's last column (result, mark) belongs next to the row's name.
    const lastShort = head.length > 2 && ['result', ''].includes(head.at(-1)!) && visibleLength(cells.at(-1) ?? '') <= 12
    const title = lastShort && cells.at(-1) ? `${cells[0]} — ${cells.at(-1)}` : cells[0] ?? ''
    const rest = cells.slice(1, lastShort ? -1 : undefined).map((c, i) => ({label: head[i + 1] ?? '', value: c})).filter((c) => c.value !== '')
    const lines = inline
      ? [rest.map((c) => (c.label ? `${c.label} ${c.value}` : c.value)).join(' · ')]
      : rest.map((c) => (c.label ? `${c.label}: ${c.value}` : c.value))
    return [...wrapLine(title, width, '  '), ...lines.flatMap((l) => wrapLine(`  ${l}`, width, '    '))].join('\n')
  })
  return blocks.join('\n')
}

export function section(title: string, table: Table.Table | string, paint: Paint): string {
  if (typeof table === 'string') return `${paint.title(title)}\n${table}`
  const text = table.toString()
  const fits = paint.width === undefined || text.split('\n').every((l) => visibleLength(l) <= paint.width!)
  return `${paint.title(title)}\n${fits ? text : stacked(table, paint.width!)}`
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
