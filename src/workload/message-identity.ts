/**
 * Who sent a message, and what its body must be. The audit classifies messages by this identity, so it
 * travels twice: in properties (MQB_RUN, MQB_PID, MQB_SEQ, MQB_CRC, MQB_T), which the broker never
 * touches, and in a 16-byte body prefix (u32 pid, u32 seq, f64 intended ms, little-endian), so a
 * message whose properties were mangled can still be recognised by hand. KEYS = "<pid>:<seq>" makes a
 * message searchable on a real RocketMQ console.
 */
import {crc32} from '../protocol/crc32.js'
import {MessageProperty, type MessageExt} from '../protocol/message/index.js'
import {propertyName, type RecordView} from '../protocol/message/record-view.js'
import {ConfigError} from '../errors.js'
import type {SeededRandom} from './seeded-random.js'

export const IdentityProperty = {
  RUN: 'MQB_RUN',
  PID: 'MQB_PID',
  SEQ: 'MQB_SEQ',
  CRC: 'MQB_CRC',
  INTENDED_MS: 'MQB_T',
} as const

export const BODY_PREFIX_BYTES = 16
const U32_MAX = 0xffffffff

export interface MessageIdentity {
  runId: string
  producerId: number
  seq: number
  /** Unsigned CRC-32 of the whole body. */
  bodyCrc: number
  /** Intended send time, epoch ms (fractional). */
  intendedMs: number
}

/**
 * A body of exactly `size` bytes: the identity prefix, then seeded pseudo-random payload (so bodies
 * differ and a corrupted byte changes the CRC).
 */
export function buildMessageBody(size: number, producerId: number, seq: number, intendedMs: number, rng: SeededRandom): Buffer {
  if (!Number.isInteger(size) || size < BODY_PREFIX_BYTES) {
    throw new ConfigError(`message body size must be an integer ≥ ${BODY_PREFIX_BYTES} bytes (it carries the identity prefix), got ${size}`)
  }
  const body = Buffer.allocUnsafe(size)
  body.writeUInt32LE(producerId >>> 0, 0)
  body.writeUInt32LE(seq >>> 0, 4)
  body.writeDoubleLE(intendedMs, 8)
  rng.fill(body, BODY_PREFIX_BYTES, size)
  return body
}

/** The five identity properties plus KEYS; merge into the message's own properties. */
export function identityProperties(id: MessageIdentity): Record<string, string> {
  return {
    [IdentityProperty.RUN]: id.runId,
    [IdentityProperty.PID]: String(id.producerId),
    [IdentityProperty.SEQ]: String(id.seq),
    [IdentityProperty.CRC]: String(id.bodyCrc >>> 0),
    [IdentityProperty.INTENDED_MS]: String(id.intendedMs),
    [MessageProperty.KEYS]: `${id.producerId}:${id.seq}`,
  }
}

/** The identity a delivered message claims; undefined when it carries none (not ours) or a malformed one. */
export function readIdentity(msg: Pick<MessageExt, 'properties'>): MessageIdentity | undefined {
  const p = msg.properties
  const runId = p[IdentityProperty.RUN]
  if (runId === undefined) return undefined
  const producerId = parseU32(p[IdentityProperty.PID])
  const seq = parseU32(p[IdentityProperty.SEQ])
  const bodyCrc = parseU32(p[IdentityProperty.CRC])
  const intendedMs = Number(p[IdentityProperty.INTENDED_MS])
  if (producerId === undefined || seq === undefined || bodyCrc === undefined || !Number.isFinite(intendedMs)) return undefined
  return {runId, producerId, seq, bodyCrc, intendedMs}
}

const RECORD_NAMES = {
  run: propertyName(IdentityProperty.RUN), pid: propertyName(IdentityProperty.PID), seq: propertyName(IdentityProperty.SEQ),
  crc: propertyName(IdentityProperty.CRC), intendedMs: propertyName(IdentityProperty.INTENDED_MS),
}

/** What the final read keeps of an identity: who sent it, and the CRC its body must have. */
export type StoredIdentity = Pick<MessageIdentity, 'producerId' | 'seq' | 'bodyCrc'>

/**
 * readIdentity's answer for one run, read from a stored record in place (the final read's hot path):
 * undefined unless the record carries `runId` and a well-formed identity, exactly when readIdentity
 * would refuse it or name another run. The answer is one object the reader reuses (no allocation per
 * record): read it before the next call.
 */
export function recordIdentityReader(runId: string): (record: RecordView) => StoredIdentity | undefined {
  const run = Buffer.from(runId, 'utf8')
  const answer: StoredIdentity = {producerId: 0, seq: 0, bodyCrc: 0}
  return (r) => {
    if (run.length === 0 || !r.propertyEquals(RECORD_NAMES.run, run)) return undefined
    const producerId = r.propertyUint32(RECORD_NAMES.pid)
    const seq = r.propertyUint32(RECORD_NAMES.seq)
    const bodyCrc = r.propertyUint32(RECORD_NAMES.crc)
    if (producerId === undefined || seq === undefined || bodyCrc === undefined) return undefined
    // Digits are finite without making a string; anything else gets readIdentity's own test.
    if (!r.propertyIsDecimal(RECORD_NAMES.intendedMs) && !Number.isFinite(Number(r.property(RECORD_NAMES.intendedMs)))) return undefined
    answer.producerId = producerId
    answer.seq = seq
    answer.bodyCrc = bodyCrc
    return answer
  }
}

/** True when the delivered body is the one that was sent (CRC-32 over the whole body). */
export function bodyMatches(body: Uint8Array, id: MessageIdentity): boolean {
  return crc32(body) === id.bodyCrc
}

/** Identity recovered from the body prefix alone; for forensics when properties are damaged. */
export function readBodyPrefix(body: Uint8Array): {producerId: number; seq: number; intendedMs: number} | undefined {
  if (body.length < BODY_PREFIX_BYTES) return undefined
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.length)
  return {producerId: buf.readUInt32LE(0), seq: buf.readUInt32LE(4), intendedMs: buf.readDoubleLE(8)}
}

/** One number per (producer, seq), exact below 2^53: the audit's map key. */
export function identityKey(producerId: number, seq: number): number {
  return producerId * 0x1_0000_0000 + seq
}

function parseU32(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,10}$/.test(text)) return undefined
  const n = Number(text)
  return n <= U32_MAX ? n : undefined
}
