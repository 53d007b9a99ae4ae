/**
 * The report's tables. Every table has one column per run, so a single run and an overlay of the
 * four flush/replication combinations read the same way: a row is one figure across runs.
 */
import type {LatencySummary} from '../../metrics/histograms.js'
import {describeClient} from '../terminal-load.js'
import type {RunResult} from '../run-result.js'
import {formatCount, formatMs, formatRate} from '../terminal-format.js'
import {describeThreshold} from '../thresholds.js'
import {escapeHtml} from './escape.js'

export interface TableRun {
  label: string
  color: string
  result: RunResult
}

type Cell = {text: string; cls?: string}

function cell(text: string, cls?: string): Cell {
  return cls === undefined ? {text} : {text, cls}
}

function table(caption: string, runs: TableRun[], rows: Array<{name: string; why?: string; cells: Cell[]}>): string {
  const head = runs.map((r) => `<th><span class="swatch" style="background:${r.color}"></span>${escapeHtml(r.label)}</th>`).join('')
  const body = rows.map((row) => {
    const name = row.why ? `${escapeHtml(row.name)}<small>${escapeHtml(row.why)}</small>` : escapeHtml(row.name)
    const cells = row.cells.map((c) => `<td${c.cls ? ` class="${c.cls}"` : ''}>${escapeHtml(c.text)}</td>`).join('')
    return `<tr><th scope="row">${name}</th>${cells}</tr>`
  }).join('')
  return `<table><caption>${escapeHtml(caption)}</caption><thead><tr><th></th>${head}</tr></thead><tbody>${body}</tbody></table>`
}

export function summaryTable(runs: TableRun[]): string {
  const r = (f: (x: RunResult) => Cell): Cell[] => runs.map((run) => f(run.result))
  return table('Run', runs, [
    {name: 'scenario', cells: r((x) => cell(x.scenario.name))},
    {name: 'status', cells: r((x) => cell(x.status, x.status === 'completed' ? undefined : 'fail'))},
    {name: 'verdict', cells: r((x) => cell(x.verdict.pass ? 'PASS' : 'FAIL', x.verdict.pass ? 'pass' : 'fail'))},
    {name: 'thresholds', cells: r((x) => thresholdCell(x))},
    {name: 'target', cells: r((x) => cell(x.target))},
    {name: 'client', cells: r((x) => cell(describeClient(x)))},
    {name: 'started', cells: r((x) => cell(x.startedAt))},
    {name: 'load duration', cells: r((x) => cell(`${x.throughput.durationS}s`))},
  ])
}

function thresholdCell(x: RunResult): Cell {
  const t = x.thresholds ?? []
  if (t.length === 0) return cell('none')
  const failed = t.filter((v) => !v.pass).length
  return failed === 0 ? cell(`${t.length} passed`, 'pass') : cell(`${failed} of ${t.length} failed`, 'fail')
}

export function throughputTable(runs: TableRun[]): string {
  const r = (f: (x: RunResult) => string): Cell[] => runs.map((run) => cell(f(run.result)))
  return table('Throughput', runs, [
    {name: 'target rate', why: 'msg/s, 0 = max', cells: r((x) => formatRate(x.throughput.targetRate))},
    {name: 'send', why: 'msg/s, load window (warm-up excluded)', cells: r((x) => formatRate(x.throughput.sendTps))},
    {name: 'consume', why: 'msg/s, load window (warm-up excluded)', cells: r((x) => formatRate(x.throughput.consumeTps))},
    {name: 'attempted', why: 'every message, warm-up included', cells: r((x) => formatCount(x.throughput.attempted))},
    {name: 'acked', why: 'every message, warm-up included', cells: r((x) => formatCount(x.throughput.acked))},
  ])
}

const PERCENTILES: Array<[keyof LatencySummary, string]> = [
  ['p50', 'p50'], ['p90', 'p90'], ['p99', 'p99'], ['p999', 'p99.9'], ['p9999', 'p99.99'], ['max', 'max'], ['mean', 'mean'],
]

export function latencyTable(runs: TableRun[]): string {
  const rows: Array<{name: string; why?: string; cells: Cell[]}> = []
  const kinds: Array<['send' | 'sendService' | 'e2e', string]> = [['send', 'intended → ack'], ['sendService', 'send → ack'], ['e2e', 'born → consumed']]
  for (const [kind, why] of kinds) {
    for (const [key, label] of PERCENTILES) {
      rows.push({name: `${kind} ${label}`, ...(key === 'p50' ? {why} : {}), cells: runs.map((run) => cell(`${formatMs(run.result.latency[kind][key])} ms`))})
    }
  }
  return table('Latency (ms)', runs, rows)
}

export function sendStatusTable(runs: TableRun[]): string {
  const statuses = ['SEND_OK', 'FLUSH_DISK_TIMEOUT', 'FLUSH_SLAVE_TIMEOUT', 'SLAVE_NOT_AVAILABLE'] as const
  const rows = statuses.map((s) => ({
    name: s,
    cells: runs.map((run) => {
      const n = run.result.sendStatus[s]
      const p99 = run.result.latency.byStatus[s]?.p99
      return cell(`${formatCount(n)}${p99 !== undefined && n > 0 ? ` (p99 ${formatMs(p99)} ms)` : ''}`, s !== 'SEND_OK' && n > 0 ? 'warn' : undefined)
    }),
  }))
  const errorRows = (['timeout', 'connection', 'retries', 'dropped'] as const).map((k) => ({
    name: k === 'retries' || k === 'dropped' ? k : `${k} errors`,
    cells: runs.map((run) => cell(formatCount(run.result.errors[k]), run.result.errors[k] > 0 && k !== 'retries' ? 'warn' : undefined)),
  }))
  const brokerCodes = [...new Set(runs.flatMap((run) => Object.keys(run.result.errors.broker)))].sort()
  const brokerRows = brokerCodes.map((code) => ({name: `broker ${code}`, cells: runs.map((run) => cell(formatCount(run.result.errors.broker[code] ?? 0)))}))
  return table('SendStatus and errors', runs, [...rows, ...errorRows, ...brokerRows])
}

const AUDIT_ROWS: Array<[keyof RunResult['audit'] & string, string, boolean]> = [
  ['attempted', 'sends started', false], ['acked', 'SEND_OK replies', false], ['delivered', 'distinct messages found', false],
  ['ok', 'acked and found exactly once', false], ['lost', 'acked but found nowhere', true],
  ['lostFromStore', 'acked but not in the store after the heal', true],
  ['duplicated', 'delivered or stored more than once', false], ['recovered', 'send failed or unknown, yet stored', false],
  ['unexpected', 'found but never attempted', true], ['corrupt', 'body checksum mismatch', true],
  ['missingUnconfirmed', 'not acked and absent (allowed)', false],
  ['reordered', 'stored after a later message of its producer in its queue', false],
]

export function auditTable(runs: TableRun[]): string {
  const rows = AUDIT_ROWS.map(([key, why, bad]) => ({
    name: key,
    why,
    cells: runs.map((run) => {
      const n = (run.result.audit[key] as number | undefined) ?? 0
      const samples = run.result.audit.samples[key] ?? []
      const text = samples.length > 0 && n > 0 ? `${formatCount(n)} — ${samples.slice(0, 10).join(', ')}` : formatCount(n)
      return cell(text, bad && n > 0 ? 'fail' : undefined)
    }),
  }))
  rows.unshift({name: 'valid', why: 'checker verdict', cells: runs.map((run) => {
    const v = run.result.audit.valid
    return cell(String(v), v === true ? 'pass' : v === false ? 'fail' : 'warn')
  })})
  return table('Audit (message by message)', runs, rows)
}

/** Verdict checks and thresholds of one run: what was promised or demanded, what was observed. */
export function checksList(run: TableRun): string {
  const items = [
    ...run.result.verdict.checks.map((c) => ({pass: c.pass, weak: c.weak === true, name: c.name, detail: `promise: ${c.promise}; observed: ${c.observed}`})),
    ...(run.result.thresholds ?? []).map((t) => ({pass: t.pass, name: `threshold ${t.expression}`, detail: describeThreshold(t)})),
  ]
  const mark = (i: {pass: boolean; weak?: boolean}): string => (!i.pass ? 'FAIL' : i.weak ? 'WEAK' : 'PASS')
  const lis = items.map((i) => `<li class="${i.pass ? 'pass' : 'fail'}"><b>${mark(i)}</b> ${escapeHtml(i.name)} <small>${escapeHtml(i.detail)}</small></li>`)
  return `<div class="checks"><h3><span class="swatch" style="background:${run.color}"></span>${escapeHtml(run.label)}</h3><ul>${lis.join('') || '<li>no checks</li>'}</ul></div>`
}

export function configSection(run: TableRun): string {
  const nodes = run.result.cluster.map((n) => `<tr><td>${escapeHtml(n.name)}</td><td>${escapeHtml(n.role)}</td><td>${escapeHtml(n.flushDiskType)}</td><td>${escapeHtml(n.addr)}</td></tr>`)
  return `<details><summary><span class="swatch" style="background:${run.color}"></span>${escapeHtml(run.label)} — ${escapeHtml(run.result.scenario.description)}</summary>`
    + `<table><thead><tr><th>node</th><th>brokerRole</th><th>flushDiskType</th><th>address</th></tr></thead><tbody>${nodes.join('')}</tbody></table>`
    + `<pre>${escapeHtml(JSON.stringify(run.result.config, null, 2))}</pre></details>`
}
