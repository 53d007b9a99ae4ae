/**
 * RocketMQ's default rebalance strategy (AllocateMessageQueueAveragely, rocketmq-protocol.md §9.4):
 * queues sorted by (topic, brokerName, queueId), client ids sorted as strings; each client takes one
 * contiguous block, the first `n % m` clients one queue more. Using the same rule as the Java client
 * means a group mixing our workers and Java consumers would split the queues the same way.
 */
import type {QueueRef} from './worker-messages.js'

export function allocateMessageQueueAveragely<Q extends QueueRef>(queues: readonly Q[], clientIds: readonly string[], clientId: string): Q[] {
  const ids = [...clientIds].sort()
  const index = ids.indexOf(clientId)
  if (index < 0 || queues.length === 0) return []
  const sorted = [...queues].sort(compareQueues)
  const n = sorted.length
  const m = ids.length
  const mod = n % m
  const size = n <= m ? 1 : mod > 0 && index < mod ? Math.floor(n / m) + 1 : Math.floor(n / m)
  const start = mod > 0 && index < mod ? index * size : index * size + mod
  const count = Math.min(size, n - start)
  return count > 0 ? sorted.slice(start, start + count) : []
}

function compareQueues(a: QueueRef, b: QueueRef): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1
  if (a.brokerName !== b.brokerName) return a.brokerName < b.brokerName ? -1 : 1
  return a.queueId - b.queueId
}
