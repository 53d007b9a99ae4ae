/**
 * power-loss: the broker runs with pageCacheMode=volatile (its unsynced bytes live in its own memory),
 * so SIGKILL is a power cut: exactly what was not fsynced vanishes; with pageCacheWriteback=random
 * some dirty pages reached the disk first, leaving a torn tail for recovery to truncate. Or its store
 * is on faultfs (storeFs: faultfs, any broker): SIGKILL, then faultfs drops what it holds unsynced and
 * unmounts; with torn: true a seeded random subset of the unsynced pages lands first. Heal restarts
 * the broker on the same store. The handle keeps the cut time, which the ASYNC_FLUSH verdict lines up
 * with the broker's flush.log and the producers' ack times.
 */
import {z} from 'zod'
import {Admin} from '../../client/admin.js'
import {type FaultAction, type FaultContext, handle} from '../fault-action.js'
import {byMechanism, cutPower, onFaultFs} from './faultfs-disk.js'

const RUNTIME_INFO_TIMEOUT_MS = 500

/**
 * Bytes a broker faulting its own page cache had written but not yet synced (maxPhyOffset −
 * flushedPhyOffset), asked just before the SIGKILL: at least what the cut destroys, since more is
 * written between the answer and the kill. (A broker on faultfs is measured by faultfs itself, which
 * reports exactly what it dropped.) A cut that finds 0 tests no recovery (the run is weak).
 * undefined: a broker did not answer in time.
 */
async function unsyncedBytes(ctx: FaultContext, names: string[]): Promise<number | undefined> {
  if (names.length === 0) return 0
  const admin = new Admin({timeoutMs: RUNTIME_INFO_TIMEOUT_MS})
  try {
    const each = await Promise.all(names.map(async (name) => {
      const addr = ctx.cluster.nodes().find((n) => n.name === name)?.addr
      if (addr === undefined) return undefined
      const table = await admin.runtimeInfo(addr).catch(() => undefined)
      const written = Number(table?.['maxPhyOffset'])
      const synced = Number(table?.['flushedPhyOffset'])
      return Number.isFinite(written) && Number.isFinite(synced) ? Math.max(0, written - synced) : undefined
    }))
    return each.some((n) => n === undefined) ? undefined : each.reduce<number>((a, n) => a + n!, 0)
  } finally {
    admin.shutdown()
  }
}

export const powerLossParams = z.object({
  /** faultfs only: keep a seeded random subset of unsynced pages (holes and torn tails). */
  torn: z.boolean().default(false),
  /** The torn subset's seed; printed with each cut. Default: a new one per run. */
  tornSeed: z.number().int().nonnegative().optional(),
}).strict()
type PowerLossParams = z.output<typeof powerLossParams>

export const powerLoss: FaultAction<PowerLossParams> = {
  type: 'power-loss',
  params: powerLossParams,
  targetKinds: ['broker'],
  describe: (target, p) => `power cut on ${target} (SIGKILL, then the volatile page cache or faultfs drops what is unsynced${p.torn ? ', torn' : ''}), restart at heal`,
  validate(target, p, brokers) {
    // Without the volatile cache or faultfs a SIGKILL keeps the OS page cache: it would be a kill, not a power cut.
    const errors = target.names
      .map((n) => brokers.find((b) => b.node === n))
      .filter((b) => b !== undefined && b.conf['pageCacheMode'] !== 'volatile' && b.conf['storeFs'] !== 'faultfs')
      .map((b) => `power-loss on ${b!.node}: expected broker conf pageCacheMode: volatile or storeFs: faultfs (with neither a SIGKILL loses nothing unsynced)`)
    if (p.torn) {
      for (const n of target.names.filter((x) => !onFaultFs(brokers, x))) errors.push(`power-loss on ${n}: torn: true needs broker conf storeFs: faultfs (the volatile cache tears with pageCacheWriteback: random)`)
    }
    return errors
  },
  async inject(ctx, target, p) {
    const own = await unsyncedBytes(ctx, byMechanism(ctx, target.names).own)
    const cuts = await cutPower(ctx, target.names, p.torn ? p.tornSeed ?? Date.now() % 2 ** 31 : undefined)
    const unsynced = own === undefined ? undefined : cuts.reduce((sum, c) => sum + c.droppedBytes, own)
    return handle('power-loss', target, {cuts, ...(unsynced === undefined ? {} : {unsyncedBytes: unsynced})})
  },
  async heal(ctx, h) {
    for (const n of h.target.names) await ctx.cluster.restart(n)
  },
}
