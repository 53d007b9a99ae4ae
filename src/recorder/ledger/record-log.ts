/**
 * A ledger's fixed-size records read by index, without an object per record: held in memory (one or
 * more buffers, e.g. the drain's queue by queue), or left in their file and read a window at a time. A
 * 10M-message run writes ~2 GB of ledgers; the audit reads them front to back, so a file-backed log
 * costs one window of memory and one read per window instead of all of it.
 *
 * Subclasses name the fields: `const p = this.pos(i)` first, then read `this.dv` at p — pos may move
 * the window and replace dv, so dv must not be read before it. The identity is read here: every ledger
 * family keeps producerId (u32) at byte 4 and seq (u32) at byte 8 of its records.
 */
import {closeSync, openSync} from 'node:fs'
import {MqbenchError} from '../../errors.js'
import {readRecordsAt} from './ledger-file.js'

/** Records read per window from a file: 64Ki records, 3–4 MB. */
export const WINDOW_RECORDS = 65_536

/** Where a log's records live. */
export type RecordSource =
  | {kind: 'memory'; segments: Buffer[]}
  | {kind: 'file'; path: string; firstByte: number; count: number}

const viewOf = (b: Buffer): DataView => new DataView(b.buffer, b.byteOffset, b.length)

export abstract class RecordLog<Entry> implements Iterable<Entry> {
  readonly length: number
  protected dv: DataView
  private lo = 0
  private hi = 0
  /** Index of each memory segment's first record, plus the total at the end. */
  private readonly starts: number[] = [0]
  private window: Buffer | undefined

  protected constructor(private readonly source: RecordSource, readonly recordBytes: number) {
    if (source.kind === 'file') {
      this.length = source.count
    } else {
      for (const s of source.segments) {
        if (s.length % recordBytes !== 0) {
          throw new MqbenchError('LEDGER_RECORDS', `${s.length} bytes are not whole ${recordBytes}-byte records`)
        }
        this.starts.push(this.starts[this.starts.length - 1]! + s.length / recordBytes)
      }
      this.length = this.starts[this.starts.length - 1]!
    }
    this.dv = viewOf(Buffer.alloc(0))
  }

  /** Record i as an object (for the small paths: behaviour groups, samples, tests). */
  abstract at(i: number): Entry

  producerId(i: number): number {
    const p = this.pos(i)
    return this.dv.getUint32(p + 4, true)
  }

  seq(i: number): number {
    const p = this.pos(i)
    return this.dv.getUint32(p + 8, true)
  }

  toArray(): Entry[] {
    return Array.from(this)
  }

  *[Symbol.iterator](): Iterator<Entry> {
    for (let i = 0; i < this.length; i++) yield this.at(i)
  }

  /** Byte position of record i in this.dv, after moving the window to it if need be. */
  protected pos(i: number): number {
    if (i < this.lo || i >= this.hi) this.load(i)
    return (i - this.lo) * this.recordBytes
  }

  /** The records in order, a buffer at a time (a file-backed log reads each window; do not keep them). */
  forEachChunk(visit: (records: Buffer) => void): void {
    if (this.source.kind === 'memory') {
      for (const s of this.source.segments) if (s.length > 0) visit(s)
      return
    }
    for (let i = 0; i < this.length; i += WINDOW_RECORDS) {
      this.load(i)
      visit(this.window!.subarray(0, (this.hi - this.lo) * this.recordBytes))
    }
  }

  /** Record i's bytes copied into target at targetOffset. */
  copyRecord(i: number, target: Buffer, targetOffset: number): void {
    const p = this.pos(i)
    const b = new Uint8Array(this.dv.buffer, this.dv.byteOffset + p, this.recordBytes)
    target.set(b, targetOffset)
  }

  private load(i: number): void {
    if (!(i >= 0 && i < this.length)) throw new MqbenchError('LEDGER_INDEX', `record ${i} is outside 0..${this.length - 1}`)
    if (this.source.kind === 'memory') {
      let s = 0
      while (this.starts[s + 1]! <= i) s++
      this.lo = this.starts[s]!
      this.hi = this.starts[s + 1]!
      this.dv = viewOf(this.source.segments[s]!)
      return
    }
    this.loadWindow(this.source, Math.floor(i / WINDOW_RECORDS) * WINDOW_RECORDS)
  }

  private loadWindow(source: Extract<RecordSource, {kind: 'file'}>, lo: number): void {
    const n = Math.min(WINDOW_RECORDS, this.length - lo)
    const bytes = n * this.recordBytes
    this.window ??= Buffer.allocUnsafe(Math.min(WINDOW_RECORDS, this.length) * this.recordBytes)
    // Opened per window (a few per GB read): the log holds no descriptor, so nothing needs closing.
    const fd = openSync(source.path, 'r')
    try {
      readRecordsAt(source.path, fd, this.window, bytes, source.firstByte + lo * this.recordBytes)
    } finally {
      closeSync(fd)
    }
    this.lo = lo
    this.hi = lo + n
    this.dv = viewOf(this.window)
  }
}
