/**
 * power-loss: the broker runs with pageCacheMode=volatile (its unsynced bytes live in its own memory),
 * so SIGKILL is a power cut: exactly what was not fsynced vanishes; with pageCacheWriteback=random
 * some dirty pages reached the disk first, leaving a torn tail for recovery to truncate. Heal restarts
 * the broker on the same store. The handle keeps the cut time, which the ASYNC_FLUSH verdict lines up
 * with the broker's flush.log and the producers' ack times.
 */
import {z} from 'zod'
import {newRequest} from '../../protocol/remoting-command.js'
import {RequestCode} from '../../protocol/request-code.js'
import {ResponseCode} from '../../protocol/response-code.js'
import {RemotingClient} from '../../remoting/remoting-client.js'
import {type FaultAction, type FaultContext, handle} from '../fault-action.js'

const RUNTIME_INFO_TIMEOUT_MS = 500

/**
 * Bytes the broker had written but not yet synced (maxPhyOffset − flushedPhyOffset), asked just before
 * the SIGKILL: at least what the cut destroys, since more is written between the answer and the kill.
 * A cut that finds 0 tests no recovery (the run is weak). undefined: the broker did not answer in time.
 */
async function unsyncedBytes(ctx: FaultContext, names: string[]): Promise<number | undefined> {
  const client = new RemotingClient()
  try {
    const each = await Promise.all(names.map(async (name) => {
      const addr = ctx.cluster.nodes().find((n) => n.name === name)?.addr
      if (addr === undefined) return undefined
      const res = await client.invoke(addr, newRequest(RequestCode.GET_BROKER_RUNTIME_INFO), RUNTIME_INFO_TIMEOUT_MS).catch(() => undefined)
      if (res?.code !== ResponseCode.SUCCESS || !res.body) return undefined
      const table = (JSON.parse(res.body.toString('utf8')) as {table?: Record<string, string>}).table ?? {}
      const written = Number(table['maxPhyOffset'])
      const synced = Number(table['flushedPhyOffset'])
      return Number.isFinite(written) && Number.isFinite(synced) ? Math.max(0, written - synced) : undefined
    }))
    return each.some((n) => n === undefined) ? undefined : each.reduce<number>((a, n) => a + n!, 0)
  } finally {
    client.close()
  }
}

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
    const unsynced = await unsyncedBytes(ctx, target.names)
    await Promise.all(target.names.map((n) => ctx.cluster.kill(n, 'SIGKILL')))
    return handle('power-loss', target, unsynced === undefined ? {} : {unsyncedBytes: unsynced})
  },
  async heal(ctx, h) {
    for (const n of h.target.names) await ctx.cluster.restart(n)
  },
}
