/**
 * The faultfs mechanism of the disk faults. A broker whose store is on faultfs (conf storeFs: faultfs)
 * gets its disk faults from the file system, through faultfs's control channel, instead of from its
 * own FaultyFileIO; a power cut drops what faultfs holds unsynced instead of relying on the broker's
 * in-process volatile page cache. That works for any broker (ours or a JVM), which is the point: the
 * fault plugins pick this mechanism per target broker, the store knows nothing of it.
 */
import type {DiskFaultSpec, FaultAdminRequest} from '../../protocol/bodies/fault-admin.js'
import type {FaultFsCutReport} from '../../cluster/faultfs/faultfs-control.js'
import type {FaultFsMount} from '../../cluster/faultfs/faultfs-mount.js'
import {formatBytes} from '../../units.js'
import type {ChaosBroker, FaultContext} from '../fault-action.js'

export function onFaultFs(brokers: ChaosBroker[], name: string): boolean {
  return brokers.find((b) => b.node === name)?.conf['storeFs'] === 'faultfs'
}

/** Target names split by mechanism: faultfs mounts, and brokers that fault their own FileIO. */
export function byMechanism(ctx: FaultContext, names: string[]): {mounts: Array<[string, FaultFsMount]>; own: string[]} {
  const mounts: Array<[string, FaultFsMount]> = []
  const own: string[] = []
  for (const n of names) {
    const m = onFaultFs(ctx.brokers, n) ? ctx.cluster.storeFs?.(n) : undefined
    if (m) mounts.push([n, m])
    else own.push(n)
  }
  return {mounts, own}
}

// The broker's 'commitlog' scope is the CommitLog directory; on faultfs, paths relative to the store root.
function match(spec: DiskFaultSpec): string {
  return (spec.files ?? 'commitlog') === 'commitlog' ? ' match=commitlog/' : ''
}

function setLine(spec: DiskFaultSpec): string {
  switch (spec.kind) {
    case 'eio':
      return `eio op=${spec.op ?? 'both'}${match(spec)}`
    case 'slow-fsync':
      return `slow-fsync delayMs=${spec.delayMs ?? 0} jitterMs=${spec.jitterMs ?? 0}${match(spec)}`
    default:
      return `${spec.kind}${match(spec)}`
  }
}

/** The same request the broker's MQBENCH_FAULT takes, as faultfs control lines (clear runs first). */
export function controlLines(body: FaultAdminRequest): string[] {
  const lines: string[] = []
  if (body.clear === true) lines.push('heal')
  else for (const kind of body.clear ?? []) lines.push(`heal ${kind}`)
  for (const spec of body.set ?? []) lines.push(setLine(spec))
  return lines
}

export async function sendToFaultFs(mounts: Array<[string, FaultFsMount]>, body: FaultAdminRequest): Promise<void> {
  await Promise.all(mounts.map(async ([, m]) => {
    for (const line of controlLines(body)) await m.command(line)
  }))
}

export function describeCut(name: string, r: FaultFsCutReport): string {
  const torn = r.torn ? `, torn (seed ${r.seed}): ${formatBytes(r.keptBytes)} of unsynced pages kept` : ''
  return `power cut on ${name} (faultfs): dropped ${formatBytes(r.droppedBytes)} unsynced in ${r.droppedFiles} file(s)${torn}; ` +
    `${r.undoneMetaOps} unsynced entry change(s) undone; ${r.fsyncsPerSec.toFixed(1)} fsyncs/s before the cut`
}

/**
 * A power cut: every target is SIGKILLed first (nothing may write after the power is gone), then each
 * faultfs mount drops what it holds unsynced and unmounts. Brokers not on faultfs lose what their own
 * volatile page cache held. A cut that dropped nothing is a weak run, and the warning says so.
 */
export async function cutPower(ctx: FaultContext, names: string[], tornSeed?: number): Promise<FaultFsCutReport[]> {
  await Promise.all(names.map((n) => ctx.cluster.kill(n, 'SIGKILL')))
  const reports: FaultFsCutReport[] = []
  for (const [name, m] of byMechanism(ctx, names).mounts) {
    const r = await m.cut(tornSeed)
    reports.push(r)
    ctx.log(describeCut(name, r))
    if (r.droppedBytes === 0 && r.undoneMetaOps === 0) {
      ;(ctx.warn ?? ctx.log)(`power cut on ${name}: nothing was unsynced at the cut, so this cut proved little (a weak run)`)
    }
  }
  return reports
}
