/**
 * The outcome half of the terminal report: what the audit found message by message, whether replicas
 * ended byte-identical, which faults ran when, and the verdict against what the mode promises.
 */
import type {AuditCounts, RunResult} from './run-result.js'
import {renderFaultTimeline} from './fault-timeline.js'
import {fitWidth, formatCount, formatSeconds, newTable, section, type Paint} from './terminal-format.js'

type AuditRow = {key: keyof AuditCounts & keyof RunResult['audit']; why: string; severity: 'info' | 'warn' | 'fail'; samples: boolean}

// Order and one-line meaning follow the audit model in architecture.md.
const AUDIT_ROWS: AuditRow[] = [
  {key: 'attempted', why: 'sends started', severity: 'info', samples: false},
  {key: 'acked', why: 'SEND_OK replies', severity: 'info', samples: false},
  {key: 'delivered', why: 'distinct messages consumed or drained', severity: 'info', samples: false},
  {key: 'deliveries', why: 'deliveries including repeats', severity: 'info', samples: false},
  {key: 'ok', why: 'acked and found exactly once', severity: 'info', samples: false},
  {key: 'lost', why: 'acked but found nowhere', severity: 'fail', samples: true},
  {key: 'lostFromStore', why: 'acked but not in the store after the heal (delivered or not)', severity: 'fail', samples: true},
  {key: 'duplicated', why: 'delivered or stored more than once', severity: 'warn', samples: true},
  {key: 'recovered', why: 'send failed or unknown, yet stored (allowed)', severity: 'warn', samples: true},
  {key: 'unexpected', why: 'found but never attempted', severity: 'fail', samples: true},
  {key: 'corrupt', why: 'body checksum mismatch', severity: 'fail', samples: true},
  {key: 'missingUnconfirmed', why: 'not acked and absent (allowed)', severity: 'info', samples: false},
  {key: 'reordered', why: 'stored after a later message of its producer in its queue', severity: 'warn', samples: true},
]

function validity(v: true | false | 'unknown', paint: Paint): string {
  if (v === true) return paint.pass('valid')
  if (v === false) return paint.fail('INVALID')
  return paint.warn('unknown (checker could not decide)')
}

export function renderAudit(r: RunResult, paint: Paint): string {
  const a = r.audit
  const rows = AUDIT_ROWS.filter((row) => a[row.key] !== undefined)
  const samples = rows.map((row) => (row.samples && a[row.key]! > 0 ? (a.samples[row.key] ?? []).slice(0, 10).join(', ') : ''))
  const samplesHead = 'sample ids (producer:seq)'
  const table = newTable(paint, ['class', 'count', 'meaning', samplesHead], ['left', 'right', 'left', 'left'],
    [null, null, null, fitWidth([samplesHead, ...samples], 48)])
  rows.forEach((row, i) => {
    const n = a[row.key]!
    const label = n === 0 || row.severity === 'info' ? row.key : row.severity === 'fail' ? paint.fail(row.key) : paint.warn(row.key)
    table.push([label, formatCount(n), row.why, samples[i]!])
  })
  return section(`Audit: ${validity(a.valid, paint)} (every message, warm-up included)`, table, paint)
}

export function renderReplication(r: RunResult, paint: Paint): string | undefined {
  const rep = r.replication
  if (rep === undefined) return undefined
  const table = newTable(paint, ['', 'sha256', 'bytes'], ['left', 'left', 'right'])
  table.push(
    ['master CommitLog', rep.masterSha256.slice(0, 16), formatCount(rep.masterBytes)],
    ['slave CommitLog', rep.slaveSha256.slice(0, 16), formatCount(rep.slaveBytes)],
  )
  const identical = rep.commitLogIdentical ? paint.pass('identical') : paint.fail('DIFFERENT')
  return section(`Replication: ${identical}`, table, paint)
}

export function renderFaults(r: RunResult, paint: Paint): string | undefined {
  if (r.faults.length === 0) return undefined
  const table = newTable(paint, ['at', 'action', 'target', 'healed at'], ['right', 'left', 'left', 'right'])
  for (const f of r.faults) {
    // A power cut says what it destroyed: the bytes written but not yet synced when the power went.
    const destroyed = f.unsyncedBytes === undefined ? '' : `; destroyed ${formatCount(f.unsyncedBytes)} unsynced bytes`
    const target = `${f.target}${destroyed}${f.description ? `\n${f.description}` : ''}`
    table.push([formatSeconds(f.at), f.action, target, f.healedAt === undefined ? paint.warn('not healed') : formatSeconds(f.healedAt)])
  }
  return `${section('Faults (seconds since load start)', table, paint)}\n${renderFaultTimeline(r, paint)}`
}

function checkResult(c: RunResult['verdict']['checks'][number], paint: Paint): string {
  if (!c.pass) return paint.fail('FAIL')
  return c.weak ? paint.warn('WEAK') : paint.pass('PASS')
}

export function renderVerdict(r: RunResult, paint: Paint): string {
  const v = r.verdict
  const observed = v.checks.map((c) =>
    c.lostSamples && c.lostSamples.length > 0 ? `${c.observed}\nlost: ${c.lostSamples.slice(0, 10).join(', ')}` : c.observed)
  const promises = v.checks.map((c) => c.promise)
  const table = newTable(paint, ['check', 'promise', 'observed', 'result'], [],
    [null, fitWidth(['promise', ...promises], 44), fitWidth(['observed', ...observed], 44), null])
  v.checks.forEach((c, i) => table.push([c.name, c.promise, observed[i]!, checkResult(c, paint)]))
  const overall = r.scenario.expectedVerdict === 'FAIL'
    ? (v.pass ? paint.fail('PASS — but this demonstration must FAIL: the fault went unnoticed') : `${paint.fail('FAIL')} ${paint.warn(`(expected: ${r.scenario.name} demonstrates a failure mqbench must catch)`)}`)
    : v.pass ? (v.weak ? `${paint.pass('PASS')} ${paint.warn('(weak: some faults tested little; --strict fails it)')}` : paint.pass('PASS')) : paint.fail('FAIL')
  return section(`Verdict: ${overall}`, v.checks.length > 0 ? table : paint.dim('(no checks)'), paint)
}
