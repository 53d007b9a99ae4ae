/**
 * RocketMQ's shared names, kept once at the bottom so client, broker, workload and audit spell them
 * the same way (RocketMQ keeps them in common: MixAll, TopicValidator, ScheduleMessageService).
 */

/** Broker id of a master in brokerAddrs and in REGISTER_BROKER (MixAll.MASTER_ID); slaves are > 0. */
export const MASTER_ID = 0

/** Retry and dead-letter topics of a consumer group (MixAll.RETRY_GROUP_TOPIC_PREFIX / DLQ_GROUP_TOPIC_PREFIX). */
export const RETRY_GROUP_TOPIC_PREFIX = '%RETRY%'
export const DLQ_GROUP_TOPIC_PREFIX = '%DLQ%'

export const retryTopic = (group: string): string => `${RETRY_GROUP_TOPIC_PREFIX}${group}`
export const dlqTopic = (group: string): string => `${DLQ_GROUP_TOPIC_PREFIX}${group}`

export function isRetryOrDlqTopic(topic: string): boolean {
  return topic.startsWith(RETRY_GROUP_TOPIC_PREFIX) || topic.startsWith(DLQ_GROUP_TOPIC_PREFIX)
}

/** The template topic producers name in `defaultTopic`; auto-created topics copy it (TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC). */
export const AUTO_CREATE_TOPIC_KEY_TOPIC = 'TBW102'

/** Where delayed messages wait for their level (TopicValidator.RMQ_SYS_SCHEDULE_TOPIC). */
export const SCHEDULE_TOPIC = 'SCHEDULE_TOPIC_XXXX'

/** MessageStoreConfig.messageDelayLevel's default: one duration per level 1..18. */
export const DEFAULT_MESSAGE_DELAY_LEVEL = '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h'
