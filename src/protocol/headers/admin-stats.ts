/**
 * Broker statistics and inspection headers (RocketMQ AdminBrokerProcessor), as mqadmin's
 * topicStatus, consumerProgress, queryMsgById's message track and getBrokerConfig send them.
 *
 *   GET_TOPIC_STATS_INFO 202        topic string M                      (body: TopicStatsTable)
 *   GET_CONSUME_STATS 208           consumerGroup string M | topic string - |
 *                                   topicList string - (topics joined by ";")   (body: ConsumeStats)
 *   QUERY_TOPIC_CONSUME_BY_WHO 300  topic string M                      (body: GroupList)
 *   GET_TOPIC_CONFIG 351            topic string M | lo bool - (also send static-topic mapping)
 *                                   (body: TopicConfigAndQueueMapping; topicStatus asks for it)
 *   GET_BROKER_CONFIG 26            no request header; response: version string M (the config's
 *                                   DataVersion as JSON; body: the config as Java properties text)
 */
import {type ExtFields, optBool, optString, putOpt, reqString, singleStringHeader, withoutUndefined} from './fields.js'

/** GET_TOPIC_STATS_INFO, QUERY_TOPIC_CONSUME_BY_WHO and GET_TOPIC_CONFIG (5.x TopicRequestHeader adds `lo`). */
export interface TopicRequestHeader {
  topic: string
  lo?: boolean
}

export function encodeTopicRequestHeader(h: TopicRequestHeader): ExtFields {
  const out: ExtFields = {topic: h.topic}
  putOpt(out, 'lo', h.lo)
  return out
}

export function decodeTopicRequestHeader(ext: ExtFields | undefined): TopicRequestHeader {
  return withoutUndefined({topic: reqString(ext, 'topic'), lo: optBool(ext, 'lo')})
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

const brokerConfigResponse = singleStringHeader('version')

export const encodeGetBrokerConfigResponseHeader: (h: GetBrokerConfigResponseHeader) => ExtFields = brokerConfigResponse.encode
export const decodeGetBrokerConfigResponseHeader: (ext: ExtFields | undefined) => GetBrokerConfigResponseHeader = brokerConfigResponse.decode
