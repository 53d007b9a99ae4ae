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
export const DELIVERY_RECORD_BYTES = 56
const CRC_OK = 1

export const DELIVERY_LEDGER_FORMAT: LedgerFormat = {magic: 'MQBD', recordBytes: DELIVERY_RECORD_BYTES, tags: [TAG_DELIVERY]}

/**
 * Writes one record at byte p of dv (the layout above), field by field: the drain's hot path calls it with
 * no DeliveryEntry in between, the ledger writer with one.
 */
export function putDelivery(
  dv: DataView, p: number, producerId: number, seq: number, queueId: number, queueOffset: number, brokerId: number,
  reconsumeTimes: number, crcOk: boolean, deliveredMs: number, bornMs: number, storeMs: number, topic: number,
): void {
  dv.setUint8(p, TAG_DELIVERY)
  dv.setUint8(p + 1, crcOk ? CRC_OK : 0)
  dv.setUint16(p + 2, topic, true)
  dv.setUint32(p + 4, producerId >>> 0, true)
  dv.setUint32(p + 8, seq >>> 0, true)
  dv.setInt32(p + 12, queueId, true)
  dv.setFloat64(p + 16, queueOffset, true)
  dv.setInt32(p + 24, brokerId, true)
  dv.setInt32(p + 28, reconsumeTimes, true)
  dv.setFloat64(p + 32, deliveredMs, true)
  dv.setFloat64(p + 40, bornMs, true)
  dv.setFloat64(p + 48, storeMs, true)
}

/** putDelivery of one entry. */
export function putDeliveryEntry(dv: DataView, p: number, e: DeliveryEntry): void {
  putDelivery(dv, p, e.producerId, e.seq, e.queueId, e.queueOffset, e.brokerId, e.reconsumeTimes, e.crcOk, e.deliveredMs, e.bornMs, e.storeMs, e.topic ?? 0)
}

/** The fields of the record at byte p of dv. */
export function getDelivery(dv: DataView, p: number): DeliveryEntry {
  return {
    producerId: dv.getUint32(p + 4, true),
    seq: dv.getUint32(p + 8, true),
    queueId: dv.getInt32(p + 12, true),
    queueOffset: dv.getFloat64(p + 16, true),
    brokerId: dv.getInt32(p + 24, true),
    reconsumeTimes: dv.getInt32(p + 28, true),
    crcOk: (dv.getUint8(p + 1) & CRC_OK) !== 0,
    deliveredMs: dv.getFloat64(p + 32, true),
    bornMs: dv.getFloat64(p + 40, true),
    storeMs: dv.getFloat64(p + 48, true),
    topic: dv.getUint16(p + 2, true),
  }
}

export class DeliveryLedgerWriter extends TypedLedgerWriter {
  private readonly view: DataView

  constructor(path: string, opts: {capacityRecords?: number} = {}) {
    super(path, DELIVERY_LEDGER_FORMAT, opts.capacityRecords)
    const b = this.file.buf
    this.view = new DataView(b.buffer, b.byteOffset, b.length)
  }

  record(e: DeliveryEntry): void {
    putDeliveryEntry(this.view, this.file.reserve(), e)
  }

  /** Whole records in this ledger's layout (a DeliveryLog's records), appended as they are. */
  records(records: Buffer): void {
    this.file.writeRecords(records)
  }
}

/** Entries plus the number of torn-tail bytes that were ignored (an object per entry: see delivery-log.ts for big reads). */
export function readDeliveryLedgerFile(path: string): {entries: DeliveryEntry[]; ignoredBytes: number} {
  const {buf, count, ignoredBytes} = readLedgerRecords(path, DELIVERY_LEDGER_FORMAT)
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.length)
  const entries = new Array<DeliveryEntry>(count)
  for (let i = 0; i < count; i++) entries[i] = getDelivery(dv, recordOffset(i, DELIVERY_RECORD_BYTES))
  return {entries, ignoredBytes}
}

export function readDeliveryLedger(path: string): DeliveryEntry[] {
  return readDeliveryLedgerFile(path).entries
}
