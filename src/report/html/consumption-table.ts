/** The consumer-side audit in the HTML report: per run, one row per behaviour group. */
import type {RunResult} from '../run-result.js'
import {formatCount} from '../terminal-format.js'
import {escapeHtml} from './escape.js'
import type {TableRun} from './html-tables.js'

const COLUMNS = ['acked', 'processed', 'lost', 'duplicated', 'dead-lettered', 'retried', 'retries per DLQ msg'] as const

function rowCells(g: NonNullable<RunResult['consumption']>['groups'][number]): string[] {
  const r = g.deadLetterRetries
  return [
    formatCount(g.acked), formatCount(g.processed), formatCount(g.lost),
    g.duplicated === 0 ? '0' : `${formatCount(g.duplicated)} (${g.duplicatedBrokerCaused} redelivered, ${g.duplicatedRetryCaused} via retry)`,
    formatCount(g.deadLettered), formatCount(g.retried), r === undefined ? '-' : r.min === r.max ? String(r.min) : `${r.min}..${r.max}`,
  ]
}

export function consumptionTables(runs: TableRun[]): string {
  return runs.filter((run) => run.result.consumption && run.result.consumption.groups.length > 0).map((run) => {
    const c = run.result.consumption!
    const head = COLUMNS.map((h) => `<th>${escapeHtml(h)}</th>`).join('')
    const body = c.groups.map((g) => {
      const cells = rowCells(g).map((text, i) => {
        const bad = (i === 2 && g.lost > 0) || (i === 3 && g.duplicated > 0)
        return `<td${bad ? ` class="${i === 2 ? 'fail' : 'warn'}"` : ''}>${escapeHtml(text)}</td>`
      }).join('')
      return `<tr><th scope="row">${escapeHtml(g.behaviour)}<small>${escapeHtml(g.consumerGroup)}</small></th>${cells}</tr>`
    }).join('')
    const caption = `Consumption per practice — ${run.label} (lost = SEND_OK, never processed, not in %DLQ%; maxReconsumeTimes ${c.maxReconsumeTimes})`
    return `<table><caption>${escapeHtml(caption)}</caption><thead><tr><th></th>${head}</tr></thead><tbody>${body}</tbody></table>`
  }).join('')
}
