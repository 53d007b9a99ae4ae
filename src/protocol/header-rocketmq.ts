/**
 * ROCKETMQ binary header (serializeType 1), RocketMQ's RocketMQSerializable layout
 * (rocketmq-protocol.md §1.3), big-endian:
 *   code short | language byte | version short | opaque int | flag int
 *   | remarkLength int | remark utf8 | extFieldsLength int
 *   | repeated (keyLength short | key utf8 | valueLength int | value utf8)
 * A zero-length remark, key or value means null on the Java side, so an empty remark decodes as
 * absent and an entry with an empty key or value is dropped.
 */
import {ProtocolError} from './protocol-error.js'
import type {RemotingCommand} from './remoting-command.js'

export const LanguageCode = {
  JAVA: 0, CPP: 1, DOTNET: 2, PYTHON: 3, DELPHI: 4, ERLANG: 5, RUBY: 6, OTHER: 7,
  HTTP: 8, GO: 9, PHP: 10, OMS: 11, RUST: 12, NODE_JS: 13,
} as const

const LANGUAGE_NAMES: string[] = []
for (const [name, value] of Object.entries(LanguageCode)) LANGUAGE_NAMES[value] = name

/**
 * A byte a newer peer may send that we do not know becomes its decimal string, and such a
 * string encodes back to the same byte, so frames round-trip unchanged.
 */
export function languageName(code: number): string {
  return LANGUAGE_NAMES[code] ?? String(code)
}

export function languageCode(name: string): number {
  const known = (LanguageCode as Record<string, number>)[name]
  if (known !== undefined) return known
  if (/^\d{1,3}$/.test(name) && Number(name) <= 255) return Number(name)
  throw new ProtocolError('BAD_HEADER', `ROCKETMQ header: unknown language "${name}"`)
}

const FIXED_BYTES = 2 + 1 + 2 + 4 + 4 + 4 + 4

function checkRange(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new ProtocolError('BAD_HEADER', `ROCKETMQ header: ${name} ${v} does not fit (${min}..${max})`)
  }
}

// Header strings are nearly always ASCII. For them a JS loop beats a native call per string
// (~30 per SEND header); anything else goes through Buffer's UTF-8 codec.

function utf8Length(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return Buffer.byteLength(s, 'utf8')
  return s.length
}

/** Writes s at target[p] if it is all ASCII; false (with target[p..] scribbled on) otherwise. */
function writeAscii(target: Buffer, s: string, p: number): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0x80) return false
    target[p + i] = c
  }
  return true
}

function writeUtf8(target: Buffer, s: string, p: number): number {
  return writeAscii(target, s, p) ? s.length : target.write(s, p, 'utf8')
}

function writeInt16(target: Buffer, v: number, p: number): void {
  target[p] = v >>> 8
  target[p + 1] = v
}

function writeInt32(target: Buffer, v: number, p: number): void {
  target[p] = v >>> 24
  target[p + 1] = v >>> 16
  target[p + 2] = v >>> 8
  target[p + 3] = v
}

/** `latin1` is the whole header as latin1 text: an ASCII run is sliced from it, not decoded again. */
function readUtf8(bytes: Buffer, latin1: string, base: number, p: number, length: number): string {
  const end = p + length
  for (let i = p; i < end; i++) if (bytes[i]! >= 0x80) return bytes.toString('utf8', p, end)
  return latin1.slice(p - base, end - base)
}

function checkFixedFields(cmd: RemotingCommand): number {
  checkRange('code', cmd.code, -32768, 32767)
  checkRange('version', cmd.version, -32768, 32767)
  checkRange('opaque', cmd.opaque, -2147483648, 2147483647)
  checkRange('flag', cmd.flag, -2147483648, 2147483647)
  return cmd.language === 'JAVA' ? LanguageCode.JAVA : languageCode(cmd.language)
}

/**
 * Byte length of the header if every string in it is ASCII (the usual case): one pass over the
 * extFields reading only string lengths. Non-ASCII text makes the real length larger, which the
 * writer notices on its way and then measures properly.
 */
export function asciiRocketmqHeaderLength(cmd: RemotingCommand): number {
  let length = FIXED_BYTES + (cmd.remark === undefined ? 0 : cmd.remark.length)
  const ext = cmd.extFields
  if (ext !== undefined) {
    for (const key in ext) {
      const value = ext[key]
      if (value !== undefined && value !== null) length += 6 + key.length + value.length
    }
  }
  return length
}

/**
 * Writes the header at target[offset], assuming asciiRocketmqHeaderLength(cmd) bytes are there.
 * @returns false as soon as a string turns out not to be ASCII; the caller then uses the exact path.
 */
export function writeAsciiRocketmqHeader(cmd: RemotingCommand, target: Buffer, offset: number): boolean {
  const language = checkFixedFields(cmd)
  writeInt16(target, cmd.code, offset)
  target[offset + 2] = language
  writeInt16(target, cmd.version, offset + 3)
  writeInt32(target, cmd.opaque, offset + 5)
  writeInt32(target, cmd.flag, offset + 9)
  let p = offset + 13
  const remark = cmd.remark
  const remarkBytes = remark === undefined ? 0 : remark.length
  writeInt32(target, remarkBytes, p)
  if (remarkBytes > 0 && !writeAscii(target, remark!, p + 4)) return false
  p += 4 + remarkBytes
  const extStart = p + 4
  let q = extStart
  const ext = cmd.extFields
  if (ext !== undefined) {
    for (const key in ext) {
      const value = ext[key]
      if (value === undefined || value === null) continue
      if (key.length > 32767) return false
      writeInt16(target, key.length, q)
      if (!writeAscii(target, key, q + 2)) return false
      q += 2 + key.length
      writeInt32(target, value.length, q)
      if (!writeAscii(target, value, q + 4)) return false
      q += 4 + value.length
    }
  }
  writeInt32(target, q - extStart, p)
  return true
}

function extEntries(ext: Record<string, string> | undefined): string[] {
  const flat: string[] = []
  if (ext === undefined) return flat
  for (const key in ext) {
    const value = ext[key]
    if (value !== undefined && value !== null) flat.push(key, value)
  }
  return flat
}

/** The exact path, for any text: writes the header measured by measureRocketmqHeader. */
export function encodeRocketmqHeaderInto(cmd: RemotingCommand, flat: string[], target: Buffer, offset: number): number {
  let p = offset
  p = target.writeInt16BE(cmd.code, p)
  p = target.writeUInt8(languageCode(cmd.language), p)
  p = target.writeInt16BE(cmd.version, p)
  p = target.writeInt32BE(cmd.opaque, p)
  p = target.writeInt32BE(cmd.flag, p)
  const remarkBytes = cmd.remark === undefined ? 0 : writeUtf8(target, cmd.remark, p + 4)
  p = target.writeInt32BE(remarkBytes, p) + remarkBytes
  const extStart = p + 4
  let q = extStart
  for (let i = 0; i < flat.length; i += 2) {
    const keyBytes = writeUtf8(target, flat[i]!, q + 2)
    q = target.writeInt16BE(keyBytes, q) + keyBytes
    const valueBytes = writeUtf8(target, flat[i + 1]!, q + 4)
    q = target.writeInt32BE(valueBytes, q) + valueBytes
  }
  target.writeInt32BE(q - extStart, p)
  return q
}

/** Byte length of the header plus the flattened extFields, which the writer then reuses. */
export function measureRocketmqHeader(cmd: RemotingCommand): {length: number; flat: string[]} {
  checkFixedFields(cmd)
  const flat = extEntries(cmd.extFields)
  let length = FIXED_BYTES + (cmd.remark === undefined ? 0 : utf8Length(cmd.remark))
  for (let i = 0; i < flat.length; i += 2) {
    const keyBytes = utf8Length(flat[i]!)
    if (keyBytes > 32767) throw new ProtocolError('BAD_HEADER', `ROCKETMQ header: key of ${keyBytes} bytes`)
    length += 6 + keyBytes + utf8Length(flat[i + 1]!)
  }
  return {length, flat}
}

export function encodeRocketmqHeader(cmd: RemotingCommand): Buffer {
  const asciiLength = asciiRocketmqHeaderLength(cmd)
  const ascii = Buffer.allocUnsafe(asciiLength)
  if (writeAsciiRocketmqHeader(cmd, ascii, 0)) return ascii
  const {length, flat} = measureRocketmqHeader(cmd)
  const out = Buffer.allocUnsafe(length)
  encodeRocketmqHeaderInto(cmd, flat, out, 0)
  return out
}

function overrun(what: string, need: number, have: number): never {
  throw new ProtocolError('BAD_HEADER', `ROCKETMQ header: ${what} needs ${need} bytes, ${have} left`)
}

function setField(ext: Record<string, string>, key: string, value: string): void {
  // A peer-chosen "__proto__" key must become data, not the object's prototype.
  if (key === '__proto__') Object.defineProperty(ext, key, {value, enumerable: true, writable: true, configurable: true})
  else ext[key] = value
}

// Callers guarantee p + 2 (or 4) <= the header's end, which lies inside `bytes`.
function readInt16(bytes: Buffer, p: number): number {
  return ((bytes[p]! << 24) | (bytes[p + 1]! << 16)) >> 16
}

function readInt32(bytes: Buffer, p: number): number {
  return (bytes[p]! << 24) | (bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!
}

/**
 * Recently seen ASCII keys by a hash of their bytes. A peer sends the same few header names in
 * every frame, and handing back the same (internalised) string saves both its allocation and
 * the string-table lookup each property store would otherwise do on a fresh key.
 */
const KEY_CACHE_SLOTS = 512
const keyCache: Array<string | undefined> = new Array<string | undefined>(KEY_CACHE_SLOTS).fill(undefined)

function readKey(bytes: Buffer, latin1: string, base: number, p: number, length: number): string {
  const end = p + length
  let h = length
  for (let i = p; i < end; i++) {
    const b = bytes[i]!
    if (b >= 0x80) return bytes.toString('utf8', p, end)
    h = (Math.imul(h, 31) + b) | 0
  }
  const slot = (h ^ (h >>> 15)) & (KEY_CACHE_SLOTS - 1)
  const cached = keyCache[slot]
  if (cached !== undefined && cached.length === length) {
    let same = true
    for (let i = 0; i < length; i++) {
      if (cached.charCodeAt(i) !== bytes[p + i]) {
        same = false
        break
      }
    }
    if (same) return cached
  }
  const key = latin1.slice(p - base, end - base)
  keyCache[slot] = key
  return key
}

function decodeExtFields(bytes: Buffer, latin1: string, base: number, start: number, end: number): Record<string, string> | undefined {
  let ext: Record<string, string> | undefined
  let p = start
  while (p < end) {
    if (end - p < 2) overrun('extFields key length', 2, end - p)
    const keyLength = readInt16(bytes, p)
    p += 2
    if (keyLength < 0 || keyLength > end - p - 4) overrun('extFields key', keyLength + 4, end - p)
    const key = readKey(bytes, latin1, base, p, keyLength)
    p += keyLength
    const valueLength = readInt32(bytes, p)
    p += 4
    if (valueLength < 0 || valueLength > end - p) overrun('extFields value', valueLength, end - p)
    if (keyLength > 0 && valueLength > 0) setField((ext ??= {}), key, readUtf8(bytes, latin1, base, p, valueLength))
    p += valueLength
  }
  return ext
}

/** Decodes bytes [start, end) of `bytes`; the result has no body (the frame adds it). */
export function decodeRocketmqHeader(bytes: Buffer, start = 0, end = bytes.length): RemotingCommand {
  if (end - start < FIXED_BYTES) overrun('fixed fields', FIXED_BYTES, end - start)
  const cmd: RemotingCommand = {
    code: readInt16(bytes, start),
    language: languageName(bytes[start + 2]!),
    version: readInt16(bytes, start + 3),
    opaque: readInt32(bytes, start + 5),
    flag: readInt32(bytes, start + 9),
  }
  const latin1 = bytes.toString('latin1', start, end)
  let p = start + 13
  const remarkLength = readInt32(bytes, p)
  p += 4
  if (remarkLength < 0 || remarkLength > end - p - 4) overrun('remark', remarkLength + 4, end - p)
  if (remarkLength > 0) cmd.remark = readUtf8(bytes, latin1, start, p, remarkLength)
  p += remarkLength
  const extLength = readInt32(bytes, p)
  p += 4
  if (extLength < 0 || extLength !== end - p) {
    throw new ProtocolError('BAD_HEADER', `ROCKETMQ header: extFields length ${extLength}, ${end - p} bytes left`)
  }
  const ext = decodeExtFields(bytes, latin1, start, p, end)
  if (ext !== undefined) cmd.extFields = ext
  return cmd
}
