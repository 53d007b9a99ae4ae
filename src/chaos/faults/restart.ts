/**
 * restart: a clean stop (SIGTERM: flush, checkpoint, unregister) and start again at once, on the same
 * ports and store. The control case for kill: an orderly restart must lose nothing in any mode.
 */
import {z} from 'zod'
import {type FaultAction, handle} from '../fault-action.js'

export const restartParams = z.object({}).strict()

export const restart: FaultAction<z.output<typeof restartParams>> = {
  type: 'restart',
  params: restartParams,
  targetKinds: ['broker'],
  describe: (target) => `graceful restart of ${target}`,
  validate: () => [],
  async inject(ctx, target) {
    for (const n of target.names) await ctx.cluster.restart(n)
    return handle('restart', target)
  },
  // Already back up when inject returns; nothing is left to undo.
  async heal() {},
}
