/**
 * power-loss: the broker runs with pageCacheMode=volatile (its unsynced bytes live in its own memory),
 * so SIGKILL is a power cut: exactly what was not fsynced vanishes; with pageCacheWriteback=random
 * some dirty pages reached the disk first, leaving a torn tail for recovery to truncate. Heal restarts
 * the broker on the same store. The handle keeps the cut time, which the ASYNC_FLUSH verdict lines up
 * with the broker's flush.log and the producers' ack times.
 */
import {z} from 'zod'
import {type FaultAction, handle} from '../fault-action.js'

export const powerLossParams = z.object({}).strict()

export const powerLoss: FaultAction<z.output<typeof powerLossParams>> = {
  type: 'power-loss',
  params: powerLossParams,
  targetKinds: ['broker'],
  describe: (target) => `power cut on ${target} (SIGKILL with a volatile page cache), restart at heal`,
  validate(target, _params, brokers) {
    // Without the volatile cache a SIGKILL keeps the OS page cache: it would be a kill, not a power cut.
    return target.names
      .map((n) => brokers.find((b) => b.node === n))
      .filter((b) => b !== undefined && b.conf['pageCacheMode'] !== 'volatile')
      .map((b) => `power-loss on ${b!.node}: expected broker conf pageCacheMode: volatile (with os a SIGKILL loses nothing unsynced)`)
  },
  async inject(ctx, target) {
    await Promise.all(target.names.map((n) => ctx.cluster.kill(n, 'SIGKILL')))
    return handle('power-loss', target)
  },
  async heal(ctx, h) {
    for (const n of h.target.names) await ctx.cluster.restart(n)
  },
}
