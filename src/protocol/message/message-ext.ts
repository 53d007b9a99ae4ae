/**
 * The stored-message record: the unit of RocketMQ's CommitLog, and exactly what a pull response
 * body carries (concatenated). Layout for IPv4 hosts and magic v1 (rocketmq-protocol.md §6.1):
 *
 *  0 TOTALSIZE i32 | 4 MAGICCODE i32 | 8 BODYCRC i32 | 12 QUEUEID i32 | 16 FLAG i32
 * 20 QUEUEOFFSET i64 | 28 PHYSICALOFFSET i64 | 36 SYSFLAG i32 | 40 BORNTIMESTAMP i64
 * 48 BORNHOST ip4+port4 | 56 STORETIMESTAMP i64 | 64 STOREHOST ip4+port4 | 72 RECONSUMETIMES i32
 * 76 PREPAREDTRANSACTIONOFFSET i64 | 84 BODYLENGTH i32 + body | TOPICLENGTH i8 + topic
 * | PROPERTIESLENGTH i16 + properties                      → TOTALSIZE = 91 + body + topic + props
 *
 * IPv6 hosts (SYSFLAG bits 0x10 / 0x20) take 20 bytes each; they are decoded, never written.
 */
import {bodyCrc} from '../crc32.js'
import {ProtocolError} from '../protocol-error.js'
import {encodeProperties, type MessageProperties} from './properties.js'

export const MESSAGE_MAGIC_V1 = 0xdaa320a7 | 0
export const MESSAGE_MAGIC_V2 = 0xdaa320ab | 0
/** End-of-file marker: [i32 bytes left in file][i32 BLANK_MAGIC] (CommitLog.BLANK_MAGIC_CODE). */
export const BLANK_MAGIC = 0xcbd43194 | 0
export const BLANK_RECORD_BYTES = 8
export const RECORD_FIXED_BYTES = 91
export const MAX_TOPIC_BYTES = 127
export const MAX_PROPERTIES_BYTES = 32767

/** Byte positions of the fixed fields (IPv4 born host). */
export const RecordField = {
  TOTALSIZE: 0, MAGIC: 4, BODYCRC: 8, QUEUEID: 12, FLAG: 16, QUEUEOFFSET: 20, PHYSICALOFFSET: 28,
  SYSFLAG: 36, BORNTIMESTAMP: 40, BORNHOST: 48, STORETIMESTAMP: 56, STOREHOST: 64, RECONSUMETIMES: 72,
  PREPAREDTRANSACTIONOFFSET: 76, BODYLENGTH: 84,
} as const

export const MessageSysFlag = {
  COMPRESSED: 0x1, MULTI_TAGS: 0x2, TRANSACTION_PREPARED: 0x4, TRANSACTION_COMMIT: 0x8,
  TRANSACTION_ROLLBACK: 0xc, BORNHOST_V6: 0x10, STOREHOST_V6: 0x20, COMPRESSION_TYPE_MASK: 0x700,
} as const

export interface MessageExt {
  topic: string
  queueId: number
  flag: number
  queueOffset: number
  commitLogOffset: number
  sysFlag: number
  bornTimestamp: number
  bornHost: string
  storeTimestamp: number
  storeHost: string
  reconsumeTimes: number
  preparedTransactionOffset: number
  body: Buffer
  properties: MessageProperties
  bodyCrc: number
  /** Unsigned CRC-32 of body, set only by decodeMessageExt with viewBody (the BODYCRC check's own pass). */
  bodyCrc32?: number
  storeSize: number
}

/** What a writer supplies; properties may be pre-encoded to skip work on the hot path. */
export type MessageRecordInput = Omit<MessageExt, 'body' | 'properties' | 'bodyCrc' | 'bodyCrc32' | 'storeSize'> & {
  body: Uint8Array
  properties: MessageProperties | string
  /** Precomputed BODYCRC (e.g. by a batch decoder); computed when absent. */
  bodyCrc?: number
}

const hostCache = new Map<string, {ip: number; port: number}>()

function parseHost(host: string): {ip: number; port: number} {
  let parsed = hostCache.get(host)
  if (parsed) return parsed
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}):(\d{1,5})$/.exec(host)
  if (!m || [m[1], m[2], m[3], m[4]].some((p) => Number(p) > 255) || Number(m[5]) > 65535) {
    throw new ProtocolError('BAD_FIELD', `host ${JSON.stringify(host)}: expected IPv4 ip:port`)
  }
  parsed = {ip: ((+m[1]! << 24) | (+m[2]! << 16) | (+m[3]! << 8) | +m[4]!) | 0, port: +m[5]!}
  if (hostCache.size < 1024) hostCache.set(host, parsed)
  return parsed
}

/**
 * A 64-bit big-endian field from a safe integer, as two 32-bit halves: BigInt(x) would allocate
 * on every call, and the record writer has five of these per message.
 */
function writeInt64(target: Buffer, v: number, pos: number): void {
  if (!Number.isSafeInteger(v)) throw new ProtocolError('BAD_FIELD', `64-bit field: ${v} is not a safe integer`)
  const hi = Math.floor(v / 0x1_0000_0000)
  target.writeInt32BE(hi, pos)
  target.writeUInt32BE(v - hi * 0x1_0000_0000, pos + 4)
}

export function messageRecordSize(bodyBytes: number, topicBytes: number, propertiesBytes: number): number {
  return RECORD_FIXED_BYTES + bodyBytes + topicBytes + propertiesBytes
}

/** Byte sizes a writer needs before reserving space. */
export function measureRecord(input: MessageRecordInput): {size: number; properties: string; topicBytes: number; propertiesBytes: number} {
  const properties = typeof input.properties === 'string' ? input.properties : encodeProperties(input.properties)
  const topicBytes = Buffer.byteLength(input.topic)
  const propertiesBytes = Buffer.byteLength(properties)
  if (topicBytes === 0 || topicBytes > MAX_TOPIC_BYTES) {
    throw new ProtocolError('BAD_FIELD', `topic: expected 1..${MAX_TOPIC_BYTES} bytes, got ${topicBytes}`)
  }
  if (propertiesBytes > MAX_PROPERTIES_BYTES) {
    throw new ProtocolError('BAD_FIELD', `properties: expected at most ${MAX_PROPERTIES_BYTES} bytes, got ${propertiesBytes}`)
  }
  return {size: messageRecordSize(input.body.length, topicBytes, propertiesBytes), properties, topicBytes, propertiesBytes}
}

/** Writes one record at target[pos]; returns its size. The caller guarantees room (see measureRecord). */
export function writeMessageRecord(target: Buffer, pos: number, input: MessageRecordInput, measured = measureRecord(input)): number {
  const {size, properties, topicBytes, propertiesBytes} = measured
  const born = parseHost(input.bornHost)
  const store = parseHost(input.storeHost)
  const body = input.body
  target.writeInt32BE(size, pos)
  target.writeInt32BE(MESSAGE_MAGIC_V1, pos + 4)
  target.writeInt32BE(input.bodyCrc ?? bodyCrc(body), pos + 8)
  target.writeInt32BE(input.queueId, pos + 12)
  target.writeInt32BE(input.flag, pos + 16)
  writeInt64(target, input.queueOffset, pos + 20)
  writeInt64(target, input.commitLogOffset, pos + 28)
  target.writeInt32BE(input.sysFlag & ~(MessageSysFlag.BORNHOST_V6 | MessageSysFlag.STOREHOST_V6), pos + 36)
  writeInt64(target, input.bornTimestamp, pos + 40)
  target.writeInt32BE(born.ip, pos + 48)
  target.writeInt32BE(born.port, pos + 52)
  writeInt64(target, input.storeTimestamp, pos + 56)
  target.writeInt32BE(store.ip, pos + 64)
  target.writeInt32BE(store.port, pos + 68)
  target.writeInt32BE(input.reconsumeTimes, pos + 72)
  writeInt64(target, input.preparedTransactionOffset, pos + 76)
  target.writeInt32BE(body.length, pos + 84)
  target.set(body, pos + 88)
  let p = pos + 88 + body.length
  target.writeInt8(topicBytes, p)
  target.write(input.topic, p + 1, topicBytes, 'utf8')
  p += 1 + topicBytes
  target.writeInt16BE(propertiesBytes, p)
  if (propertiesBytes > 0) target.write(properties, p + 2, propertiesBytes, 'utf8')
  return size
}

export function encodeMessageRecord(input: MessageRecordInput): Buffer {
  const measured = measureRecord(input)
  const buf = Buffer.allocUnsafe(measured.size)
  writeMessageRecord(buf, 0, input, measured)
  return buf
}

/** Rewrites the fields the store assigns, e.g. when a slave or a re-dispatch needs them changed. */
export function patchRecordOffsets(buf: Buffer, pos: number, queueOffset: number, commitLogOffset: number): void {
  writeInt64(buf, queueOffset, pos + RecordField.QUEUEOFFSET)
  writeInt64(buf, commitLogOffset, pos + RecordField.PHYSICALOFFSET)
}
