/**
 * pause: SIGSTOP now, SIGCONT at heal. The process keeps its sockets and memory but answers nothing:
 * a slave that stops acknowledging, a master that looks dead to clients while still owning its store.
 * Nothing is lost by a pause itself; sends time out and are retried or reported as not SEND_OK.
 */
import {z} from 'zod'
import {type FaultAction, handle} from '../fault-action.js'

export const pauseParams = z.object({}).strict()

export const pause: FaultAction<z.output<typeof pauseParams>> = {
  type: 'pause',
  params: pauseParams,
  targetKinds: ['broker'],
  describe: (target) => `SIGSTOP ${target}, SIGCONT at heal`,
  validate: () => [],
  async inject(ctx, target) {
    for (const n of target.names) await ctx.cluster.pause(n)
    return handle('pause', target)
  },
  async heal(ctx, h) {
    for (const n of h.target.names) await ctx.cluster.resume(n)
  },
}
