/**
 * The interop suite's messages and their bit-exact verification. Messages are generated from a
 * seed (printed by the suite) so a failure can be replayed; they carry KEYS, TAGS and custom
 * properties with non-ASCII values, and now and then a body large enough to cross the 4 KiB line
 * where Java clients would start compressing and the broker's 64 KiB socket buffers.
 * Property values avoid 0x01/0x02 (unescapable separators) and the empty string (Java drops it).
 */
import type {Message, SendResult} from '../../src/client/index.js'
import type {MessageExt} from '../../src/protocol/message/message-ext.js'
import {encodeOffsetMsgId} from '../../src/protocol/message/message-id.js'
import {MessageProperty} from '../../src/protocol/message/properties.js'
import {seededRandom} from '../../src/seeded-random.js'

// Latin-1 accents, Greek, CJK, a 4-byte emoji (a UTF-16 surrogate pair in Java), RTL Arabic.
const NON_ASCII_WORDS = ['héllo wörld', 'Ωμέγα', '日本語テキスト', '消息队列', '😀🚀', 'مرحبا', 'ß∂ƒ©˙∆˚¬', 'ÅÄÖ-åäö']
const TAGS = ['TagA', 'TagB', 'tag-ü', '标签', 'Tag With Space']
export const LARGE_BODY_EVERY = 97
const PRINTABLE = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~'

function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)]!
}

function printable(rnd: () => number, length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += PRINTABLE[Math.floor(rnd() * PRINTABLE.length)]
  return out
}

function body(rnd: () => number, seq: number): Buffer {
  const size = seq % LARGE_BODY_EVERY === LARGE_BODY_EVERY - 1 ? 64 * 1024 + Math.floor(rnd() * 96 * 1024) : 1 + Math.floor(rnd() * 600)
  const buf = Buffer.allocUnsafe(size)
  // Every byte value, including 0x01/0x02 and 0x00: a body is opaque bytes, unlike properties.
  for (let i = 0; i < size; i++) buf[i] = Math.floor(rnd() * 256)
  return buf
}

/** The custom properties a message carries (what verification compares besides KEYS/TAGS/body). */
export interface InteropMessage extends Message {
  properties: Record<string, string>
  tags: string
  keys: string
}

/** Message `seq` of a phase; the same (seed, phase, seq) always yields the same message. */
export function interopMessage(topic: string, seed: number, phase: string, seq: number): InteropMessage {
  const rnd = seededRandom((seed ^ Math.imul(seq + 1, 0x9e3779b1) ^ (phase === 'sync' ? 0 : 0x5bd1e995)) >>> 0)
  return {
    topic,
    body: body(rnd, seq),
    tags: pick(rnd, TAGS),
    keys: `key-${phase}-${seq} biz-${seed}-${seq % 13}`,
    // The int FLAG field is stored and returned untouched; negative values included.
    flag: seq % 5 === 0 ? (Math.floor(rnd() * 2 ** 32) | 0) : 0,
    properties: {
      mqbench_phase: phase,
      mqbench_seq: String(seq),
      p_ascii: printable(rnd, 1 + Math.floor(rnd() * 40)),
      p_utf8: `${pick(rnd, NON_ASCII_WORDS)} ${pick(rnd, NON_ASCII_WORDS)} #${seq}`,
      'p_ключ': pick(rnd, NON_ASCII_WORDS),
      p_sep_like: 'a=b;c:d,e|f\t\\n',
    },
  }
}

export interface SentRecord {
  message: InteropMessage
  result: SendResult
}

export interface Verification {
  verified: number
  expected: number
  /** queueId → count of messages found there; offsets 0..count-1 each exactly once when no problems. */
  perQueue: Map<number, number>
  problems: string[]
}

const MAX_PROBLEMS = 20

/** queueId → 1 + the highest queue offset any SendResult named: where each queue must reach. */
export function promisedEnds(sent: ReadonlyMap<string, SentRecord>): Map<number, number> {
  const ends = new Map<number, number>()
  for (const {result} of sent.values()) ends.set(result.queue.queueId, Math.max(ends.get(result.queue.queueId) ?? 0, result.queueOffset + 1))
  return ends
}

/**
 * Every sent message must come back exactly once, at the queue and offset its SendResult named,
 * with the same body, KEYS, TAGS and custom properties; every queue's offsets must run 0..n-1.
 */
export function verifyPulled(sent: Map<string, SentRecord>, pulled: MessageExt[]): Verification {
  const problems: string[] = []
  const problem = (text: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(text)
    else if (problems.length === MAX_PROBLEMS) problems.push('… more problems not listed')
  }
  const seen = new Set<string>()
  const offsetsByQueue = new Map<number, number[]>()
  let verified = 0
  for (const m of pulled) {
    let offsets = offsetsByQueue.get(m.queueId)
    if (offsets === undefined) offsetsByQueue.set(m.queueId, (offsets = []))
    offsets.push(m.queueOffset)
    const id = m.properties[MessageProperty.UNIQ_KEY]
    const where = `queue ${m.queueId} offset ${m.queueOffset}`
    if (id === undefined) {
      problem(`${where}: no UNIQ_KEY`)
      continue
    }
    const record = sent.get(id)
    if (record === undefined) {
      problem(`${where}: unexpected message ${id}`)
      continue
    }
    if (seen.has(id)) {
      problem(`${where}: duplicate of ${id}`)
      continue
    }
    seen.add(id)
    const diff = messageDiff(record, m)
    if (diff === undefined) verified++
    else problem(`${where} (${id}): ${diff}`)
  }
  for (const id of sent.keys()) if (!seen.has(id)) problem(`message ${id} was sent (SEND_OK) but never pulled`)
  const perQueue = new Map<number, number>()
  for (const [queueId, offsets] of offsetsByQueue) {
    perQueue.set(queueId, offsets.length)
    offsets.sort((a, b) => a - b)
    const broken = offsets.findIndex((o, i) => o !== i)
    if (broken >= 0) problem(`queue ${queueId}: offsets not contiguous from 0 (position ${broken} holds ${offsets[broken]})`)
  }
  return {verified, expected: sent.size, perQueue, problems}
}

function messageDiff(record: SentRecord, m: MessageExt): string | undefined {
  const {message, result} = record
  if (m.topic !== message.topic) return `topic ${m.topic} != ${message.topic}`
  if (m.queueId !== result.queue.queueId || m.queueOffset !== result.queueOffset) {
    return `stored at ${m.queueId}/${m.queueOffset}, SendResult said ${result.queue.queueId}/${result.queueOffset}`
  }
  if (encodeOffsetMsgId(m.storeHost, m.commitLogOffset).toUpperCase() !== result.offsetMsgId.toUpperCase()) {
    return `offsetMsgId ${result.offsetMsgId} does not name storeHost ${m.storeHost} offset ${m.commitLogOffset}`
  }
  if (m.flag !== (message.flag ?? 0)) return `flag ${m.flag} != ${message.flag ?? 0}`
  if (!m.body.equals(message.body)) return `body differs (${m.body.length} vs ${message.body.length} bytes)`
  if (m.properties[MessageProperty.KEYS] !== message.keys) return `KEYS ${JSON.stringify(m.properties.KEYS)} != ${JSON.stringify(message.keys)}`
  if (m.properties[MessageProperty.TAGS] !== message.tags) return `TAGS ${JSON.stringify(m.properties.TAGS)} != ${JSON.stringify(message.tags)}`
  for (const [key, value] of Object.entries(message.properties)) {
    if (m.properties[key] !== value) return `property ${key}: ${JSON.stringify(m.properties[key])} != ${JSON.stringify(value)}`
  }
  return undefined
}
