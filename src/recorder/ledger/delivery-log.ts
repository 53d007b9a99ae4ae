/**
 * Delivery entries held as their ledger records (56 bytes each, delivery-ledger.ts) in one buffer, read
 * field by field: a million DeliveryEntry objects cost ~170 MB and seconds of allocation and GC, the
 * records 56 MB and nothing. The final read builds one (DeliveryLogBuilder), writes it to drain.ledger as
 * it is, and the audit reads ledgers back into logs (readDeliveryLog) with no decoding at all.
 */
import {DELIVERY_LEDGER_FORMAT, DELIVERY_RECORD_BYTES, type DeliveryEntry, getDelivery, putDelivery, putDeliveryEntry} from './delivery-ledger.js'
import {readLedgerRecords, recordOffset} from './ledger-file.js'

const R = DELIVERY_RECORD_BYTES

export class DeliveryLog implements Iterable<DeliveryEntry> {
  private readonly dv: DataView
  readonly length: number

  /** records: whole records in the ledger layout (no file header). */
  constructor(readonly records: Buffer) {
    this.dv = new DataView(records.buffer, records.byteOffset, records.length)
    this.length = Math.floor(records.length / R)
  }

  static of(entries: Iterable<DeliveryEntry>): DeliveryLog {
    const b = new DeliveryLogBuilder()
    for (const e of entries) b.push(e)
    return b.build()
  }

  producerId(i: number): number { return this.dv.getUint32(i * R + 4, true) }
  seq(i: number): number { return this.dv.getUint32(i * R + 8, true) }
  queueId(i: number): number { return this.dv.getInt32(i * R + 12, true) }
  queueOffset(i: number): number { return this.dv.getFloat64(i * R + 16, true) }
  brokerId(i: number): number { return this.dv.getInt32(i * R + 24, true) }
  reconsumeTimes(i: number): number { return this.dv.getInt32(i * R + 28, true) }
  crcOk(i: number): boolean { return (this.dv.getUint8(i * R + 1) & 1) !== 0 }
  deliveredMs(i: number): number { return this.dv.getFloat64(i * R + 32, true) }
  bornMs(i: number): number { return this.dv.getFloat64(i * R + 40, true) }
  storeMs(i: number): number { return this.dv.getFloat64(i * R + 48, true) }
  topic(i: number): number { return this.dv.getUint16(i * R + 2, true) }

  /** Entry i as an object (for the small paths: samples, behaviour groups, tests). */
  at(i: number): DeliveryEntry {
    return getDelivery(this.dv, i * R)
  }

  toArray(): DeliveryEntry[] {
    return Array.from(this)
  }

  *[Symbol.iterator](): Iterator<DeliveryEntry> {
    for (let i = 0; i < this.length; i++) yield this.at(i)
  }
}

const INITIAL_RECORDS = 1024

/** Appends records to a buffer that doubles as it fills; build() hands the records over without a copy. */
export class DeliveryLogBuilder {
  private buf = Buffer.allocUnsafe(INITIAL_RECORDS * R)
  private dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length)
  private used = 0

  get length(): number {
    return this.used / R
  }

  append(
    producerId: number, seq: number, queueId: number, queueOffset: number, brokerId: number, reconsumeTimes: number,
    crcOk: boolean, deliveredMs: number, bornMs: number, storeMs: number, topic: number,
  ): void {
    this.reserve(R)
    putDelivery(this.dv, this.used, producerId, seq, queueId, queueOffset, brokerId, reconsumeTimes, crcOk, deliveredMs, bornMs, storeMs, topic)
    this.used += R
  }

  push(e: DeliveryEntry): void {
    this.reserve(R)
    putDeliveryEntry(this.dv, this.used, e)
    this.used += R
  }

  /** Entry i of log, appended as it is stored (no object). */
  appendFrom(log: DeliveryLog, i: number): void {
    this.reserve(R)
    log.records.copy(this.buf, this.used, i * R, (i + 1) * R)
    this.used += R
  }

  appendLog(log: DeliveryLog): void {
    this.reserve(log.records.length)
    log.records.copy(this.buf, this.used)
    this.used += log.records.length
  }

  build(): DeliveryLog {
    return new DeliveryLog(this.buf.subarray(0, this.used))
  }

  /** Grows the buffer (doubling) so `bytes` more fit. */
  private reserve(bytes: number): void {
    if (this.used + bytes <= this.buf.length) return
    const grown = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.used + bytes))
    this.buf.copy(grown, 0, 0, this.used)
    this.buf = grown
    this.dv = new DataView(grown.buffer, grown.byteOffset, grown.length)
  }
}

/** A delivery ledger file read as a DeliveryLog (its records in place), plus the torn-tail bytes ignored. */
export function readDeliveryLog(path: string): {log: DeliveryLog; ignoredBytes: number} {
  const {buf, count, ignoredBytes} = readLedgerRecords(path, DELIVERY_LEDGER_FORMAT)
  const first = recordOffset(0, R)
  return {log: new DeliveryLog(buf.subarray(first, first + count * R)), ignoredBytes}
}
