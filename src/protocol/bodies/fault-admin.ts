/**
 * MQBENCH_FAULT bodies (ours, not RocketMQ's): the disk faults an embedded broker started with
 * mqbenchFaultInjection=true switches on its store (see broker/store/io/faulty-file-io.ts for the
 * fault model). JSON, not a hot path:
 *   request   {"clear"?: true | [kind...], "set"?: [DiskFaultSpec...]}   clear runs before set
 *   response  {"active": [DiskFaultSpec...], "stats": DiskFaultStats}
 */
import {newRequest, type RemotingCommand} from '../remoting-command.js'
import {RequestCode} from '../request-code.js'

export const DISK_FAULT_KINDS = ['eio', 'enospc', 'slow-fsync', 'fsync-lie', 'torn-write'] as const
export type DiskFaultKind = (typeof DISK_FAULT_KINDS)[number]

export interface DiskFaultSpec {
  kind: DiskFaultKind
  /** Which calls fail (eio only); default both. */
  op?: 'write' | 'fsync' | 'both'
  /** enospc: bytes that may still be written before the disk is full; default 0. */
  bytes?: number
  /** slow-fsync: added delay per fsync, ms. */
  delayMs?: number
  /** slow-fsync: uniform ± jitter, ms. */
  jitterMs?: number
  /** Files affected; default 'commitlog'. */
  files?: 'commitlog' | 'all'
}

export interface DiskFaultStats {
  writeErrors: number
  syncErrors: number
  slowSyncs: number
  liedSyncs: number
  tornWrites: number
  bytesWritten: number
}

/** Reads an untrusted spec (an admin request body); returns the error text instead of throwing. */
export function parseDiskFaultSpec(raw: unknown): DiskFaultSpec | string {
  if (typeof raw !== 'object' || raw === null) return 'expected an object'
  const r = raw as Record<string, unknown>
  if (!DISK_FAULT_KINDS.includes(r['kind'] as DiskFaultKind)) return `kind: expected one of ${DISK_FAULT_KINDS.join(', ')}, got ${JSON.stringify(r['kind'])}`
  const spec: DiskFaultSpec = {kind: r['kind'] as DiskFaultKind}
  for (const key of ['bytes', 'delayMs', 'jitterMs'] as const) {
    const v = r[key]
    if (v === undefined) continue
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return `${key}: expected a non-negative integer, got ${JSON.stringify(v)}`
    spec[key] = v
  }
  if (r['op'] !== undefined) {
    if (r['op'] !== 'write' && r['op'] !== 'fsync' && r['op'] !== 'both') return `op: expected write, fsync or both, got ${JSON.stringify(r['op'])}`
    spec.op = r['op']
  }
  if (r['files'] !== undefined) {
    if (r['files'] !== 'commitlog' && r['files'] !== 'all') return `files: expected commitlog or all, got ${JSON.stringify(r['files'])}`
    spec.files = r['files']
  }
  return spec
}

export interface FaultAdminRequest {
  clear?: true | DiskFaultKind[]
  set?: DiskFaultSpec[]
}

export interface FaultAdminResponse {
  active: DiskFaultSpec[]
  stats: DiskFaultStats
}

/** The request the chaos disk faults send (through client/admin.ts). */
export function newFaultAdminRequest(body: FaultAdminRequest): RemotingCommand {
  return newRequest(RequestCode.MQBENCH_FAULT, undefined, Buffer.from(JSON.stringify(body)))
}
