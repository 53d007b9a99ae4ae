/**
 * The one value type every remoting frame decodes to, in either direction (RocketMQ's
 * RemotingCommand). Requests and responses share the shape; the RESPONSE flag bit tells them
 * apart, never the opaque, because brokers also send requests to clients on the same connection.
 */
export interface RemotingCommand {
  code: number
  language: string
  version: number
  opaque: number
  flag: number
  remark?: string
  extFields?: Record<string, string>
  body?: Buffer
}

export const RemotingFlag = {RESPONSE: 0x1, ONEWAY: 0x2} as const

// JAVA rather than NODE_JS: a 4.9.8 broker does not know NODE_JS (rocketmq-protocol.md §1.2).
export const DEFAULT_LANGUAGE = 'JAVA'
// MQVersion.Version.V5_3_3 ordinal; >= 401 makes namesrv answer standard JSON (§1.5).
export const DEFAULT_VERSION = 479

export function isResponse(cmd: RemotingCommand): boolean {
  return (cmd.flag & RemotingFlag.RESPONSE) !== 0
}

export function isOneway(cmd: RemotingCommand): boolean {
  return (cmd.flag & RemotingFlag.ONEWAY) !== 0
}

/** opaque stays 0 here: the remoting client owns the opaque counter and assigns it on send. */
export function newRequest(code: number, extFields?: Record<string, string>, body?: Buffer): RemotingCommand {
  const cmd: RemotingCommand = {code, language: DEFAULT_LANGUAGE, version: DEFAULT_VERSION, opaque: 0, flag: 0}
  if (extFields !== undefined) cmd.extFields = extFields
  if (body !== undefined) cmd.body = body
  return cmd
}

export function newResponse(
  request: RemotingCommand,
  code: number,
  opts: {extFields?: Record<string, string>; remark?: string; body?: Buffer} = {},
): RemotingCommand {
  const cmd: RemotingCommand = {
    code,
    language: DEFAULT_LANGUAGE,
    version: DEFAULT_VERSION,
    opaque: request.opaque,
    flag: RemotingFlag.RESPONSE,
  }
  if (opts.remark !== undefined) cmd.remark = opts.remark
  if (opts.extFields !== undefined) cmd.extFields = opts.extFields
  if (opts.body !== undefined) cmd.body = opts.body
  return cmd
}
