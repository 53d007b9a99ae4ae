/**
 * kill: SIGKILL. A broker keeps everything it wrote to the OS page cache (pageCacheMode=os), so an
 * honest broker loses no acknowledged message; heal restarts it on the same ports and store, which
 * exercises recovery. A producer worker stays dead (its in-flight sends are "unknown", never lost);
 * a consumer worker is respawned at heal, so its uncommitted deliveries come again (duplicates allowed).
 */
import {z} from 'zod'
import {type FaultAction, handle} from '../fault-action.js'

export const killParams = z.object({}).strict()

export const kill: FaultAction<z.output<typeof killParams>> = {
  type: 'kill',
  params: killParams,
  targetKinds: ['broker', 'worker'],
  describe: (target) => `SIGKILL ${target}, restart it at heal (a killed producer stays dead)`,
  validate: () => [],
  async inject(ctx, target) {
    if (target.kind === 'broker') await Promise.all(target.names.map((n) => ctx.cluster.kill(n, 'SIGKILL')))
    else await Promise.all(target.names.map((n) => ctx.workers.kill(n)))
    return handle('kill', target)
  },
  async heal(ctx, h) {
    if (h.target.kind === 'broker') {
      for (const n of h.target.names) await ctx.cluster.restart(n)
      return
    }
    for (const n of h.target.names) if (n.startsWith('consumer-')) await ctx.workers.respawn(n)
  },
}
