/**
 * Broker statistics and inspection headers (RocketMQ AdminBrokerProcessor), as mqadmin's
 * topicStatus, consumerProgress, queryMsgById's message track and getBrokerConfig send them.
 *
 *   GET_TOPIC_STATS_INFO 202        topic string M                      (body: TopicStatsTable)
 *   GET_CONSUME_STATS 208           consumerGroup string M | topic string - |
 *                                   topicList string - (topics joined by ";")   (body: ConsumeStats)
 *   QUERY_TOPIC_CONSUME_BY_WHO 300  topic string M                      (body: GroupList)
 *   GET_BROKER_CONFIG 26            no request header; response: version string M (the config's
 *                                   DataVersion as JSON; body: the config as Java properties text)
 */
import {type ExtFields, optString, putOpt, reqString, withoutUndefined} from './fields.js'

export interface TopicRequestHeader {
  topic: string
}

/** GET_TOPIC_STATS_INFO and QUERY_TOPIC_CONSUME_BY_WHO carry the same single field. */
export function encodeTopicRequestHeader(h: TopicRequestHeader): ExtFields {
  return {topic: h.topic}
}

export function decodeTopicRequestHeader(ext: ExtFields | undefined): TopicRequestHeader {
  return {topic: reqString(ext, 'topic')}
}

export interface GetConsumeStatsRequestHeader {
  consumerGroup: string
  topic?: string
  topicList?: string[]
}

const TOPIC_LIST_SEPARATOR = ';'

export function encodeGetConsumeStatsRequestHeader(h: GetConsumeStatsRequestHeader): ExtFields {
  const out: ExtFields = {consumerGroup: h.consumerGroup}
  putOpt(out, 'topic', h.topic)
  putOpt(out, 'topicList', h.topicList?.join(TOPIC_LIST_SEPARATOR))
  return out
}

export function decodeGetConsumeStatsRequestHeader(ext: ExtFields | undefined): GetConsumeStatsRequestHeader {
  const list = optString(ext, 'topicList')
  return withoutUndefined({
    consumerGroup: reqString(ext, 'consumerGroup'),
    // Java's StringUtils.isBlank: an empty topic means "every topic the group has offsets for".
    topic: optString(ext, 'topic'),
    topicList: list === undefined ? undefined : list.split(TOPIC_LIST_SEPARATOR).filter((t) => t.trim() !== ''),
  })
}

export interface GetBrokerConfigResponseHeader {
  version: string
}

export function encodeGetBrokerConfigResponseHeader(h: GetBrokerConfigResponseHeader): ExtFields {
  return {version: h.version}
}

export function decodeGetBrokerConfigResponseHeader(ext: ExtFields | undefined): GetBrokerConfigResponseHeader {
  return {version: reqString(ext, 'version')}
}
