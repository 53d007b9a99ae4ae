/**
 * CONSUMER_SEND_MSG_BACK (36) request header (rocketmq-protocol.md §3.5); the response has none.
 *
 *   offset            long    M   commit-log (physical) offset of the message
 *   group             string  M   consumer group
 *   delayLevel        int     M   0 = broker decides, -1 = straight to DLQ, n > 0 = that level
 *   originMsgId       string  -
 *   originTopic       string  -
 *   unitMode          bool    -
 *   maxReconsumeTimes int     -   honoured by the broker only for request version >= 121
 */
import {
  type ExtFields, optBool, optInt, optString, putOpt, reqInt, reqLong, reqString, withoutUndefined,
} from './fields.js'

export interface ConsumerSendMsgBackRequestHeader {
  offset: number
  group: string
  delayLevel: number
  originMsgId?: string
  originTopic?: string
  unitMode?: boolean
  maxReconsumeTimes?: number
}

export function encodeConsumerSendMsgBackRequestHeader(h: ConsumerSendMsgBackRequestHeader): ExtFields {
  const out: ExtFields = {offset: String(h.offset), group: h.group, delayLevel: String(h.delayLevel)}
  putOpt(out, 'originMsgId', h.originMsgId)
  putOpt(out, 'originTopic', h.originTopic)
  putOpt(out, 'unitMode', h.unitMode)
  putOpt(out, 'maxReconsumeTimes', h.maxReconsumeTimes)
  return out
}

export function decodeConsumerSendMsgBackRequestHeader(
  ext: ExtFields | undefined,
): ConsumerSendMsgBackRequestHeader {
  return withoutUndefined({
    offset: reqLong(ext, 'offset'),
    group: reqString(ext, 'group'),
    delayLevel: reqInt(ext, 'delayLevel'),
    originMsgId: optString(ext, 'originMsgId'),
    originTopic: optString(ext, 'originTopic'),
    unitMode: optBool(ext, 'unitMode'),
    maxReconsumeTimes: optInt(ext, 'maxReconsumeTimes'),
  })
}
