/**
 * Limits on what one create-topic request may do (RocketMQ TopicValidator and AdminBrokerProcessor).
 * A built-in topic is the broker's own: one UPDATE_AND_CREATE_TOPIC on TBW102 (say perm 6, dropping
 * INHERIT) used to switch auto-creation off for good. And a queue count has a cap: every producer of
 * a topic keeps per-queue state, so 100M queues ran any of them out of memory.
 */
import {AUTO_CREATE_TOPIC_KEY_TOPIC, SCHEDULE_TOPIC} from '../protocol/common/mix-all.js'

/** RocketMQ's system topics (TopicValidator.SYSTEM_TOPIC_SET) and its system prefix. */
export const SYSTEM_TOPICS: ReadonlySet<string> = new Set([
  AUTO_CREATE_TOPIC_KEY_TOPIC, SCHEDULE_TOPIC, 'BenchmarkTest', 'RMQ_SYS_TRANS_HALF_TOPIC', 'RMQ_SYS_TRACE_TOPIC',
  'RMQ_SYS_TRANS_OP_HALF_TOPIC', 'TRANS_CHECK_MAX_TIME_TOPIC', 'SELF_TEST_TOPIC', 'OFFSET_MOVED_EVENT',
])
const SYSTEM_TOPIC_PREFIX = 'rmq_sys_'

/** Ours, not RocketMQ's (it has none): far above any benchmark's needs (RocketMQ's default is 8 or 16). */
export const MAX_QUEUE_NUMS_PER_TOPIC = 1024

export function isSystemTopic(topic: string): boolean {
  return SYSTEM_TOPICS.has(topic) || topic.startsWith(SYSTEM_TOPIC_PREFIX)
}

/** Why a create/update request is refused, or undefined when it may proceed. */
export function queueNumsProblem(readQueueNums: number, writeQueueNums: number): string | undefined {
  if (readQueueNums < 1 || writeQueueNums < 1) return 'readQueueNums/writeQueueNums must be >= 1'
  if (readQueueNums > MAX_QUEUE_NUMS_PER_TOPIC || writeQueueNums > MAX_QUEUE_NUMS_PER_TOPIC) {
    return `readQueueNums/writeQueueNums must be <= ${MAX_QUEUE_NUMS_PER_TOPIC}`
  }
  return undefined
}
