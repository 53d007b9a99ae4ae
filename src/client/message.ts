/**
 * What client users hand to a producer and get back from routes: RocketMQ's Message and
 * MessageQueue, reduced to the fields mqbench drives.
 */
export interface MessageQueue {
  topic: string
  brokerName: string
  queueId: number
}

export interface Message {
  topic: string
  body: Buffer
  tags?: string
  /** Business keys, space-separated, as RocketMQ's KEYS property. */
  keys?: string
  properties?: Record<string, string>
  flag?: number
  /** WAIT property: whether the broker waits for flush/replication before answering (default true). */
  waitStoreMsgOK?: boolean
}

/** "topic@brokerName@queueId": one map key per queue, as Java's MessageQueue equality. */
export function queueKey(mq: MessageQueue): string {
  return `${mq.topic}@${mq.brokerName}@${mq.queueId}`
}
