/**
 * Stored-message records read in place: the handful of fields a reader of every message needs (the
 * final read of a run), with no per-message object, string or property map. decodeMessageExt builds
 * all of them — both hosts, the topic, the whole properties map — and on a final read of 300k messages
 * that was 40 % of the reader's CPU and most of its garbage. One RecordView moves from record to
 * record; a property is found by scanning the record's property bytes for `name 0x01`.
 */
import {crc32} from '../crc32.js'
import {ProtocolError} from '../protocol-error.js'
import {layoutAt, readInt64} from './message-decoder.js'
import {MessageSysFlag} from './message-ext.js'
import {NAME_VALUE_SEPARATOR, PROPERTY_SEPARATOR} from './properties.js'

const PAIR_END = PROPERTY_SEPARATOR.charCodeAt(0)
const DIGIT_0 = 0x30
const MAX_U32 = 0xffffffff

/** A property name as the bytes that open its pair (`name 0x01`): make it once, scan with it per record. */
export type PropertyName = Buffer & {readonly __propertyName: unique symbol}

export function propertyName(name: string): PropertyName {
  return Buffer.from(name + NAME_VALUE_SEPARATOR, 'utf8') as PropertyName
}

export class RecordView {
  buf: Buffer = Buffer.alloc(0)
  pos = 0
  size = 0
  sysFlag = 0
  bodyStart = 0
  bodyEnd = 0
  propsStart = 0
  propsEnd = 0
  /** Position of STORETIMESTAMP, after the variable-size born host. */
  private storeTimestampPos = 0
  private reconsumeTimesPos = 0

  /** Moves to the record at buf[pos]; throws ProtocolError for a malformed record, as decodeMessageExt does. */
  at(buf: Buffer, pos: number): this {
    const layout = layoutAt(buf, pos, buf.length)
    if (typeof layout === 'string') {
      throw new ProtocolError(layout.startsWith('bad magic') ? 'BAD_MAGIC' : layout.startsWith('truncated') ? 'TRUNCATED' : 'BAD_RECORD', layout)
    }
    this.buf = buf
    this.pos = pos
    this.size = layout.size
    this.sysFlag = layout.sysFlag
    this.bodyStart = layout.bodyPos
    this.bodyEnd = layout.bodyPos + layout.bodyLength
    this.propsStart = layout.propsPos
    this.propsEnd = layout.propsPos + layout.propsLength
    this.storeTimestampPos = pos + 48 + (layout.sysFlag & MessageSysFlag.BORNHOST_V6 ? 20 : 8)
    this.reconsumeTimesPos = this.storeTimestampPos + 8 + (layout.sysFlag & MessageSysFlag.STOREHOST_V6 ? 20 : 8)
    return this
  }

  get queueId(): number {
    return this.buf.readInt32BE(this.pos + 12)
  }

  get queueOffset(): number {
    return readInt64(this.buf, this.pos + 20)
  }

  get bornTimestamp(): number {
    return readInt64(this.buf, this.pos + 40)
  }

  get storeTimestamp(): number {
    return readInt64(this.buf, this.storeTimestampPos)
  }

  get reconsumeTimes(): number {
    return this.buf.readInt32BE(this.reconsumeTimesPos)
  }

  /** A compressed body's CRC is over the compressed bytes: a reader that checks content must decode the record. */
  get compressed(): boolean {
    return (this.sysFlag & MessageSysFlag.COMPRESSED) !== 0
  }

  /** CRC-32 of the body as stored; throws BAD_CRC when it does not match the record's BODYCRC (as decodeMessageExt). */
  bodyCrc32(): number {
    const crc = crc32(this.buf, this.bodyStart, this.bodyEnd)
    if (this.buf.readInt32BE(this.pos + 8) !== (crc & 0x7fffffff)) throw new ProtocolError('BAD_CRC', `body CRC mismatch in record at ${this.pos}`)
    return crc
  }

  /**
   * Where the named property's value starts in buf; -1 when absent. As decodeProperties reads them: only a
   * pair's start counts (not the name inside another pair's value), an empty value does not count, and
   * the last pair of a name wins.
   */
  private valueStart(name: PropertyName): number {
    // Searched in the record's own property bytes: a pull body runs on for a megabyte after them.
    const props = this.buf.subarray(this.propsStart, this.propsEnd)
    let found = -1
    for (let at = props.indexOf(name); at >= 0; at = props.indexOf(name, at + 1)) {
      const start = this.propsStart + at + name.length
      if ((at === 0 || props[at - 1] === PAIR_END) && this.valueEnd(start) > start) found = start
    }
    return found
  }

  private valueEnd(start: number): number {
    for (let i = start; i < this.propsEnd; i++) if (this.buf[i] === PAIR_END) return i
    return this.propsEnd
  }

  property(name: PropertyName): string | undefined {
    const start = this.valueStart(name)
    if (start < 0) return undefined
    return this.buf.toString('utf8', start, this.valueEnd(start))
  }

  /** The value as an unsigned 32-bit decimal (1–10 digits), read in place; undefined when absent or anything else. */
  propertyUint32(name: PropertyName): number | undefined {
    const start = this.valueStart(name)
    if (start < 0) return undefined
    const end = this.valueEnd(start)
    if (end - start > 10) return undefined
    let n = 0
    for (let i = start; i < end; i++) {
      const d = this.buf[i]! - DIGIT_0
      if (d < 0 || d > 9) return undefined
      n = n * 10 + d
    }
    return n <= MAX_U32 ? n : undefined
  }

  /** Whether the named property's value is exactly these bytes. */
  propertyEquals(name: PropertyName, value: Uint8Array): boolean {
    const start = this.valueStart(name)
    if (start < 0) return false
    const end = this.valueEnd(start)
    return end - start === value.length && this.buf.compare(value, 0, value.length, start, end) === 0
  }
}

/** Calls visit with a view on each record of a pull body in turn (the view is reused: copy what you keep). */
export function forEachRecord(body: Buffer, visit: (record: RecordView) => void, view = new RecordView()): void {
  for (let pos = 0; pos < body.length; pos += view.size) visit(view.at(body, pos))
}
