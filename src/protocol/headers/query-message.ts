/**
 * Message lookup headers (RocketMQ QueryMessageProcessor; the IndexFile and offset-msgId paths).
 *
 *   QUERY_MESSAGE 12 request   topic string M | key string M | maxNum int M | beginTimestamp long M |
 *                              endTimestamp long M (tools send Long.MAX_VALUE: read saturating) |
 *                              _UNIQUE_KEY_QUERY "true"|"false" - (added by the
 *                              client outside the header class: key is a UNIQ_KEY, not a KEYS entry)
 *   QUERY_MESSAGE 12 response  indexLastUpdateTimestamp long M | indexLastUpdatePhyoffset long M
 *                              (body: the matching stored records back to back, or QUERY_NOT_FOUND)
 *   VIEW_MESSAGE_BY_ID 33      topic string - | offset long M   (the CommitLog offset decoded from an
 *                              offset msgId; body of the answer: that one stored record)
 */
import {type ExtFields, optBool, optString, putOpt, reqInt, reqLong, reqLongSaturating, reqString, withoutUndefined} from './fields.js'

/** MixAll.UNIQUE_MSG_QUERY_FLAG */
export const UNIQUE_MSG_QUERY_FLAG = '_UNIQUE_KEY_QUERY'

export interface QueryMessageRequestHeader {
  topic: string
  key: string
  maxNum: number
  beginTimestamp: number
  endTimestamp: number
  uniqueKeyQuery?: boolean
}

export function encodeQueryMessageRequestHeader(h: QueryMessageRequestHeader): ExtFields {
  const out: ExtFields = {
    topic: h.topic, key: h.key, maxNum: String(h.maxNum),
    beginTimestamp: String(h.beginTimestamp), endTimestamp: String(h.endTimestamp),
  }
  putOpt(out, UNIQUE_MSG_QUERY_FLAG, h.uniqueKeyQuery)
  return out
}

export function decodeQueryMessageRequestHeader(ext: ExtFields | undefined): QueryMessageRequestHeader {
  return withoutUndefined({
    topic: reqString(ext, 'topic'),
    key: reqString(ext, 'key'),
    maxNum: reqInt(ext, 'maxNum'),
    beginTimestamp: reqLongSaturating(ext, 'beginTimestamp'),
    endTimestamp: reqLongSaturating(ext, 'endTimestamp'),
    uniqueKeyQuery: optBool(ext, UNIQUE_MSG_QUERY_FLAG),
  })
}

export interface QueryMessageResponseHeader {
  indexLastUpdateTimestamp: number
  indexLastUpdatePhyoffset: number
}

export function encodeQueryMessageResponseHeader(h: QueryMessageResponseHeader): ExtFields {
  return {indexLastUpdateTimestamp: String(h.indexLastUpdateTimestamp), indexLastUpdatePhyoffset: String(h.indexLastUpdatePhyoffset)}
}

export function decodeQueryMessageResponseHeader(ext: ExtFields | undefined): QueryMessageResponseHeader {
  return {
    indexLastUpdateTimestamp: reqLong(ext, 'indexLastUpdateTimestamp'),
    indexLastUpdatePhyoffset: reqLong(ext, 'indexLastUpdatePhyoffset'),
  }
}

export interface ViewMessageRequestHeader {
  topic?: string
  offset: number
}

export function encodeViewMessageRequestHeader(h: ViewMessageRequestHeader): ExtFields {
  const out: ExtFields = {offset: String(h.offset)}
  putOpt(out, 'topic', h.topic)
  return out
}

export function decodeViewMessageRequestHeader(ext: ExtFields | undefined): ViewMessageRequestHeader {
  return withoutUndefined({topic: optString(ext, 'topic'), offset: reqLong(ext, 'offset')})
}
