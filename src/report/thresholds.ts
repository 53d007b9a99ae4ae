/**
 * CI gates: `send.p99<20ms`, `audit.lost==0`, `throughput.sendTps>=5000`. A threshold names any
 * numeric field of result.json (a path checked against the RunResult schema, so a typo fails before a
 * long run starts, not after it) and compares it with a limit in the field's own unit; latency fields
 * are milliseconds in result.json and accept us/ms/s on the limit.
 */
import {ConfigError} from '../errors.js'
import type {RunResult, ThresholdResult} from './run-result.js'
import {runResultSchema} from './run-result-schema.js'
import {formatMs, newTable, section, type Paint} from './terminal-format.js'

export type {ThresholdResult}

export const THRESHOLD_OPS = ['<=', '>=', '==', '!=', '<', '>'] as const
export type ThresholdOp = (typeof THRESHOLD_OPS)[number]

export interface Threshold {
  expression: string
  /** Full path in result.json, after aliases: `latency.send.p99`. */
  field: string
  op: ThresholdOp
  /** In the field's unit (ms for latencies). */
  limit: number
  unit: FieldUnit
  /** What an absent value counts as: 0 inside count maps (no SYSTEM_BUSY errors = 0), else "no value". */
  absentAs: 0 | null
}

type FieldUnit = 'ms' | 's' | 'none'

// Short names for the figures people gate on most; the full path always works too.
const ALIASES: Record<string, string> = {send: 'latency.send', sendService: 'latency.sendService', e2e: 'latency.e2e', byStatus: 'latency.byStatus'}

const UNIT_TO_MS: Record<string, number> = {us: 0.001, µs: 0.001, ms: 1, s: 1000}

const EXPRESSION = /^\s*([A-Za-z_][\w.]*)\s*(<=|>=|==|!=|<|>)\s*(-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*([a-zµ]*)\s*$/i

export function parseThresholds(expressions: readonly string[]): Threshold[] {
  return expressions.map(parseThreshold)
}

export function parseThreshold(expression: string): Threshold {
  const m = EXPRESSION.exec(expression)
  if (!m) {
    throw new ConfigError(`threshold ${JSON.stringify(expression)}: expected <field><op><number>[unit], e.g. 'send.p99<20ms' (ops: ${THRESHOLD_OPS.join(' ')})`)
  }
  const [, rawField, op, rawLimit, rawUnit] = m as unknown as [string, string, ThresholdOp, string, string]
  const field = resolveAlias(rawField)
  const absentAs = checkNumericField(field, expression)
  const unit = fieldUnit(field)
  let limit = Number(rawLimit)
  if (rawUnit !== '') {
    const toMs = UNIT_TO_MS[rawUnit.toLowerCase()] ?? UNIT_TO_MS[rawUnit]
    if (toMs === undefined) throw new ConfigError(`threshold ${JSON.stringify(expression)}: unknown unit "${rawUnit}" (use us, ms or s)`)
    if (unit === 'none') throw new ConfigError(`threshold ${JSON.stringify(expression)}: ${field} is not a time, so "${rawUnit}" does not apply`)
    limit = unit === 'ms' ? limit * toMs : (limit * toMs) / 1000
  }
  return {expression: expression.trim(), field, op, limit, unit, absentAs}
}

function resolveAlias(field: string): string {
  const [head, ...rest] = field.split('.')
  const full = ALIASES[head!]
  return full === undefined ? field : [full, ...rest].join('.')
}

function fieldUnit(field: string): FieldUnit {
  const last = field.slice(field.lastIndexOf('.') + 1)
  if (field.startsWith('latency.') && last !== 'count') return 'ms'
  if (last.endsWith('Ms')) return 'ms'
  if (last === 'durationS' || (field.startsWith('faults.') && (last === 'at' || last === 'healedAt')) || (field.startsWith('timeline.') && last === 't')) return 's'
  return 'none'
}

interface ZodDefLike {
  type: string
  shape?: Record<string, {_zod: {def: ZodDefLike}}>
  innerType?: {_zod: {def: ZodDefLike}}
  valueType?: {_zod: {def: ZodDefLike}}
  element?: {_zod: {def: ZodDefLike}}
}

/**
 * Walks the RunResult schema along `field`; throws unless it ends on a number. Paths into `config`
 * (free-form scenario) are accepted here and checked against the value at evaluation.
 */
function checkNumericField(field: string, expression: string): 0 | null {
  const unknownField = (why: string): ConfigError =>
    new ConfigError(`threshold ${JSON.stringify(expression)}: ${why}`, {hint: 'name a numeric field of result.json, e.g. latency.send.p99, audit.lost, throughput.sendTps'})
  let def = (runResultSchema as unknown as {_zod: {def: ZodDefLike}})._zod.def
  let inRecord = false
  const parts = field.split('.')
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!
    while (def.type === 'optional' || def.type === 'nullable') def = def.innerType!._zod.def
    const at = parts.slice(0, i).join('.') || 'result'
    if (def.type === 'object') {
      const next = def.shape![part]
      if (!next) throw unknownField(`unknown field "${parts.slice(0, i + 1).join('.')}" (${at} has ${Object.keys(def.shape!).join(', ')})`)
      def = next._zod.def
    } else if (def.type === 'record') {
      def = def.valueType!._zod.def
      inRecord = true
    } else if (def.type === 'array') {
      if (!/^\d+$/.test(part)) throw unknownField(`${at} is a list; index it by number (${at}.0)`)
      def = def.element!._zod.def
    } else if (def.type === 'unknown') {
      return null
    } else {
      throw unknownField(`${at} is not an object, so "${part}" cannot be read from it`)
    }
  }
  while (def.type === 'optional' || def.type === 'nullable') def = def.innerType!._zod.def
  if (def.type === 'unknown') return null
  if (def.type !== 'number') throw unknownField(`${field} is not numeric (${def.type})`)
  return inRecord ? 0 : null
}

function valueAt(result: RunResult, field: string): unknown {
  let v: unknown = result
  for (const part of field.split('.')) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string, unknown>)[part]
  }
  return v
}

function compare(observed: number, op: ThresholdOp, limit: number): boolean {
  switch (op) {
    case '<': return observed < limit
    case '<=': return observed <= limit
    case '>': return observed > limit
    case '>=': return observed >= limit
    case '==': return observed === limit
    case '!=': return observed !== limit
  }
}

/** An absent value (no SEND_OK latency because nothing was acked) fails: a gate never passes on no data. */
export function evaluateThresholds(thresholds: readonly Threshold[], result: RunResult): ThresholdResult[] {
  return thresholds.map((t) => {
    const raw = valueAt(result, t.field)
    const observed = typeof raw === 'number' && Number.isFinite(raw) ? raw : raw === undefined ? t.absentAs : null
    return {expression: t.expression, field: t.field, observed, limit: t.limit, pass: observed !== null && compare(observed, t.op, t.limit)}
  })
}

export function thresholdsPass(results: readonly ThresholdResult[] | undefined): boolean {
  return (results ?? []).every((r) => r.pass)
}

/** `23.4ms` for latencies, plain numbers otherwise; the unit comes from the field. */
export function formatThresholdValue(field: string, v: number | null): string {
  if (v === null) return 'absent'
  const unit = fieldUnit(field)
  if (unit === 'ms') return `${formatMs(v)}ms`
  if (unit === 's') return `${v}s`
  return Number.isInteger(v) ? v.toLocaleString('en-US') : String(Math.round(v * 1000) / 1000)
}

export function describeThreshold(r: ThresholdResult): string {
  const op = /(<=|>=|==|!=|<|>)/.exec(r.expression)?.[1] ?? '?'
  return `observed ${formatThresholdValue(r.field, r.observed)}, limit ${op} ${formatThresholdValue(r.field, r.limit)}`
}

export function renderThresholds(result: RunResult, paint: Paint): string | undefined {
  const results = result.thresholds ?? []
  if (results.length === 0) return undefined
  const table = newTable(paint, ['threshold', 'observed', 'limit', ''], ['left', 'right', 'right', 'left'])
  for (const r of results) {
    const op = /(<=|>=|==|!=|<|>)/.exec(r.expression)?.[1] ?? ''
    const mark = r.pass ? paint.pass('ok') : paint.fail('FAILED')
    const observed = formatThresholdValue(r.field, r.observed)
    table.push([r.expression, r.pass ? observed : paint.fail(observed), `${op} ${formatThresholdValue(r.field, r.limit)}`, mark])
  }
  const failed = results.filter((r) => !r.pass).length
  return section(`Thresholds: ${failed === 0 ? paint.pass('all passed') : paint.fail(`${failed} of ${results.length} FAILED`)}`, table, paint)
}
