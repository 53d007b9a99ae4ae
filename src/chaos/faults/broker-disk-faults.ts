/**
 * What the disk faults share: the MQBENCH_FAULT call to each target broker (client/admin.ts, over the
 * remoting protocol like every other byte between our processes), the broker.conf precondition, and the
 * duration parameters in scenario units ("200ms", "2s"; a bare number is refused, as everywhere).
 */
import {z} from 'zod'
import {Admin} from '../../client/admin.js'
import {RemotingError, RunBrokenError} from '../../errors.js'
import type {FaultAdminRequest, FaultAdminResponse} from '../../protocol/bodies/fault-admin.js'
import {durationProblem, parseDurationMs} from '../../units.js'
import type {ChaosBroker, FaultContext, ResolvedTarget} from '../fault-action.js'
import {byMechanism, onFaultFs, sendToFaultFs} from './faultfs-disk.js'

const ADMIN_TIMEOUT_MS = 3000

/** A missing or mistyped value names the expected form instead of zod's bare "Invalid input". */
export function unitErrorMap(form: string): z.ZodErrorMap {
  return (_issue, ctx) => ({message: ctx.data === undefined ? `Required: ${form}` : `expected ${form}, got ${JSON.stringify(ctx.data)}`})
}

export const durationParam = z.union([z.number().int().nonnegative(), z.string()], {errorMap: unitErrorMap('a duration like "200ms" or "2s"')}).transform((v, c) => {
  try {
    return parseDurationMs(v, c.path.join('.') || 'duration')
  } catch {
    c.addIssue({code: z.ZodIssueCode.custom, message: `${c.path.join('.') || 'duration'}: ${durationProblem(v)}`})
    return z.NEVER
  }
})

export const filesParam = z.enum(['commitlog', 'all']).default('commitlog')

/**
 * A broker without mqbenchFaultInjection=true answers NO_PERMISSION; say so before the run starts.
 * A broker on faultfs needs nothing: the file system fails, not the broker.
 */
export function requireFaultInjection(type: string, target: ResolvedTarget, brokers: ChaosBroker[]): string[] {
  return target.names
    .filter((n) => !onFaultFs(brokers, n))
    .map((n) => brokers.find((b) => b.node === n))
    .filter((b) => b !== undefined && String(b.conf['mqbenchFaultInjection']) !== 'true')
    .map((b) => `${type} on ${b!.node}: expected broker conf mqbenchFaultInjection: true (the broker refuses fault requests otherwise)`)
}

function addrOf(ctx: FaultContext, name: string): string {
  const node = ctx.cluster.nodes().find((n) => n.name === name)
  if (!node) throw new RunBrokenError(`disk fault: no node named ${name}`)
  return node.addr
}

/**
 * Applies one fault request to every named broker: through faultfs's control channel where the store
 * is on faultfs, as an MQBENCH_FAULT to the broker otherwise. A refusal or a silent broker is an error.
 */
export async function sendDiskFault(ctx: FaultContext, names: string[], body: FaultAdminRequest): Promise<FaultAdminResponse[]> {
  const {mounts, own} = byMechanism(ctx, names)
  await sendToFaultFs(mounts, body)
  const admin = new Admin({timeoutMs: ADMIN_TIMEOUT_MS})
  try {
    return await Promise.all(own.map(async (name) => {
      try {
        return await admin.faultAdmin(addrOf(ctx, name), body)
      } catch (err) {
        if (!(err instanceof RemotingError)) throw err
        throw new RunBrokenError(`MQBENCH_FAULT to ${name} answered ${err.responseCode}: ${String((err as {remark?: string}).remark ?? '')}`)
      }
    }))
  } finally {
    admin.shutdown()
  }
}
