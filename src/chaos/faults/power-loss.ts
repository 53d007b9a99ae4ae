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
import {type FaultAction, handle} from '../fault-action.js'
import {cutPower, onFaultFs} from './faultfs-disk.js'

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
    const cuts = await cutPower(ctx, target.names, p.torn ? p.tornSeed ?? Date.now() % 2 ** 31 : undefined)
    return handle('power-loss', target, {cuts})
  },
  async heal(ctx, h) {
    for (const n of h.target.names) await ctx.cluster.restart(n)
  },
}
