/**
 * The matrix as one self-contained HTML page: bar charts (max TPS, p99 at the common rate, loss under
 * each fault) with one bar per cell, coloured by target so embedded and real RocketMQ sit side by side,
 * then the table with every cell's run directories.
 */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {escapeHtml} from '../report/html/escape.js'
import {REPORT_CSS} from '../report/html/report-assets.js'
import {niceTicks} from '../report/html/svg-chart.js'
import type {MatrixCell, MatrixResult} from './matrix-result.js'

const COLORS: Record<string, string> = {embedded: '#0072B2', rocketmq: '#D55E00'}
const BAR_H = 22
const LABEL_W = 260
const PLOT_W = 420

export function barChart(title: string, unit: string, cells: MatrixCell[], value: (c: MatrixCell) => number | undefined): string {
  const values = cells.map(value)
  const max = Math.max(1, ...values.map((v) => v ?? 0))
  const ticks = niceTicks(max)
  const top = Math.max(max, ticks[ticks.length - 1] ?? max)
  const rows = cells.map((c, i) => {
    const v = values[i]
    const y = 20 + i * (BAR_H + 6)
    const w = v === undefined ? 0 : (v / top) * PLOT_W
    const text = v === undefined ? 'n/a' : `${Math.round(v * 100) / 100} ${unit}`
    return `<text x="${LABEL_W - 6}" y="${y + 15}" text-anchor="end">${escapeHtml(c.id)}</text>` +
      `<rect x="${LABEL_W}" y="${y}" width="${w.toFixed(1)}" height="${BAR_H}" fill="${COLORS[c.target] ?? '#000'}"><title>${escapeHtml(text)}</title></rect>` +
      `<text x="${LABEL_W + w + 4}" y="${y + 15}">${escapeHtml(text)}</text>`
  })
  const h = 30 + cells.length * (BAR_H + 6)
  return `<h2>${escapeHtml(title)}</h2><svg class="bars" width="${LABEL_W + PLOT_W + 120}" height="${h}" role="img" aria-label="${escapeHtml(title)}" font-size="12">${rows.join('')}</svg>`
}

function link(dir: string | undefined, label: string): string {
  return dir ? `<a href="file://${escapeHtml(dir)}">${escapeHtml(label)}</a>` : escapeHtml(label)
}

function table(m: MatrixResult): string {
  const rows = m.cells.map((c) => `<tr><td>${escapeHtml(c.id)}${c.status === 'completed' ? '' : ` [${escapeHtml(c.status)}]`}</td>` +
    `<td>${c.maxRate?.rate ?? '—'}</td><td>${c.common ? link(c.common.runDir, `${c.common.p99.toFixed(2)} ms`) : '—'}</td>` +
    `<td>${link(c.powerCut.runDir, `${c.powerCut.verdict} (lost ${c.powerCut.lost ?? '—'})`)}</td>` +
    `<td>${link(c.diskLoss.runDir, `${c.diskLoss.verdict} (lost ${c.diskLoss.lost ?? '—'})`)}</td>` +
    `<td>${escapeHtml(c.brokenReason ?? '')}</td></tr>`)
  return `<table><thead><tr><th>cell</th><th>max TPS</th><th>p99 @ ${m.commonRate ?? '?'}/s</th><th>power cut</th><th>disk loss</th><th>broken</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

export function renderMatrixHtml(m: MatrixResult): string {
  const charts = [
    barChart('Max sustainable rate', 'msg/s', m.cells, (c) => c.maxRate?.rate),
    barChart(`Send p99 at the common rate (${m.commonRate ?? '?'} msg/s)`, 'ms', m.cells, (c) => c.common?.p99),
    barChart('SEND_OK lost under a master power cut', 'msgs', m.cells, (c) => c.powerCut.lost),
    barChart('SEND_OK lost under master disk loss (slave alive)', 'msgs', m.cells, (c) => c.diskLoss.lost),
  ]
  return `<!doctype html><html><head><meta charset="utf-8"><title>mqbench matrix</title><style>${REPORT_CSS}</style></head><body>` +
    `<h1>mqbench matrix — the cost of durability</h1><p>${escapeHtml(`${m.status}; ${m.startedAt}; ${m.wallS.toFixed(0)} s; seed ${m.seed}; client ${m.client}`)}</p>` +
    `${charts.join('\n')}${table(m)}</body></html>\n`
}

export function writeMatrixHtml(m: MatrixResult): string {
  const path = join(m.dir, 'report.html')
  writeFileSync(path, renderMatrixHtml(m))
  return path
}
