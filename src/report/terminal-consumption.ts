/**
 * The consumer-side audit in the terminal: one row per behaviour group, so practices run side by side
 * compare at a glance — lost (acked, never processed, not dead-lettered), duplicated effects by cause,
 * dead letters and the retries that led there.
 */
import type {ConsumptionGroupResult, Range, RunResult} from './run-result.js'
import {fitWidth, formatCount, newTable, section, type Paint} from './terminal-format.js'

const range = (r: Range | undefined): string => (r === undefined ? '-' : r.min === r.max ? String(r.min) : `${r.min}..${r.max}`)

function duplicates(g: ConsumptionGroupResult): string {
  if (g.duplicated === 0) return '0'
  return `${formatCount(g.duplicated)} (${formatCount(g.duplicatedBrokerCaused)} redelivered, ${formatCount(g.duplicatedRetryCaused)} via retry)`
}

function sampleText(g: ConsumptionGroupResult): string {
  const lost = g.samples.unprocessed ?? []
  const dup = g.samples.duplicated ?? []
  return [lost.length > 0 ? `lost: ${lost.join(', ')}` : '', dup.length > 0 ? `dup: ${dup.join(', ')}` : ''].filter((s) => s).join('\n')
}

export function renderConsumption(r: RunResult, paint: Paint): string | undefined {
  const c = r.consumption
  if (c === undefined || c.groups.length === 0) return undefined
  const samples = c.groups.map(sampleText)
  const head = ['behaviour (group)', 'acked', 'processed', 'lost', 'duplicated', 'dead-lettered', 'retried', 'retries per DLQ msg', 'samples (producer:seq)']
  const table = newTable(paint, head, ['left', 'right', 'right', 'right', 'left', 'right', 'right', 'right', 'left'],
    [null, null, null, null, 22, null, null, null, fitWidth(['samples (producer:seq)', ...samples], 40)])
  c.groups.forEach((g, i) => {
    table.push([
      `${g.behaviour}\n${paint.dim(g.consumerGroup)}`,
      formatCount(g.acked),
      formatCount(g.processed),
      g.lost > 0 ? paint.fail(formatCount(g.lost)) : '0',
      g.duplicated > 0 ? paint.warn(duplicates(g)) : '0',
      formatCount(g.deadLettered),
      formatCount(g.retried),
      range(g.deadLetterRetries),
      samples[i]!,
    ])
  })
  const note = paint.dim(`lost = SEND_OK, never processed, not in %DLQ%; retried = processings of %RETRY% copies; maxReconsumeTimes ${c.maxReconsumeTimes}`)
  return section('Consumption (what each consumer practice did)', `${table.toString()}\n${note}`, paint)
}
