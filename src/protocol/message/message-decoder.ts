/**
 * Reading stored-message records: one at a time (pull bodies, lookups) or as a validity scan
 * (store recovery, which must never throw on garbage — it stops at the first invalid record).
 */
import {inflateSync} from 'node:zlib'
import {bodyCrc, crc32} from '../crc32.js'
import {ProtocolError} from '../protocol-error.js'
import {
  BLANK_MAGIC, BLANK_RECORD_BYTES, MESSAGE_MAGIC_V1, MESSAGE_MAGIC_V2, MessageSysFlag, RECORD_FIXED_BYTES,
  type MessageExt,
} from './message-ext.js'
import {decodeProperties} from './properties.js'

export type RecordCheck =
  | {kind: 'message'; size: number; commitLogOffset: number; queueId: number; queueOffset: number; storeTimestamp: number}
  | {kind: 'blank'; size: number}
  | {kind: 'invalid'; reason: string}

function readHost(buf: Buffer, pos: number, v6: boolean): {host: string; next: number} {
  if (!v6) {
    const host = `${buf[pos]}.${buf[pos + 1]}.${buf[pos + 2]}.${buf[pos + 3]}:${buf.readInt32BE(pos + 4)}`
    return {host, next: pos + 8}
  }
  const parts: string[] = []
  for (let i = 0; i < 16; i += 2) parts.push(buf.readUInt16BE(pos + i).toString(16))
  return {host: `[${parts.join(':')}]:${buf.readInt32BE(pos + 16)}`, next: pos + 20}
}

const TWO_POW_32 = 4294967296

/**
 * A big-endian i64 as a number, from two 32-bit reads: the same value Number(readBigInt64BE()) gives
 * (exact below 2^53, one round-to-nearest beyond), without a BigInt per field — five per record, on
 * a path that decodes every message of a final read.
 */
export function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * TWO_POW_32 + buf.readUInt32BE(pos + 4)
}

export interface Layout {
  size: number
  sysFlag: number
  bodyPos: number
  bodyLength: number
  topicPos: number
  topicLength: number
  propsPos: number
  propsLength: number
}

/** Parses lengths only; returns a reason string instead of throwing so scans stay cheap. */
export function layoutAt(buf: Buffer, pos: number, limit: number): Layout | string {
  if (limit - pos < 8) return `truncated header at ${pos}`
  const size = buf.readInt32BE(pos)
  const magic = buf.readInt32BE(pos + 4)
  if (magic !== MESSAGE_MAGIC_V1 && magic !== MESSAGE_MAGIC_V2) return `bad magic 0x${(magic >>> 0).toString(16)} at ${pos}`
  if (size < RECORD_FIXED_BYTES || pos + size > limit) return `bad size ${size} at ${pos}`
  const sysFlag = buf.readInt32BE(pos + 36)
  const bornBytes = sysFlag & MessageSysFlag.BORNHOST_V6 ? 20 : 8
  const storeBytes = sysFlag & MessageSysFlag.STOREHOST_V6 ? 20 : 8
  const bodyLenPos = pos + 48 + bornBytes + 8 + storeBytes + 4 + 8
  if (bodyLenPos + 4 > pos + size) return `bad layout at ${pos}`
  const bodyLength = buf.readInt32BE(bodyLenPos)
  const bodyPos = bodyLenPos + 4
  const topicLenPos = bodyPos + bodyLength
  if (bodyLength < 0 || topicLenPos + 2 > pos + size) return `bad body length ${bodyLength} at ${pos}`
  const v2 = magic === MESSAGE_MAGIC_V2
  const topicLength = v2 ? buf.readInt16BE(topicLenPos) : buf.readInt8(topicLenPos)
  const topicPos = topicLenPos + (v2 ? 2 : 1)
  const propsLenPos = topicPos + topicLength
  if (topicLength <= 0 || propsLenPos + 2 > pos + size) return `bad topic length ${topicLength} at ${pos}`
  const propsLength = buf.readInt16BE(propsLenPos)
  const propsPos = propsLenPos + 2
  if (propsLength < 0 || propsPos + propsLength !== pos + size) return `fields do not add up to TOTALSIZE ${size} at ${pos}`
  return {size, sysFlag, bodyPos, bodyLength, topicPos, topicLength, propsPos, propsLength}
}

/**
 * Validity check used by recovery (CommitLog.checkMessageAndReturnSize plus checks RocketMQ lacks,
 * made when the record's CommitLog position is known: PHYSICALOFFSET must be that position, which
 * rejects stale records left behind a truncation, and QUEUEOFFSET must be one the position can hold).
 */
export function checkRecord(
  buf: Buffer, pos: number, limit: number, opts: {checkCrc?: boolean; expectedCommitLogOffset?: number} = {},
): RecordCheck {
  if (limit - pos >= BLANK_RECORD_BYTES && buf.readInt32BE(pos + 4) === BLANK_MAGIC) {
    return {kind: 'blank', size: buf.readInt32BE(pos)}
  }
  const layout = layoutAt(buf, pos, limit)
  if (typeof layout === 'string') return {kind: 'invalid', reason: layout}
  if (opts.checkCrc !== false) {
    const stored = buf.readInt32BE(pos + 8)
    const actual = bodyCrc(buf, layout.bodyPos, layout.bodyPos + layout.bodyLength)
    if (stored !== actual) return {kind: 'invalid', reason: `body CRC mismatch at ${pos}`}
  }
  const commitLogOffset = readInt64(buf, pos + 28)
  const queueOffset = readInt64(buf, pos + 20)
  if (opts.expectedCommitLogOffset !== undefined) {
    if (commitLogOffset !== opts.expectedCommitLogOffset) {
      return {kind: 'invalid', reason: `PHYSICALOFFSET ${commitLogOffset} ≠ position ${opts.expectedCommitLogOffset}`}
    }
    // Every earlier message of the queue is a whole record lower in the CommitLog. The body CRC does not
    // cover QUEUEOFFSET: a flipped high byte once passed recovery and the ConsumeQueue filled blanks
    // towards offset 7e18 until the machine ran out of memory.
    const most = Math.floor(commitLogOffset / RECORD_FIXED_BYTES)
    if (!(queueOffset >= 0 && queueOffset <= most)) {
      return {kind: 'invalid', reason: `QUEUEOFFSET ${queueOffset} impossible at CommitLog offset ${commitLogOffset} (at most ${most} records lie before it)`}
    }
  }
  const bornBytes = layout.sysFlag & MessageSysFlag.BORNHOST_V6 ? 20 : 8
  return {
    kind: 'message',
    size: layout.size,
    commitLogOffset,
    queueId: buf.readInt32BE(pos + 12),
    queueOffset,
    storeTimestamp: readInt64(buf, pos + 48 + bornBytes),
  }
}

export interface DecodeOptions {
  /** Verify BODYCRC (default true). */
  checkCrc?: boolean
  /** Inflate zlib-compressed bodies and clear the COMPRESSED bit (default true), as the Java client does. */
  decompressBody?: boolean
  /**
   * The body is a view into buf, not a copy, and bodyCrc32 carries the CRC-32 the BODYCRC check computed,
   * so a reader that checks bodies itself (the final read) needs neither a second pass nor a copy. Default false.
   */
  viewBody?: boolean
}

/** The layout of the record at buf[pos] (to the end of buf); throws ProtocolError for anything malformed. */
export function recordLayout(buf: Buffer, pos: number): Layout {
  const layout = layoutAt(buf, pos, buf.length)
  if (typeof layout === 'string') {
    throw new ProtocolError(layout.startsWith('bad magic') ? 'BAD_MAGIC' : layout.startsWith('truncated') ? 'TRUNCATED' : 'BAD_RECORD', layout)
  }
  return layout
}

/**
 * The unsigned CRC-32 of the body of the record at buf[pos]; throws BAD_CRC when it does not match the
 * record's BODYCRC (the CRC-32 with its sign bit cleared, bodyCrc()).
 */
export function checkedBodyCrc(buf: Buffer, pos: number, bodyStart: number, bodyEnd: number): number {
  const crc = crc32(buf, bodyStart, bodyEnd)
  if (buf.readInt32BE(pos + 8) !== (crc & 0x7fffffff)) throw new ProtocolError('BAD_CRC', `body CRC mismatch in record at ${pos}`)
  return crc
}

/** Decodes one record at buf[pos]; throws ProtocolError for anything malformed. */
export function decodeMessageExt(buf: Buffer, pos = 0, opts: DecodeOptions = {}): MessageExt {
  const layout = recordLayout(buf, pos)
  const storedCrc = buf.readInt32BE(pos + 8)
  const bodyEnd = layout.bodyPos + layout.bodyLength
  // The full CRC-32 is kept for viewBody.
  const crc = opts.checkCrc !== false ? checkedBodyCrc(buf, pos, layout.bodyPos, bodyEnd) : undefined
  let sysFlag = layout.sysFlag
  const born = readHost(buf, pos + 48, (sysFlag & MessageSysFlag.BORNHOST_V6) !== 0)
  const storeTimestamp = readInt64(buf, born.next)
  const store = readHost(buf, born.next + 8, (sysFlag & MessageSysFlag.STOREHOST_V6) !== 0)
  const view = buf.subarray(layout.bodyPos, bodyEnd)
  let body = opts.viewBody === true ? view : Buffer.from(view)
  let inflated = false
  if (opts.decompressBody !== false && sysFlag & MessageSysFlag.COMPRESSED) {
    const type = (sysFlag & MessageSysFlag.COMPRESSION_TYPE_MASK) >> 8
    if (type === 0 || type === 3) {
      try {
        body = inflateSync(body)
      } catch {
        throw new ProtocolError('BAD_RECORD', `zlib body does not inflate in record at ${pos}`)
      }
      sysFlag &= ~(MessageSysFlag.COMPRESSED | MessageSysFlag.COMPRESSION_TYPE_MASK)
      inflated = true
    }
  }
  const msg: MessageExt = {
    storeSize: layout.size,
    bodyCrc: storedCrc,
    queueId: buf.readInt32BE(pos + 12),
    flag: buf.readInt32BE(pos + 16),
    queueOffset: readInt64(buf, pos + 20),
    commitLogOffset: readInt64(buf, pos + 28),
    sysFlag,
    bornTimestamp: readInt64(buf, pos + 40),
    bornHost: born.host,
    storeTimestamp,
    storeHost: store.host,
    reconsumeTimes: buf.readInt32BE(store.next),
    preparedTransactionOffset: readInt64(buf, store.next + 4),
    body,
    topic: buf.toString('utf8', layout.topicPos, layout.topicPos + layout.topicLength),
    properties: decodeProperties(buf.toString('utf8', layout.propsPos, layout.propsPos + layout.propsLength)),
  }
  if (opts.viewBody === true && crc !== undefined && !inflated) msg.bodyCrc32 = crc
  return msg
}

/** Splits a pull-response body (records back to back) into messages. */
export function decodeMessages(body: Buffer, opts: DecodeOptions = {}): MessageExt[] {
  const out: MessageExt[] = []
  let pos = 0
  while (pos < body.length) {
    const msg = decodeMessageExt(body, pos, opts)
    out.push(msg)
    pos += msg.storeSize
  }
  return out
}
