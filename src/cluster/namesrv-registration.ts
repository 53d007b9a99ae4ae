/**
 * When a real RocketMQ broker is ready: not at its "boot success" line, which comes before it has
 * registered with the namesrv (up to its first register period later), but once the namesrv's
 * cluster info maps its broker name and id to its address. Until then topic creation finds no master.
 */
import {Admin} from '../client/admin.js'
import {RunBrokenError} from '../errors.js'
import type {ClusterNode} from './cluster.js'

const POLL_MS = 200

/** Polls GET_BROKER_CLUSTER_INFO until `node` is listed; rejects when the process dies or the deadline passes. */
export async function awaitRegistered(
  namesrvAddr: string, node: ClusterNode, running: () => boolean, opts: {deadline: number; logs: string},
): Promise<void> {
  const admin = new Admin({namesrvAddr, timeoutMs: 3_000})
  try {
    for (;;) {
      const info = await admin.getClusterInfo().catch(() => undefined)
      if (info?.brokerAddrTable[node.brokerName!]?.brokerAddrs[String(node.brokerId)] === node.addr) return
      if (!running()) throw new RunBrokenError(`${node.name} exited before registering with the namesrv`, {hint: `see ${opts.logs}`})
      if (performance.now() > opts.deadline) {
        throw new RunBrokenError(`${node.name} never appeared in the namesrv's cluster info at ${node.addr}`, {hint: `see ${opts.logs}`})
      }
      await new Promise((r) => setTimeout(r, POLL_MS))
    }
  } finally {
    admin.shutdown()
  }
}
