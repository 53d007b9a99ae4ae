/**
 * Producer ledger: one START record before a send is issued, one OUTCOME record when it ends.
 * The checker needs both: START proves an identity was attempted (so finding it is never
 * "unexpected"), OUTCOME says whether the broker promised it (SEND_OK) and so whether its absence is a loss.
 *
 * Record (48 bytes, little-endian; see ledger-file.ts for the header):
 *   0 tag u8 ('S' start / 'O' outcome) | 1 outcome u8 | 2 retries u8 (clamped) | 3 presence bits u8
 *   4 producerId u32 | 8 seq u32 | 12 brokerCode i32 | 16 queueId i32 | 20 brokerName index u16 | 22 pad u16
 *  24 queueOffset f64 | 32 intendedMs f64 | 40 ackMs f64
 * Offsets and times are f64: exact below 2^53, and writing them allocates nothing (BigInt would).
 */
import {type LedgerFormat, readLedgerRecords, recordOffset, TypedLedgerWriter} from './ledger-file.js'

/** How a send ended. A START without an OUTCOME is "unknown": the producer died mid-send. */
export const SendOutcome = {
  SEND_OK: 0, FLUSH_DISK_TIMEOUT: 1, FLUSH_SLAVE_TIMEOUT: 2, SLAVE_NOT_AVAILABLE: 3,
  ERROR_TIMEOUT: 4, ERROR_CONNECTION: 5, ERROR_BROKER: 6, DROPPED: 7,
} as const
export type SendOutcomeValue = (typeof SendOutcome)[keyof typeof SendOutcome]

export interface ProducerOutcome {
  producerId: number
  seq: number
  outcome: number
  brokerCode?: number
  retries?: number
  queueId?: number
  queueOffset?: number
  intendedMs: number
  ackMs?: number
  /** Index into the run's broker-name table. */
  brokerName?: number
}

/** A record as read back: a START carries only the identity and intendedMs, so outcome is optional. */
export interface ProducerLedgerEntry extends Omit<ProducerOutcome, 'outcome'> {
  kind: 'start' | 'outcome'
  outcome?: number
}

export const TAG_START = 0x53
const TAG_OUTCOME = 0x4f
export const PRODUCER_RECORD_BYTES = 48
const RECORD_BYTES = PRODUCER_RECORD_BYTES
const HAS_BROKER_CODE = 1
const HAS_RETRIES = 2
export const HAS_QUEUE_ID = 4
export const HAS_QUEUE_OFFSET = 8
export const HAS_ACK = 16
export const HAS_BROKER_NAME = 32

export const PRODUCER_LEDGER_FORMAT: LedgerFormat = {magic: 'MQBP', recordBytes: RECORD_BYTES, tags: [TAG_START, TAG_OUTCOME]}

/** A START record at byte p of b. */
export function putStart(b: Buffer, p: number, producerId: number, seq: number, intendedMs: number): void {
  b.fill(0, p, p + RECORD_BYTES)
  b[p] = TAG_START
  b.writeUInt32LE(producerId >>> 0, p + 4)
  b.writeUInt32LE(seq >>> 0, p + 8)
  b.writeDoubleLE(intendedMs, p + 32)
}

/** An OUTCOME record at byte p of b; the presence bits say which optional fields it carries. */
export function putOutcome(b: Buffer, p: number, e: ProducerOutcome): void {
  let bits = 0
  b[p] = TAG_OUTCOME
  b[p + 1] = e.outcome
  if (e.retries !== undefined) bits |= HAS_RETRIES
  b[p + 2] = e.retries === undefined ? 0 : Math.min(255, Math.max(0, e.retries))
  b.writeUInt32LE(e.producerId >>> 0, p + 4)
  b.writeUInt32LE(e.seq >>> 0, p + 8)
  if (e.brokerCode !== undefined) bits |= HAS_BROKER_CODE
  b.writeInt32LE(e.brokerCode ?? 0, p + 12)
  if (e.queueId !== undefined) bits |= HAS_QUEUE_ID
  b.writeInt32LE(e.queueId ?? 0, p + 16)
  if (e.brokerName !== undefined) bits |= HAS_BROKER_NAME
  b.writeUInt16LE(e.brokerName ?? 0, p + 20)
  b.writeUInt16LE(0, p + 22)
  if (e.queueOffset !== undefined) bits |= HAS_QUEUE_OFFSET
  b.writeDoubleLE(e.queueOffset ?? 0, p + 24)
  b.writeDoubleLE(e.intendedMs, p + 32)
  if (e.ackMs !== undefined) bits |= HAS_ACK
  b.writeDoubleLE(e.ackMs ?? 0, p + 40)
  b[p + 3] = bits
}

/** An entry as read back, written again (ProducerLog.of). */
export function putProducerEntry(b: Buffer, p: number, e: ProducerLedgerEntry): void {
  if (e.kind === 'start') putStart(b, p, e.producerId, e.seq, e.intendedMs)
  else putOutcome(b, p, {...e, outcome: e.outcome ?? 0})
}

export class ProducerLedgerWriter extends TypedLedgerWriter {
  constructor(path: string, opts: {capacityRecords?: number} = {}) {
    super(path, PRODUCER_LEDGER_FORMAT, opts.capacityRecords)
  }

  /** Call flushSync() before issuing the send: a kill -9 must never make a stored message look unattempted. */
  start(producerId: number, seq: number, intendedMs: number): void {
    putStart(this.file.buf, this.file.reserve(), producerId, seq, intendedMs)
  }

  /** May stay buffered (the worker flushes every ~100 ms): a lost OUTCOME only turns an ack into "unknown". */
  outcome(e: ProducerOutcome): void {
    putOutcome(this.file.buf, this.file.reserve(), e)
  }
}

/** The entry at byte p of b. */
export function decodeProducerEntry(b: Buffer, p: number): ProducerLedgerEntry {
  const e: ProducerLedgerEntry = {
    kind: b[p] === TAG_START ? 'start' : 'outcome',
    producerId: b.readUInt32LE(p + 4),
    seq: b.readUInt32LE(p + 8),
    intendedMs: b.readDoubleLE(p + 32),
  }
  if (e.kind === 'start') return e
  const bits = b[p + 3]!
  e.outcome = b[p + 1]!
  if (bits & HAS_RETRIES) e.retries = b[p + 2]!
  if (bits & HAS_BROKER_CODE) e.brokerCode = b.readInt32LE(p + 12)
  if (bits & HAS_QUEUE_ID) e.queueId = b.readInt32LE(p + 16)
  if (bits & HAS_BROKER_NAME) e.brokerName = b.readUInt16LE(p + 20)
  if (bits & HAS_QUEUE_OFFSET) e.queueOffset = b.readDoubleLE(p + 24)
  if (bits & HAS_ACK) e.ackMs = b.readDoubleLE(p + 40)
  return e
}

/** Entries plus the number of torn-tail bytes that were ignored. */
export function readProducerLedgerFile(path: string): {entries: ProducerLedgerEntry[]; ignoredBytes: number} {
  const {buf, count, ignoredBytes} = readLedgerRecords(path, PRODUCER_LEDGER_FORMAT)
  const entries = new Array<ProducerLedgerEntry>(count)
  for (let i = 0; i < count; i++) entries[i] = decodeProducerEntry(buf, recordOffset(i, RECORD_BYTES))
  return {entries, ignoredBytes}
}

export function readProducerLedger(path: string): ProducerLedgerEntry[] {
  return readProducerLedgerFile(path).entries
}
