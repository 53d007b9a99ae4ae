/**
 * Delivery entries read as their ledger records (56 bytes each, delivery-ledger.ts), field by field: a
 * million DeliveryEntry objects cost ~170 MB and seconds of allocation and GC, the records 56 MB in
 * memory — or one window when the log is read from its file (record-log.ts). The final read builds one
 * (DeliveryLogBuilder) and writes it to drain.ledger as it is; the audit reads ledgers back with
 * readDeliveryLog, with no decoding at all.
 */
import {DELIVERY_LEDGER_FORMAT, DELIVERY_RECORD_BYTES, type DeliveryEntry, getDelivery, putDelivery, putDeliveryEntry} from './delivery-ledger.js'
import {ledgerExtent} from './ledger-file.js'
import {RecordLog, type RecordSource} from './record-log.js'

const R = DELIVERY_RECORD_BYTES

export class DeliveryLog extends RecordLog<DeliveryEntry> {
  constructor(source: RecordSource) {
    super(source, R)
  }

  /** A log of whole records held in memory (the ledger layout, no file header). */
  static inMemory(...segments: Buffer[]): DeliveryLog {
    return new DeliveryLog({kind: 'memory', segments})
  }

  static of(entries: Iterable<DeliveryEntry>): DeliveryLog {
    const b = new DeliveryLogBuilder()
    for (const e of entries) b.push(e)
    return b.build()
  }

  queueId(i: number): number {
    const p = this.pos(i)
    return this.dv.getInt32(p + 12, true)
  }

  queueOffset(i: number): number {
    const p = this.pos(i)
    return this.dv.getFloat64(p + 16, true)
  }

  brokerId(i: number): number {
    const p = this.pos(i)
    return this.dv.getInt32(p + 24, true)
  }

  crcOk(i: number): boolean {
    const p = this.pos(i)
    return (this.dv.getUint8(p + 1) & 1) !== 0
  }

  topic(i: number): number {
    const p = this.pos(i)
    return this.dv.getUint16(p + 2, true)
  }

  at(i: number): DeliveryEntry {
    const p = this.pos(i)
    return getDelivery(this.dv, p)
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
    log.copyRecord(i, this.buf, this.used)
    this.used += R
  }

  build(): DeliveryLog {
    return DeliveryLog.inMemory(this.records())
  }

  /** The records appended so far (a view: appending more may move them). */
  records(): Buffer {
    return this.buf.subarray(0, this.used)
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

/** A delivery ledger file as a DeliveryLog read from the file a window at a time, plus the torn-tail bytes ignored. */
export function readDeliveryLog(path: string): {log: DeliveryLog; ignoredBytes: number} {
  const {firstByte, count, ignoredBytes} = ledgerExtent(path, DELIVERY_LEDGER_FORMAT)
  return {log: new DeliveryLog({kind: 'file', path, firstByte, count}), ignoredBytes}
}
