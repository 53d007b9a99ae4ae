/**
 * The matrix for a human (the guides' table, measured, then one line per cell on which promise held)
 * and for CI (JUnit: one case per verdict; thresholds over cells).
 */
import {writeFileSync} from 'node:fs'
import {ConfigError} from '../errors.js'
import {escapeXml} from '../report/junit.js'
import {createPaint, formatMs, newTable} from '../report/terminal-format.js'
import {THRESHOLD_OPS, type ThresholdOp} from '../report/thresholds.js'
import {cellMatches} from './cells.js'
import type {FaultRecordM, MatrixCell, MatrixResult, MatrixThresholdResult} from './matrix-result.js'

const dash = '—'
const lostText = (f: FaultRecordM): string => (f.lost === undefined ? (f.verdict === 'N/A' ? 'n/a' : dash) : `${f.lost} of ${f.acked}`)

export function renderMatrix(m: MatrixResult, color: boolean): string {
  const paint = createPaint(color)
  const t = newTable(paint, ['combination', 'max TPS', 'relative', `p50/p99/p99.9 @ ${m.commonRate ?? '?'}/s`, 'lost: power cut', 'lost: disk loss', 'verdicts'],
    ['left', 'right', 'right', 'right', 'right', 'right', 'left'])
  for (const c of m.cells) {
    const common = c.common ? `${formatMs(c.common.p50)} / ${formatMs(c.common.p99)} / ${formatMs(c.common.p999)} ms${c.common.sustained ? '' : ' (!)'}` : dash
    t.push([c.id + (c.status === 'completed' ? '' : ` [${c.status}]`), c.maxRate ? String(c.maxRate.rate) : dash,
      c.relativeToFastest === undefined ? dash : `${Math.round(c.relativeToFastest * 100)}%`, common, lostText(c.powerCut), lostText(c.diskLoss),
      `power ${c.powerCut.verdict}, disk ${c.diskLoss.verdict}`])
  }
  const head = `mqbench matrix (${m.status}; ${m.wallS.toFixed(0)} s; seed ${m.seed}; send p99 bound ${m.maxP99Ms} ms; faults at ${m.faultRate}/s) — ${m.dir}`
  const lines = m.cells.map(cellLine)
  const gates = m.thresholds.map((g) => `${g.pass ? 'ok  ' : 'FAIL'} ${g.expression} (observed ${g.observed ?? 'none'})`)
  return [head, t.toString(), ...lines, ...gates].join('\n')
}

export function cellLine(c: MatrixCell): string {
  if (c.status === 'broken') return `${c.id}: BROKEN — ${c.brokenReason}`
  const say = (what: string, f: FaultRecordM): string => {
    if (f.verdict === 'PASS') return `${what}: promise held (${f.promise})`
    if (f.verdict === 'FAIL') return `${what}: promise BROKEN (${f.promise}; lost ${f.lost}${f.detail ? `; ${f.detail}` : ''})`
    return `${what}: ${f.verdict.toLowerCase()}${f.verdict === 'N/A' ? ` (${f.promise})` : ''}`
  }
  return `${c.id}: ${say('power cut', c.powerCut)}; ${say('disk loss', c.diskLoss)}`
}

const FIELDS: Record<string, (c: MatrixCell) => number | undefined> = {
  'maxRate': (c) => c.maxRate?.rate,
  'relative': (c) => c.relativeToFastest,
  'p50': (c) => c.common?.p50,
  'p99': (c) => c.common?.p99,
  'p999': (c) => c.common?.p999,
  'powerCut.lost': (c) => c.powerCut.lost,
  'diskLoss.lost': (c) => c.diskLoss.lost,
  'powerCut.pass': (c) => (c.powerCut.verdict === 'PASS' ? 1 : c.powerCut.verdict === 'FAIL' ? 0 : undefined),
  'diskLoss.pass': (c) => (c.diskLoss.verdict === 'PASS' ? 1 : c.diskLoss.verdict === 'FAIL' ? 0 : undefined),
}

export interface CellThreshold {
  expression: string
  cell: string
  field: string
  op: ThresholdOp
  limit: number
}

const THRESHOLD_FORM = `'cell[FLUSH/ROLE].field OP number', field one of ${Object.keys(FIELDS).join(', ')}`

export function parseCellThreshold(expression: string): CellThreshold {
  const ops = THRESHOLD_OPS.map((o) => o.replace(/[<>=!]/g, (ch) => `\\${ch}`)).join('|')
  const m = new RegExp(`^\\s*cell\\[([^\\]]+)\\]\\.([A-Za-z0-9.]+)\\s*(${ops})\\s*(-?\\d+(?:\\.\\d+)?)\\s*$`).exec(expression)
  if (!m || !FIELDS[m[2]!]) throw new ConfigError(`--threshold ${JSON.stringify(expression)}: expected ${THRESHOLD_FORM}`)
  return {expression, cell: m[1]!, field: m[2]!, op: m[3] as ThresholdOp, limit: Number(m[4])}
}

function compare(v: number, op: ThresholdOp, limit: number): boolean {
  switch (op) {
    case '<': return v < limit
    case '<=': return v <= limit
    case '>': return v > limit
    case '>=': return v >= limit
    case '==': return v === limit
    case '!=': return v !== limit
  }
}

/** One result per matching cell; a cell without the figure (broken, not run) fails the gate. */
export function evaluateCellThresholds(gates: CellThreshold[], m: MatrixResult): MatrixThresholdResult[] {
  return gates.flatMap((g) => {
    const cells = m.cells.filter((c) => cellMatches(c, g.cell))
    if (cells.length === 0) return [{expression: g.expression, observed: null, pass: false}]
    return cells.map((c) => {
      const v = FIELDS[g.field]!(c)
      return {expression: cells.length > 1 ? `${g.expression} (${c.id})` : g.expression, observed: v ?? null, pass: v !== undefined && compare(v, g.op, g.limit)}
    })
  })
}

/** JUnit: one test case per cell and fault verdict, one per threshold; BROKEN is an error, FAIL a failure. */
export function matrixJUnit(m: MatrixResult): string {
  const cases: string[] = []
  for (const c of m.cells) {
    for (const [name, f] of [['powerCut', c.powerCut], ['diskLoss', c.diskLoss]] as const) {
      if (f.verdict === 'N/A') continue
      const open = `    <testcase classname="matrix.${escapeXml(c.id)}" name="${name}" time="0"`
      const msg = escapeXml(`${f.promise}; lost ${f.lost ?? '?'}${f.detail ? `; ${f.detail}` : ''}${f.runDir ? `; ${f.runDir}` : ''}`)
      if (f.verdict === 'PASS') cases.push(`${open}/>`)
      else if (f.verdict === 'FAIL') cases.push(`${open}>\n      <failure message="${msg}" type="verdict">${msg}</failure>\n    </testcase>`)
      else cases.push(`${open}>\n      <error message="${escapeXml(f.verdict === 'BROKEN' ? (f.detail ?? 'broken') : 'not run (interrupted)')}" type="${f.verdict}"/>\n    </testcase>`)
    }
  }
  for (const g of m.thresholds) {
    const open = `    <testcase classname="matrix.thresholds" name="${escapeXml(g.expression)}" time="0"`
    cases.push(g.pass ? `${open}/>` : `${open}>\n      <failure message="observed ${g.observed ?? 'none'}" type="threshold"/>\n    </testcase>`)
  }
  const failures = cases.filter((c) => c.includes('<failure')).length
  const errors = cases.filter((c) => c.includes('<error')).length
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite name="mqbench.matrix" tests="${cases.length}" failures="${failures}" errors="${errors}">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`
}

export function writeMatrixJUnit(path: string, m: MatrixResult): void {
  writeFileSync(path, matrixJUnit(m))
}
