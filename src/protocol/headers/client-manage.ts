/**
 * Client registration headers (rocketmq-protocol.md §3.6). HEART_BEAT (34) has no custom header
 * (its data is the HeartbeatData body).
 *
 *   UNREGISTER_CLIENT 35            clientID string M | producerGroup string - | consumerGroup string -
 *   GET_CONSUMER_LIST_BY_GROUP 38   consumerGroup string M   (response body: consumer-list.ts)
 *   NOTIFY_CONSUMER_IDS_CHANGED 40  consumerGroup string M   (broker -> consumer, oneway)
 */
import {type ExtFields, optString, putOpt, reqString, withoutUndefined} from './fields.js'

export interface UnregisterClientRequestHeader {
  clientID: string
  producerGroup?: string
  consumerGroup?: string
}

export function encodeUnregisterClientRequestHeader(h: UnregisterClientRequestHeader): ExtFields {
  const out: ExtFields = {clientID: h.clientID}
  putOpt(out, 'producerGroup', h.producerGroup)
  putOpt(out, 'consumerGroup', h.consumerGroup)
  return out
}

export function decodeUnregisterClientRequestHeader(ext: ExtFields | undefined): UnregisterClientRequestHeader {
  return withoutUndefined({
    clientID: reqString(ext, 'clientID'),
    producerGroup: optString(ext, 'producerGroup'),
    consumerGroup: optString(ext, 'consumerGroup'),
  })
}

export interface GetConsumerListByGroupRequestHeader {
  consumerGroup: string
}

export function encodeGetConsumerListByGroupRequestHeader(h: GetConsumerListByGroupRequestHeader): ExtFields {
  return {consumerGroup: h.consumerGroup}
}

export function decodeGetConsumerListByGroupRequestHeader(
  ext: ExtFields | undefined,
): GetConsumerListByGroupRequestHeader {
  return {consumerGroup: reqString(ext, 'consumerGroup')}
}

/** Same single field as GET_CONSUMER_LIST_BY_GROUP; a separate name keeps call sites honest. */
export type NotifyConsumerIdsChangedRequestHeader = GetConsumerListByGroupRequestHeader
export const encodeNotifyConsumerIdsChangedRequestHeader = encodeGetConsumerListByGroupRequestHeader
export const decodeNotifyConsumerIdsChangedRequestHeader = decodeGetConsumerListByGroupRequestHeader
