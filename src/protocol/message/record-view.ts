/**
 * Stored-message records read in place: the handful of fields a reader of every message needs (the
 * final read of a run), with no per-message object, string or property map. decodeMessageExt builds
 * all of them — both hosts, the topic, the whole properties map — and on a final read of 300k messages
 * that was 40 % of the reader's CPU and most of its garbage. One RecordView moves from record to
 * record; its property pairs are located once per record and looked up in place.
 */
import {checkedBodyCrc, readInt64, recordLayout} from './message-decoder.js'
import {MessageSysFlag} from './message-ext.js'
import {NAME_VALUE_SEPARATOR, PROPERTY_SEPARATOR} from './properties.js'

const PAIR_END = PROPERTY_SEPARATOR.charCodeAt(0)
const KEY_END = NAME_VALUE_SEPARATOR.charCodeAt(0)
const DIGIT_0 = 0x30
const MAX_U32 = 0xffffffff

/** A property name as the bytes a pair's key is compared with: make it once, look it up per record. */
export type PropertyName = Buffer & {readonly __propertyName: unique symbol}

export function propertyName(name: string): PropertyName {
  return Buffer.from(name, 'utf8') as PropertyName
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
  /** Per property pair: key start, key end (its 0x01), value end; pairCount -1 until parsed for this record. */
  private pairs = new Int32Array(3 * 16)
  private pairCount = -1

  /** Moves to the record at buf[pos]; throws ProtocolError for a malformed record, as decodeMessageExt does. */
  at(buf: Buffer, pos: number): this {
    const layout = recordLayout(buf, pos)
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
    this.pairCount = -1
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
    return checkedBodyCrc(this.buf, this.pos, this.bodyStart, this.bodyEnd)
  }

  /**
   * The record's property pairs as decodeProperties reads them: split on 0x02, the key ends at the first
   * 0x01, and a pair with an empty key or value does not count. Found once per record, on the first
   * lookup; a lookup then compares a few short keys in place (Buffer.indexOf per name cost more than the
   * decode it replaced: a native call and a view per lookup).
   */
  private parsePairs(): void {
    const buf = this.buf
    let n = 0
    for (let start = this.propsStart; start < this.propsEnd;) {
      let sep = -1
      let end = start
      for (; end < this.propsEnd && buf[end] !== PAIR_END; end++) if (sep < 0 && buf[end] === KEY_END) sep = end
      if (sep > start && sep < end - 1) {
        if (3 * n + 3 > this.pairs.length) {
          const grown = new Int32Array(this.pairs.length * 2)
          grown.set(this.pairs)
          this.pairs = grown
        }
        this.pairs[3 * n] = start
        this.pairs[3 * n + 1] = sep
        this.pairs[3 * n + 2] = end
        n++
      }
      start = end + 1
    }
    this.pairCount = n
  }

  /** Index of the named property's pair (the last one: later pairs of a name win, as in decodeProperties); -1 when absent. */
  private find(name: PropertyName): number {
    if (this.pairCount < 0) this.parsePairs()
    const keyLength = name.length
    for (let i = this.pairCount - 1; i >= 0; i--) {
      const start = this.pairs[3 * i]!
      if (this.pairs[3 * i + 1]! - start !== keyLength) continue
      let k = 0
      while (k < keyLength && this.buf[start + k] === name[k]) k++
      if (k === keyLength) return i
    }
    return -1
  }

  property(name: PropertyName): string | undefined {
    const i = this.find(name)
    return i < 0 ? undefined : this.buf.toString('utf8', this.pairs[3 * i + 1]! + 1, this.pairs[3 * i + 2]!)
  }

  /** The value as an unsigned 32-bit decimal (1–10 digits), read in place; undefined when absent or anything else. */
  propertyUint32(name: PropertyName): number | undefined {
    const i = this.find(name)
    if (i < 0) return undefined
    const start = this.pairs[3 * i + 1]! + 1
    const end = this.pairs[3 * i + 2]!
    if (end - start > 10) return undefined
    let n = 0
    for (let j = start; j < end; j++) {
      const d = this.buf[j]! - DIGIT_0
      if (d < 0 || d > 9) return undefined
      n = n * 10 + d
    }
    return n <= MAX_U32 ? n : undefined
  }

  /** Whether the named property's value is 1–20 ASCII digits (a decimal that Number() surely reads as finite). */
  propertyIsDecimal(name: PropertyName): boolean {
    const i = this.find(name)
    if (i < 0) return false
    const start = this.pairs[3 * i + 1]! + 1
    const end = this.pairs[3 * i + 2]!
    if (end - start > 20) return false
    for (let j = start; j < end; j++) {
      const d = this.buf[j]! - DIGIT_0
      if (d < 0 || d > 9) return false
    }
    return end > start
  }

  /** Whether the named property's value is exactly these bytes. */
  propertyEquals(name: PropertyName, value: Uint8Array): boolean {
    const i = this.find(name)
    if (i < 0) return false
    const start = this.pairs[3 * i + 1]! + 1
    const end = this.pairs[3 * i + 2]!
    if (end - start !== value.length) return false
    for (let k = 0; k < value.length; k++) if (this.buf[start + k] !== value[k]) return false
    return true
  }
}

/** Calls visit with a view on each record of a pull body in turn (the view is reused: copy what you keep). */
export function forEachRecord(body: Buffer, visit: (record: RecordView) => void, view = new RecordView()): void {
  for (let pos = 0; pos < body.length; pos += view.size) visit(view.at(body, pos))
}
