/**
 * Shared reading of RocketMQ's JSON bodies: parse (tolerating fastjson's unquoted numeric map
 * keys, rocketmq-protocol.md §4.4) and check shapes, failing with BAD_BODY and the JSON path.
 */
import {ProtocolError} from '../protocol-error.js'

export type JsonObject = Record<string, unknown>

export function badBody(path: string, problem: string): never {
  throw new ProtocolError('BAD_BODY', `${path}: ${problem}`)
}

/**
 * fastjson writes Map<Long,…> keys bare: {0:"127.0.0.1:10911"}. Quote an integer that follows
 * `{` or `,` (outside strings) and precedes `:`; everything else is copied unchanged.
 */
export function quoteBareNumericKeys(text: string): string {
  let out = ''
  let copiedTo = 0
  let inString = false
  let expectKey = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // backslash: skip the escaped char
      else if (c === 0x22) inString = false
      continue
    }
    if (c === 0x22) {
      inString = true
      expectKey = false
    } else if (c === 0x7b || c === 0x2c) {
      expectKey = true
    } else if (expectKey && (c === 0x2d || (c >= 0x30 && c <= 0x39))) {
      let j = i + 1
      while (j < text.length && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++
      let k = j
      while (k < text.length && /\s/.test(text[k]!)) k++
      if (text[k] === ':') {
        out += text.slice(copiedTo, i) + '"' + text.slice(i, j) + '"'
        copiedTo = j
      }
      i = j - 1
      expectKey = false
    } else if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) {
      expectKey = false
    }
  }
  return copiedTo === 0 ? text : out + text.slice(copiedTo)
}

/** Standard JSON first; the fastjson repair runs only when that fails. */
export function parseJsonBody(body: Buffer | string | undefined, what: string): unknown {
  if (body === undefined || body.length === 0) badBody(what, 'empty body')
  const text = typeof body === 'string' ? body : body.toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    try {
      return JSON.parse(quoteBareNumericKeys(text))
    } catch (err) {
      badBody(what, `not valid JSON (${(err as Error).message})`)
    }
  }
}

export function encodeJsonBody(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8')
}

export function asObject(v: unknown, path: string): JsonObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) badBody(path, 'expected an object')
  return v as JsonObject
}

export function asArray(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) badBody(path, 'expected an array')
  return v
}

export function reqStr(o: JsonObject, key: string, path: string): string {
  const v = o[key]
  if (typeof v !== 'string') badBody(`${path}.${key}`, `expected a string, got ${JSON.stringify(v) ?? 'nothing'}`)
  return v
}

export function optStr(o: JsonObject, key: string, path: string): string | undefined {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') badBody(`${path}.${key}`, `expected a string, got ${JSON.stringify(v)}`)
  return v
}

export function reqNum(o: JsonObject, key: string, path: string): number {
  const v = o[key]
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    badBody(`${path}.${key}`, `expected a number, got ${JSON.stringify(v) ?? 'nothing'}`)
  }
  return v
}

export function optNum(o: JsonObject, key: string, path: string): number | undefined {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  return reqNum(o, key, path)
}

export function reqBoolean(o: JsonObject, key: string, path: string): boolean {
  const v = o[key]
  if (typeof v !== 'boolean') badBody(`${path}.${key}`, `expected a boolean, got ${JSON.stringify(v) ?? 'nothing'}`)
  return v
}

export function optBoolean(o: JsonObject, key: string, path: string): boolean | undefined {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  return reqBoolean(o, key, path)
}

export function stringArray(v: unknown, path: string): string[] {
  const arr = asArray(v, path)
  arr.forEach((item, i) => {
    if (typeof item !== 'string') badBody(`${path}[${i}]`, 'expected a string')
  })
  return arr as string[]
}

/** Map<String|Long, String> as a plain object; values must be strings. */
export function stringMap(v: unknown, path: string): Record<string, string> {
  const o = asObject(v, path)
  for (const key of Object.keys(o)) {
    if (typeof o[key] !== 'string') badBody(`${path}.${key}`, 'expected a string')
  }
  return o as Record<string, string>
}

/** Assigns a peer-chosen key as data even when it is "__proto__". */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, {value, enumerable: true, writable: true, configurable: true})
}
