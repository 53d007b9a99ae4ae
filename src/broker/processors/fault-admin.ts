/**
 * MQBENCH_FAULT (ours, not RocketMQ's): the orchestrator switches disk faults on a running embedded
 * broker. Body (JSON, not a hot path):
 *   request   {"clear"?: true | [kind...], "set"?: [DiskFaultSpec...]}   clear runs before set
 *   response  {"active": [DiskFaultSpec...], "stats": DiskFaultStats}
 * An empty body only reads the state. A broker not started with mqbenchFaultInjection=true answers
 * NO_PERMISSION, as RocketMQ refuses admin calls a broker is not configured to allow: a production-like
 * run can never be broken by a stray fault request.
 */
import {newResponse, type RemotingCommand} from '../../protocol/remoting-command.js'
import {RequestCode} from '../../protocol/request-code.js'
import {ResponseCode} from '../../protocol/response-code.js'
import type {RequestHandler} from '../../remoting/remoting-server.js'
import type {BrokerContext} from '../broker-context.js'
import {
  DISK_FAULT_KINDS, parseDiskFaultSpec, type DiskFaultKind, type DiskFaultSpec, type FaultAdminResponse,
} from '../../protocol/bodies/fault-admin.js'
import type {FaultyFileIO} from '../store/io/faulty-file-io.js'

/** Validates the whole request before touching anything, so a bad one changes no fault. */
function parseRequest(body: Buffer | undefined): {clear?: true | DiskFaultKind[]; set: DiskFaultSpec[]} | string {
  if (!body || body.length === 0) return {set: []}
  let raw: unknown
  try {
    raw = JSON.parse(body.toString('utf8'))
  } catch {
    return 'body: expected JSON'
  }
  if (typeof raw !== 'object' || raw === null) return 'body: expected an object'
  const r = raw as Record<string, unknown>
  const out: {clear?: true | DiskFaultKind[]; set: DiskFaultSpec[]} = {set: []}
  if (r['clear'] !== undefined) {
    const c = r['clear']
    if (c === true) out.clear = true
    else if (Array.isArray(c) && c.every((k) => DISK_FAULT_KINDS.includes(k as DiskFaultKind))) out.clear = c as DiskFaultKind[]
    else return `clear: expected true or a list of ${DISK_FAULT_KINDS.join(', ')}`
  }
  if (r['set'] !== undefined) {
    if (!Array.isArray(r['set'])) return 'set: expected a list of faults'
    for (const [i, s] of r['set'].entries()) {
      const spec = parseDiskFaultSpec(s)
      if (typeof spec === 'string') return `set[${i}].${spec}`
      out.set.push(spec)
    }
  }
  return out
}

function apply(io: FaultyFileIO, req: {clear?: true | DiskFaultKind[]; set: DiskFaultSpec[]}): void {
  if (req.clear === true) io.clear()
  else for (const k of req.clear ?? []) io.clear(k)
  for (const spec of req.set) io.set(spec)
}

export function handleFault(ctx: BrokerContext, req: RemotingCommand): RemotingCommand {
  const io = ctx.faultIO
  if (!io) {
    return newResponse(req, ResponseCode.NO_PERMISSION, {remark: 'fault injection is off: start the broker with mqbenchFaultInjection=true'})
  }
  const parsed = parseRequest(req.body)
  if (typeof parsed === 'string') return newResponse(req, ResponseCode.INVALID_PARAMETER, {remark: `MQBENCH_FAULT ${parsed}`})
  apply(io, parsed)
  if (parsed.clear !== undefined || parsed.set.length > 0) {
    ctx.log(`fault: disk faults now [${io.active().map((f) => JSON.stringify(f)).join(', ')}]`)
  }
  const res: FaultAdminResponse = {active: io.active(), stats: io.stats()}
  return newResponse(req, ResponseCode.SUCCESS, {body: Buffer.from(JSON.stringify(res))})
}

export function faultAdminHandlers(ctx: BrokerContext): Array<[number, RequestHandler]> {
  return [[RequestCode.MQBENCH_FAULT, (req) => handleFault(ctx, req)]]
}
