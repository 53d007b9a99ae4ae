/**
 * UPDATE_AND_CREATE_TOPIC (17) request header (rocketmq-protocol.md §3.9); the response has none.
 *
 *   topic           string M
 *   defaultTopic    string M   tools send "TBW102"
 *   readQueueNums   int    M
 *   writeQueueNums  int    M
 *   perm            int    M   2 = WRITE, 4 = READ, 1 = INHERIT; 6 = read-write
 *   topicFilterType string M   "SINGLE_TAG" | "MULTI_TAG"
 *   topicSysFlag    int    -
 *   order           bool   M
 * (5.x also sends attributes and force; they are ignored here.)
 */
import {type ExtFields, optInt, putOpt, reqBool, reqInt, reqString, withoutUndefined} from './fields.js'

export interface CreateTopicRequestHeader {
  topic: string
  defaultTopic: string
  readQueueNums: number
  writeQueueNums: number
  perm: number
  topicFilterType: string
  topicSysFlag?: number
  order: boolean
}

export function encodeCreateTopicRequestHeader(h: CreateTopicRequestHeader): ExtFields {
  const out: ExtFields = {
    topic: h.topic,
    defaultTopic: h.defaultTopic,
    readQueueNums: String(h.readQueueNums),
    writeQueueNums: String(h.writeQueueNums),
    perm: String(h.perm),
    topicFilterType: h.topicFilterType,
    order: String(h.order),
  }
  putOpt(out, 'topicSysFlag', h.topicSysFlag)
  return out
}

export function decodeCreateTopicRequestHeader(ext: ExtFields | undefined): CreateTopicRequestHeader {
  return withoutUndefined({
    topic: reqString(ext, 'topic'),
    defaultTopic: reqString(ext, 'defaultTopic'),
    readQueueNums: reqInt(ext, 'readQueueNums'),
    writeQueueNums: reqInt(ext, 'writeQueueNums'),
    perm: reqInt(ext, 'perm'),
    topicFilterType: reqString(ext, 'topicFilterType'),
    topicSysFlag: optInt(ext, 'topicSysFlag'),
    order: reqBool(ext, 'order'),
  })
}
