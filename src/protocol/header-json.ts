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
