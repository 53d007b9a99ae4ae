/**
 * The network faults (latency, bandwidth, drop, blackhole, partition, slow-close) share one shape:
 * switch a fault set on the proxy routes of the target brokers, heal with an empty set. `link`
 * chooses the routes: 'client' (producers/consumers ↔ the broker) or 'ha' (the master↔slave link;
 * for a master, every slave's link).
 */
import {z} from 'zod'
import {RunBrokenError} from '../../errors.js'
import {type FaultAction, type FaultContext, handle} from '../fault-action.js'
import type {NetFaults} from '../proxy/net-faults.js'

export const linkParam = (fallback: 'client' | 'ha') => z.enum(['client', 'ha']).default(fallback)

async function switchRoutes(ctx: FaultContext, names: string[], link: 'client' | 'ha', faults: NetFaults): Promise<void> {
  const net = ctx.network
  if (!net) throw new RunBrokenError('network fault: no fault proxy is running for this run')
  await net.setFaults(link === 'client' ? names.map((n) => net.clientRoute(n)) : names.flatMap((n) => net.haRoutes(n)), faults)
}

export function networkFault<S extends z.ZodType<{link: 'client' | 'ha'}, z.ZodTypeDef, unknown>>(
  type: string, params: S, faults: (p: z.output<S>) => NetFaults, describe: (target: string, p: z.output<S>) => string,
): FaultAction<z.output<S>> {
  return {
    type,
    params,
    targetKinds: ['broker'],
    describe,
    validate(target, p, brokers) {
      if (p.link !== 'ha') return []
      const lonely = target.names.filter((n) => {
        const b = brokers.find((x) => x.node === n)
        return b && !brokers.some((o) => o.brokerName === b.brokerName && o.brokerId !== b.brokerId)
      })
      return lonely.map((n) => `${type} on ${n}: link ha needs a master with a slave (${n} has no HA link)`)
    },
    async inject(ctx, target, p) {
      await switchRoutes(ctx, target.names, p.link, faults(p))
      return handle(type, target)
    },
    async heal(ctx, h, p) {
      await switchRoutes(ctx, h.target.names, p.link, {})
    },
  }
}
