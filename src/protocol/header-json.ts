/**
 * JSON header (serializeType 0): fastjson's rendering of RocketMQ's RemotingCommand.
 * Keys are written in Java's order (alphabetical, nulls omitted, serializeTypeCurrentRPC included)
 * so our frames are byte-identical to a Java peer's for the same command (rocketmq-protocol.md §1.2).
 * Readers ignore key order and unknown keys, so decode accepts any order.
 */
import {ProtocolError} from './protocol-error.js'
import {DEFAULT_LANGUAGE, type RemotingCommand} from './remoting-command.js'

/**
 * The header object is rebuilt in Java's key order and handed to JSON.stringify: measured faster
 * than concatenating the text by hand (its output is one flat string, which the following byte
 * count and UTF-8 write also profit from). JSON.stringify drops undefined values as fastjson
 * drops nulls, and escapes control characters (the 0x01/0x02 in properties) as fastjson does.
 * An empty extFields object is written as {}: Java does the same when a response has a custom
 * header whose fields are all null (captured: REGISTER_BROKER's SUCCESS from a 5.3.3 namesrv).
 */
export function encodeJsonHeaderText(cmd: RemotingCommand): string {
  return JSON.stringify({
    code: cmd.code,
    extFields: cmd.extFields,
    flag: cmd.flag,
    language: cmd.language,
    opaque: cmd.opaque,
    remark: cmd.remark,
    serializeTypeCurrentRPC: 'JSON',
    version: cmd.version,
  })
}

// The usual header is ASCII text with a few control characters (the property separators). For it a
// byte loop into a reused scratch buffer beats JSON.stringify plus a UTF-8 pass; anything else
// (non-ASCII text, non-string values, unsafe numbers) takes the JSON.stringify path above.

const scratch = Buffer.allocUnsafeSlow(16 * 1024)
const HEX = '0123456789abcdef'
// JSON.stringify's two-character escapes; other control characters become \u00xx.
const SHORT_ESCAPES: Array<number | undefined> = []
SHORT_ESCAPES[0x08] = 0x62
SHORT_ESCAPES[0x09] = 0x74
SHORT_ESCAPES[0x0a] = 0x6e
SHORT_ESCAPES[0x0c] = 0x66
SHORT_ESCAPES[0x0d] = 0x72

function putAscii(s: string, p: number): number {
  for (let i = 0; i < s.length; i++) scratch[p + i] = s.charCodeAt(i)
  return p + s.length
}

/** A JSON string literal as JSON.stringify writes it; -1 if s has a character above 0x7f. */
function putString(s: string, p: number): number {
  scratch[p++] = 0x22
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) {
      if (c > 0x7f) return -1
      scratch[p++] = c
    } else if (c >= 0x20 || SHORT_ESCAPES[c] !== undefined) {
      scratch[p++] = 0x5c
      scratch[p++] = c >= 0x20 ? c : SHORT_ESCAPES[c]!
    } else {
      scratch[p] = 0x5c
      scratch[p + 1] = 0x75
      scratch[p + 2] = 0x30
      scratch[p + 3] = 0x30
      scratch[p + 4] = HEX.charCodeAt(c >>> 4)
      scratch[p + 5] = HEX.charCodeAt(c & 15)
      p += 6
    }
  }
  scratch[p++] = 0x22
  return p
}

/** Room the fast path may need: every character escaped to 6 bytes, plus the fixed text. */
function worstCaseBytes(cmd: RemotingCommand): number {
  if (typeof cmd.language !== 'string' || (cmd.remark !== undefined && typeof cmd.remark !== 'string')) return Infinity
  let chars = cmd.language.length + (cmd.remark === undefined ? 0 : cmd.remark.length)
  let entries = 0
  const ext = cmd.extFields
  if (ext !== undefined) {
    for (const key in ext) {
      const value = ext[key]
      if (value === undefined) continue
      if (typeof value !== 'string') return Infinity
      chars += key.length + value.length
      entries++
    }
  }
  return 6 * chars + 6 * entries + 256
}

/**
 * Writes the header JSON into the scratch buffer, byte-identical to encodeJsonHeaderText.
 * @returns its length, or -1 when this command needs the general path.
 */
function writeAsciiJsonHeader(cmd: RemotingCommand): number {
  const {code, flag, opaque, version} = cmd
  if (!(Number.isSafeInteger(code) && Number.isSafeInteger(flag) && Number.isSafeInteger(opaque) && Number.isSafeInteger(version))) return -1
  if (worstCaseBytes(cmd) > scratch.length) return -1
  let p = putAscii(String(code), putAscii('{"code":', 0))
  const ext = cmd.extFields
  if (ext !== undefined) {
    p = putAscii(',"extFields":{', p)
    let first = true
    for (const key in ext) {
      const value = ext[key]
      if (value === undefined) continue
      if (!first) scratch[p++] = 0x2c
      first = false
      p = putString(key, p)
      if (p < 0) return -1
      scratch[p++] = 0x3a
      p = putString(value, p)
      if (p < 0) return -1
    }
    scratch[p++] = 0x7d
  }
  p = putAscii(String(flag), putAscii(',"flag":', p))
  p = putString(cmd.language, putAscii(',"language":', p))
  if (p < 0) return -1
  p = putAscii(String(opaque), putAscii(',"opaque":', p))
  if (cmd.remark !== undefined) p = putString(cmd.remark, putAscii(',"remark":', p))
  if (p < 0) return -1
  p = putAscii(String(version), putAscii(',"serializeTypeCurrentRPC":"JSON","version":', p))
  scratch[p++] = 0x7d
  return p
}

/**
 * Stages the header in a scratch buffer when the fast path can write it.
 * @returns its byte length, for takeStagedJsonHeader; -1 means use encodeJsonHeaderText instead.
 */
export function stageJsonHeader(cmd: RemotingCommand): number {
  return writeAsciiJsonHeader(cmd)
}

/** Copies the header stageJsonHeader just wrote (nothing may be staged in between). */
export function takeStagedJsonHeader(target: Buffer, offset: number, length: number): void {
  scratch.copy(target, offset, 0, length)
}

export function encodeJsonHeader(cmd: RemotingCommand): Buffer {
  return Buffer.from(encodeJsonHeaderText(cmd), 'utf8')
}

function bad(message: string): never {
  throw new ProtocolError('BAD_JSON', 'JSON header: ' + message)
}

function int32Field(obj: Record<string, unknown>, key: string, fallback?: number): number {
  const v = obj[key]
  if (v === undefined && fallback !== undefined) return fallback
  // Java reads these into int fields; anything else would fail on a Java peer too.
  if (typeof v !== 'number' || (v | 0) !== v) bad(`"${key}" must be a 32-bit integer, got ${JSON.stringify(v)}`)
  return v
}

function checkExtFields(v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'object' || Array.isArray(v)) bad('"extFields" must be an object')
  const ext = v as Record<string, unknown>
  for (const key in ext) {
    const value = ext[key]
    if (value === null) delete ext[key]
    else if (typeof value !== 'string') bad(`extFields "${key}" must be a string, got ${JSON.stringify(value)}`)
  }
  return ext as Record<string, string>
}

/** Decodes bytes [start, end) of `bytes`; the result has no body (the frame adds it). */
export function decodeJsonHeader(bytes: Buffer, start = 0, end = bytes.length): RemotingCommand {
  let parsed: unknown
  try {
    parsed = JSON.parse(bytes.toString('utf8', start, end))
  } catch (err) {
    bad(`not valid JSON (${(err as Error).message})`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) bad('not a JSON object')
  const obj = parsed as Record<string, unknown>
  const language = obj.language ?? DEFAULT_LANGUAGE
  if (typeof language !== 'string') bad('"language" must be a string')
  const cmd: RemotingCommand = {
    code: int32Field(obj, 'code'),
    language,
    version: int32Field(obj, 'version', 0),
    opaque: int32Field(obj, 'opaque'),
    flag: int32Field(obj, 'flag'),
  }
  const remark = obj.remark
  if (typeof remark === 'string') cmd.remark = remark
  else if (remark !== undefined && remark !== null) bad('"remark" must be a string')
  const ext = checkExtFields(obj.extFields)
  if (ext !== undefined) cmd.extFields = ext
  return cmd
}
