/**
 * HEART_BEAT to every broker a client knows (MQClientInstance.sendHeartbeatToAllBroker): how a
 * broker learns a client's groups, so consumer rebalancing, %RETRY% topics and the admin tools'
 * consumerConnection / producerConnection see it. Fails only when every broker failed.
 */
import {encodeHeartbeatData, type HeartbeatData} from '../protocol/bodies/heartbeat-data.js'
import {newRequest} from '../protocol/remoting-command.js'
import {RequestCode} from '../protocol/request-code.js'
import type {RemotingClient} from '../remoting/remoting-client.js'
import {expectSuccess} from './expect-success.js'

/** MQClientInstance's heartbeatBrokerInterval. */
export const HEARTBEAT_INTERVAL_MS = 30_000

export async function heartbeatAllBrokers(remoting: RemotingClient, addrs: string[], data: HeartbeatData, timeoutMs: number): Promise<void> {
  const body = encodeHeartbeatData(data)
  const results = await Promise.allSettled(
    addrs.map(async (addr) => expectSuccess(await remoting.invoke(addr, newRequest(RequestCode.HEART_BEAT, undefined, body), timeoutMs), 'HEART_BEAT')),
  )
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed.length > 0 && failed.length === addrs.length) throw failed[0]!.reason
}
