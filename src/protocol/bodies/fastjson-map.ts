/**
 * fastjson writes a Map whose keys are objects (ConsumeStats.offsetTable, TopicStatsTable.offsetTable:
 * Map<MessageQueue, …>) with the key object itself in key position, which is not JSON:
 *   {"offsetTable":{{"brokerName":"b","queueId":0,"topic":"T"}:{"maxOffset":3,…}}}
 * Java's fastjson reads that back, so we write it the same way; to read it we need our own parser,
 * which accepts standard JSON plus any value as an object key. An object with at least one
 * non-string key comes back as an ObjectKeyedMap (its entries, in order).
 */
import {badBody} from './json-body.js'

export class ObjectKeyedMap {
  constructor(readonly entries: Array<[unknown, unknown]>) {}
}

/** Serialises [keyObject, value] pairs as a fastjson object-keyed map. */
export function encodeObjectKeyedMap(entries: Iterable<[object, unknown]>): string {
  const parts: string[] = []
  for (const [k, v] of entries) parts.push(`${JSON.stringify(k)}:${JSON.stringify(v)}`)
  return `{${parts.join(',')}}`
}

/** Bounds nesting so a hostile body cannot exhaust the stack. */
const MAX_DEPTH = 64
// Sticky: each match starts exactly at lastIndex, so no token costs a copy of the rest of the text.
const STRING = /"(?:[^"\\]|\\.)*"/y
const SCALAR = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y

class Parser {
  pos = 0
  constructor(private readonly text: string, private readonly what: string) {}

  fail(problem: string): never {
    return badBody(this.what, `${problem} at character ${this.pos}`)
  }

  ws(): void {
    while (this.pos < this.text.length && ' \t\r\n'.includes(this.text[this.pos]!)) this.pos++
  }

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) this.fail('nested too deeply')
    this.ws()
    const c = this.text[this.pos]
    if (c === '{') return this.object(depth)
    if (c === '[') return this.array(depth)
    if (c === '"') return this.string()
    return this.json(this.token(SCALAR, 'unexpected token'))
  }

  string(): string {
    return this.json(this.token(STRING, 'unterminated string')) as string
  }

  /** A token the regexes let through that JSON still refuses (a bad escape such as "\x") is a bad body too. */
  json(token: string): unknown {
    try {
      return JSON.parse(token)
    } catch {
      return this.fail(`invalid token ${JSON.stringify(token.slice(0, 20))}`)
    }
  }

  token(re: RegExp, problem: string): string {
    re.lastIndex = this.pos
    const m = re.exec(this.text)
    if (!m) this.fail(problem)
    this.pos += m[0].length
    return m[0]
  }

  array(depth: number): unknown[] {
    this.pos++
    const out: unknown[] = []
    this.ws()
    if (this.text[this.pos] === ']') return (this.pos++, out)
    for (;;) {
      out.push(this.value(depth + 1))
      this.ws()
      const c = this.text[this.pos++]
      if (c === ']') return out
      if (c !== ',') this.fail('expected , or ]')
    }
  }

  object(depth: number): Record<string, unknown> | ObjectKeyedMap {
    this.pos++
    const entries: Array<[unknown, unknown]> = []
    this.ws()
    if (this.text[this.pos] === '}') return (this.pos++, {})
    for (;;) {
      const key = this.value(depth + 1)
      this.ws()
      if (this.text[this.pos++] !== ':') this.fail('expected :')
      entries.push([key, this.value(depth + 1)])
      this.ws()
      const c = this.text[this.pos++]
      if (c === '}') break
      if (c !== ',') this.fail('expected , or }')
    }
    if (entries.some(([k]) => typeof k !== 'string')) return new ObjectKeyedMap(entries)
    const o: Record<string, unknown> = {}
    for (const [k, v] of entries) Object.defineProperty(o, k as string, {value: v, enumerable: true, writable: true, configurable: true})
    return o
  }
}

/** Parses standard JSON or fastjson's object-keyed maps. */
export function parseFastjson(body: Buffer | string | undefined, what: string): unknown {
  if (body === undefined || body.length === 0) badBody(what, 'empty body')
  const text = typeof body === 'string' ? body : body.toString('utf8')
  const p = new Parser(text, what)
  const v = p.value(0)
  p.ws()
  if (p.pos !== text.length) p.fail('trailing characters')
  return v
}

/** The entries of a map that may be object-keyed, or a plain (possibly empty) object. */
export function mapEntries(v: unknown, path: string): Array<[unknown, unknown]> {
  if (v instanceof ObjectKeyedMap) return v.entries
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return Object.entries(v)
  return badBody(path, 'expected a map')
}
