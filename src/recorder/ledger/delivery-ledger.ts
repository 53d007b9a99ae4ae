/**
 * Delivery ledger: one record per message a consumer worker received (and, in memory, per
 * message the post-run drain read). Counting every delivery — not just distinct ones — is what
 * lets the checker see duplicates.
 *
 * Record (56 bytes, little-endian; see ledger-file.ts for the header):
 *   0 tag u8 ('D') | 1 bits u8 (1 = crcOk) | 2 topic index u16 | 4 producerId u32 | 8 seq u32
 *  12 queueId i32 | 16 queueOffset f64 | 24 brokerId i32 | 28 reconsumeTimes i32
 *  32 deliveredMs f64 | 40 bornMs f64 | 48 storeMs f64
 */
import {type LedgerFormat, readLedgerRecords, recordOffset, TypedLedgerWriter} from './ledger-file.js'

/**
 * DeliveryEntry.topic, the run's topic table: 0 = the run's topic; consumer group k's %RETRY% and %DLQ%
 * are 1 + 2k and 2 + 2k in the drain (workload/drain-run.ts), renumbered 1 and 2 per group for the checkers.
 * A consumer worker records its own group's retry copies as 1.
 */
export const MAIN_TOPIC_INDEX = 0
export const RETRY_TOPIC_INDEX = 1
export const DLQ_TOPIC_INDEX = 2
export const groupRetryTopicIndex = (k: number): number => RETRY_TOPIC_INDEX + 2 * k

/** producerId of a message that carries no identity of this run. */
export const NOT_OURS = 0xffffffff

export interface DeliveryEntry {
  producerId: number
  seq: number
  queueId: number
  queueOffset: number
  brokerId: number
  reconsumeTimes: number
  crcOk: boolean
  deliveredMs: number
  bornMs: number
  storeMs: number
  /** Index into the run's topic table; 0 (or absent) = the main topic, then %RETRY%/%DLQ% topics. */
  topic?: number
}

const TAG_DELIVERY = 0x44
const RECORD_BYTES = 56
const CRC_OK = 1

export const DELIVERY_LEDGER_FORMAT: LedgerFormat = {magic: 'MQBD', recordBytes: RECORD_BYTES, tags: [TAG_DELIVERY]}

export class DeliveryLedgerWriter extends TypedLedgerWriter {
  constructor(path: string, opts: {capacityRecords?: number} = {}) {
    super(path, DELIVERY_LEDGER_FORMAT, opts.capacityRecords)
  }

  record(e: DeliveryEntry): void {
    const b = this.file.buf
    const p = this.file.reserve()
    b[p] = TAG_DELIVERY
    b[p + 1] = e.crcOk ? CRC_OK : 0
    b.writeUInt16LE(e.topic ?? 0, p + 2)
    b.writeUInt32LE(e.producerId >>> 0, p + 4)
    b.writeUInt32LE(e.seq >>> 0, p + 8)
    b.writeInt32LE(e.queueId, p + 12)
    b.writeDoubleLE(e.queueOffset, p + 16)
    b.writeInt32LE(e.brokerId, p + 24)
    b.writeInt32LE(e.reconsumeTimes, p + 28)
    b.writeDoubleLE(e.deliveredMs, p + 32)
    b.writeDoubleLE(e.bornMs, p + 40)
    b.writeDoubleLE(e.storeMs, p + 48)
  }
}

function decodeEntry(b: Buffer, p: number): DeliveryEntry {
  return {
    producerId: b.readUInt32LE(p + 4),
    seq: b.readUInt32LE(p + 8),
    queueId: b.readInt32LE(p + 12),
    queueOffset: b.readDoubleLE(p + 16),
    brokerId: b.readInt32LE(p + 24),
    reconsumeTimes: b.readInt32LE(p + 28),
    crcOk: (b[p + 1]! & CRC_OK) !== 0,
    deliveredMs: b.readDoubleLE(p + 32),
    bornMs: b.readDoubleLE(p + 40),
    storeMs: b.readDoubleLE(p + 48),
    topic: b.readUInt16LE(p + 2),
  }
}

/** Entries plus the number of torn-tail bytes that were ignored. */
export function readDeliveryLedgerFile(path: string): {entries: DeliveryEntry[]; ignoredBytes: number} {
  const {buf, count, ignoredBytes} = readLedgerRecords(path, DELIVERY_LEDGER_FORMAT)
  const entries = new Array<DeliveryEntry>(count)
  for (let i = 0; i < count; i++) entries[i] = decodeEntry(buf, recordOffset(i, RECORD_BYTES))
  return {entries, ignoredBytes}
}

export function readDeliveryLedger(path: string): DeliveryEntry[] {
  return readDeliveryLedgerFile(path).entries
}
