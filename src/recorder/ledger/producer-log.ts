/**
 * A producer ledger read as its 48-byte records (producer-ledger.ts), field by field: two records per
 * message, so 10M messages are 20M ProducerLedgerEntry objects (GBs) but ~1 GB of records — read from
 * the file a window at a time (record-log.ts), never all at once.
 */
import {
  decodeProducerEntry, HAS_ACK, HAS_BROKER_NAME, HAS_QUEUE_ID, HAS_QUEUE_OFFSET, PRODUCER_LEDGER_FORMAT, PRODUCER_RECORD_BYTES,
  type ProducerLedgerEntry, putProducerEntry, SendOutcome, TAG_START,
} from './producer-ledger.js'
import {ledgerExtent} from './ledger-file.js'
import {RecordLog, type RecordSource} from './record-log.js'

const R = PRODUCER_RECORD_BYTES

export class ProducerLog extends RecordLog<ProducerLedgerEntry> {
  constructor(source: RecordSource) {
    super(source, R)
  }

  static of(entries: Iterable<ProducerLedgerEntry>): ProducerLog {
    const list = Array.from(entries)
    const buf = Buffer.alloc(list.length * R)
    list.forEach((e, i) => putProducerEntry(buf, i * R, e))
    return new ProducerLog({kind: 'memory', segments: [buf]})
  }

  isStart(i: number): boolean {
    const p = this.pos(i)
    return this.dv.getUint8(p) === TAG_START
  }

  /** An OUTCOME record that says SEND_OK: the broker's promise. */
  sendOk(i: number): boolean {
    const p = this.pos(i)
    return this.dv.getUint8(p) !== TAG_START && this.dv.getUint8(p + 1) === SendOutcome.SEND_OK
  }

  /** An OUTCOME record that says DROPPED: the send was never issued. */
  dropped(i: number): boolean {
    const p = this.pos(i)
    return this.dv.getUint8(p) !== TAG_START && this.dv.getUint8(p + 1) === SendOutcome.DROPPED
  }

  queueId(i: number): number | undefined {
    const p = this.pos(i)
    return this.dv.getUint8(p + 3) & HAS_QUEUE_ID ? this.dv.getInt32(p + 16, true) : undefined
  }

  /** Index into the ledger's broker-name table. */
  brokerName(i: number): number | undefined {
    const p = this.pos(i)
    return this.dv.getUint8(p + 3) & HAS_BROKER_NAME ? this.dv.getUint16(p + 20, true) : undefined
  }

  queueOffset(i: number): number | undefined {
    const p = this.pos(i)
    return this.dv.getUint8(p + 3) & HAS_QUEUE_OFFSET ? this.dv.getFloat64(p + 24, true) : undefined
  }

  /** When the send ended (its ackMs), or when it was meant to start when no ack time was recorded. */
  ackOrIntendedMs(i: number): number {
    const p = this.pos(i)
    return this.dv.getFloat64(p + (this.dv.getUint8(p + 3) & HAS_ACK ? 40 : 32), true)
  }

  at(i: number): ProducerLedgerEntry {
    const p = this.pos(i)
    return decodeProducerEntry(Buffer.from(this.dv.buffer, this.dv.byteOffset, this.dv.byteLength), p)
  }
}

/** A producer ledger file as a ProducerLog read a window at a time, plus the torn-tail bytes ignored. */
export function readProducerLog(path: string): {log: ProducerLog; ignoredBytes: number} {
  const {firstByte, count, ignoredBytes} = ledgerExtent(path, PRODUCER_LEDGER_FORMAT)
  return {log: new ProducerLog({kind: 'file', path, firstByte, count}), ignoredBytes}
}
