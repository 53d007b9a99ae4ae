/**
 * disk-loss: the target's disk died. SIGKILL it and delete its whole store directory (CommitLog,
 * ConsumeQueues, checkpoint, topics and offsets). Heal is what an operator does: rebuild the store
 * from a live replica of the same broker name (restoreFrom: replica, the default) or start it empty
 * (restoreFrom: empty). Restoring from the replica is the point of SYNC_MASTER: every SEND_OK message
 * must already be on the slave, so nothing acknowledged may be missing after the rebuild. A master
 * restarted empty next to a slave would make the slave truncate to the master's (empty) log, so
 * "empty" is for single-broker scenarios and for showing that loss.
 */
import {cp, rm} from 'node:fs/promises'
import {z} from 'zod'
import {RunBrokenError} from '../../errors.js'
import type {ClusterNode} from '../../cluster/cluster.js'
import {type FaultAction, type FaultContext, handle} from '../fault-action.js'
import {byMechanism} from './faultfs-disk.js'

export const diskLossParams = z.object({restoreFrom: z.enum(['replica', 'empty']).default('replica')}).strict()
type DiskLossParams = z.output<typeof diskLossParams>

function nodeOf(ctx: FaultContext, name: string): ClusterNode {
  const n = ctx.cluster.nodes().find((x) => x.name === name)
  if (!n?.storeDir) throw new RunBrokenError(`disk-loss: node ${name} has no store directory we can destroy`)
  return n
}

/** A live replica of the same broker name, lowest brokerId first (the master when it survived). */
function liveReplica(ctx: FaultContext, lost: ClusterNode): ClusterNode | undefined {
  return ctx.cluster.nodes()
    .filter((n) => n.kind === 'broker' && n.brokerName === lost.brokerName && n.name !== lost.name && n.pid !== undefined && n.storeDir)
    .sort((a, b) => (a.brokerId ?? 0) - (b.brokerId ?? 0))[0]
}

async function rebuild(ctx: FaultContext, name: string, params: DiskLossParams): Promise<void> {
  const lost = nodeOf(ctx, name)
  const source = params.restoreFrom === 'replica' ? liveReplica(ctx, lost) : undefined
  if (source) {
    // The replica keeps running: its abort marker comes along, so the rebuilt node recovers abnormally (CRC-checked).
    await cp(source.storeDir!, lost.storeDir!, {recursive: true})
    ctx.log(`disk-loss: rebuilt ${name}'s store from ${source.name}`)
  } else {
    ctx.log(`disk-loss: ${name} restarts with an empty store`)
  }
  await ctx.cluster.restart(name)
}

export const diskLoss: FaultAction<DiskLossParams> = {
  type: 'disk-loss',
  params: diskLossParams,
  targetKinds: ['broker'],
  describe: (target, p) => `SIGKILL ${target} and delete its store; at heal rebuild it ${p.restoreFrom === 'replica' ? 'from a live replica' : 'empty'}`,
  validate: () => [],
  async inject(ctx, target) {
    for (const name of target.names) {
      const n = nodeOf(ctx, name)
      await ctx.cluster.kill(name, 'SIGKILL')
      // A dead disk takes faultfs's unsynced bytes along; the mount must go before its backing directory.
      for (const [, m] of byMechanism(ctx, [name]).mounts) await m.cut()
      await rm(n.storeDir!, {recursive: true, force: true})
    }
    return handle('disk-loss', target)
  },
  async heal(ctx, h, params) {
    for (const name of h.target.names) await rebuild(ctx, name, params)
  },
}
