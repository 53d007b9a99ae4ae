/**
 * Reading and writing custom-header fields (extFields). Every value is a string on the wire;
 * numbers parse as Java's Integer/Long.parseLong do (optional sign, decimal digits, nothing else)
 * and booleans as Boolean.parseBoolean (case-insensitive "true", anything else false).
 * Where Java would skip an unparseable value and then fail on the null mandatory field, we throw
 * BAD_FIELD naming the field at once.
 */
import {ProtocolError} from '../protocol-error.js'

export type ExtFields = Record<string, string>

const DECIMAL = /^[+-]?\d{1,19}$/
const INT_MIN = -2147483648
const INT_MAX = 2147483647

function fieldError(key: string, problem: string): ProtocolError {
  return new ProtocolError('BAD_FIELD', `field ${key}: ${problem}`)
}

function raw(ext: ExtFields | undefined, key: string, mandatory: boolean): string | undefined {
  const v = ext === undefined || !Object.prototype.hasOwnProperty.call(ext, key) ? undefined : ext[key]
  if (v === undefined && mandatory) throw fieldError(key, 'missing mandatory field')
  return v
}

function parseDecimal(key: string, v: string, min: number, max: number, kind: string): number {
  const n = DECIMAL.test(v) ? Number(v) : Number.NaN
  if (!(n >= min && n <= max)) throw fieldError(key, `expected ${kind}, got ${JSON.stringify(v)}`)
  return n
}

export function reqString(ext: ExtFields | undefined, key: string): string {
  return raw(ext, key, true)!
}

export function optString(ext: ExtFields | undefined, key: string): string | undefined {
  return raw(ext, key, false)
}

export function reqInt(ext: ExtFields | undefined, key: string): number {
  return parseDecimal(key, raw(ext, key, true)!, INT_MIN, INT_MAX, 'a 32-bit integer')
}

export function optInt(ext: ExtFields | undefined, key: string): number | undefined {
  const v = raw(ext, key, false)
  return v === undefined ? undefined : parseDecimal(key, v, INT_MIN, INT_MAX, 'a 32-bit integer')
}

/** Java longs arrive as JS numbers; offsets and timestamps stay far below 2^53. */
export function reqLong(ext: ExtFields | undefined, key: string): number {
  return parseDecimal(key, raw(ext, key, true)!, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'a safe integer')
}

const JAVA_LONG_MAX = 9223372036854775807n
const JAVA_LONG_MIN = -9223372036854775808n

/**
 * A Java long where only its order matters (a time bound): the whole long range is accepted and
 * values beyond ±2^53 saturate, so Long.MAX_VALUE ("no upper bound", as queryMessage sends it) works.
 */
export function reqLongSaturating(ext: ExtFields | undefined, key: string): number {
  const v = raw(ext, key, true)!
  const n = DECIMAL.test(v) ? BigInt(v) : undefined
  if (n === undefined || n > JAVA_LONG_MAX || n < JAVA_LONG_MIN) throw fieldError(key, `expected a 64-bit integer, got ${JSON.stringify(v)}`)
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER
  if (n < BigInt(Number.MIN_SAFE_INTEGER)) return Number.MIN_SAFE_INTEGER
  return Number(n)
}

export function optLong(ext: ExtFields | undefined, key: string): number | undefined {
  const v = raw(ext, key, false)
  return v === undefined ? undefined : parseDecimal(key, v, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'a safe integer')
}

export function reqBool(ext: ExtFields | undefined, key: string): boolean {
  return raw(ext, key, true)!.toLowerCase() === 'true'
}

export function optBool(ext: ExtFields | undefined, key: string): boolean | undefined {
  const v = raw(ext, key, false)
  return v === undefined ? undefined : v.toLowerCase() === 'true'
}

/** Adds an optional field only when present, so absent stays absent on the wire (Java omits nulls). */
export function putOpt(out: ExtFields, key: string, value: string | number | boolean | undefined): void {
  if (value !== undefined) out[key] = String(value)
}

/** Drops keys whose value is undefined, so decoded headers hold only what was on the wire. */
export function withoutUndefined<T extends object>(obj: T): T {
  for (const key of Object.keys(obj) as (keyof T)[]) if (obj[key] === undefined) delete obj[key]
  return obj
}

/** Codec of a header that is one mandatory string field (several admin headers are just a group name). */
export function singleStringHeader<K extends string>(key: K): {
  encode: (h: Record<K, string>) => ExtFields
  decode: (ext: ExtFields | undefined) => Record<K, string>
} {
  return {
    encode: (h) => ({[key]: h[key]}),
    decode: (ext) => ({[key]: reqString(ext, key)}) as Record<K, string>,
  }
}
