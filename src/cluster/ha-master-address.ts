/**
 * A slave's configured haMasterAddress, made to hold on every RocketMQ version. 4.x applies it at start.
 * 5.x reads it in BrokerController.initialize, before DefaultMessageStore.start has created the HA client,
 * so the address goes nowhere (the client logs "connect to master null"); and because it is configured,
 * the broker also stops taking the master's HA address from its namesrv registration. So on 5.x the
 * address is sent once the slave runs, with the admin request the broker itself answers for this.
 */
import {Admin} from '../client/admin.js'
import type {BrokerSpec, ClusterNode} from './cluster.js'

/** The haMasterAddress a slave's conf sets (the fault proxy's HA route, or the master's HA port), if any. */
export function configuredHaMasterAddress(spec: BrokerSpec | undefined): string | undefined {
  const v = spec?.brokerRole === 'SLAVE' ? spec.extraConf?.['haMasterAddress'] : undefined
  return v === undefined ? undefined : String(v)
}

/** On 5.x, after the slave registered: its HA client connects to `haMasterAddress` from now on. */
export async function applyHaMasterAddress(version: string, slave: ClusterNode, haMasterAddress: string, masterAddr: string): Promise<void> {
  if (version.startsWith('4.')) return
  const admin = new Admin({timeoutMs: 5_000})
  try {
    await admin.setHaMasterAddress(slave.addr, haMasterAddress, masterAddr)
  } finally {
    admin.shutdown()
  }
}
