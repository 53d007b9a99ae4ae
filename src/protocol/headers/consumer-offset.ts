/**
 * Offset headers (rocketmq-protocol.md §3.4).
 *
 *   QUERY_CONSUMER_OFFSET 14       consumerGroup string M | topic string M | queueId int M
 *                                  | setZeroIfNotFound bool - (5.x)
 *   UPDATE_CONSUMER_OFFSET 15      consumerGroup string M | topic string M | queueId int M
 *                                  | commitOffset long M
 *   GET_MAX_OFFSET 30              topic string M | queueId int M | committed bool - (5.x, default true)
 *   GET_MIN_OFFSET 31              topic string M | queueId int M
 *   SEARCH_OFFSET_BY_TIMESTAMP 29  topic string M | queueId int M | timestamp long M (ms)
 *                                  | boundaryType string - (5.x "lower" | "upper", case-insensitive)
 *   response of 14, 29, 30, 31     offset long M
 */
import {
  type ExtFields, optBool, optString, putOpt, reqInt, reqLong, reqString, withoutUndefined,
} from './fields.js'
import {ProtocolError} from '../protocol-error.js'

export interface QueryConsumerOffsetRequestHeader {
  consumerGroup: string
  topic: string
  queueId: number
  setZeroIfNotFound?: boolean
}

export function encodeQueryConsumerOffsetRequestHeader(h: QueryConsumerOffsetRequestHeader): ExtFields {
  const out: ExtFields = {consumerGroup: h.consumerGroup, topic: h.topic, queueId: String(h.queueId)}
  putOpt(out, 'setZeroIfNotFound', h.setZeroIfNotFound)
  return out
}

export function decodeQueryConsumerOffsetRequestHeader(ext: ExtFields | undefined): QueryConsumerOffsetRequestHeader {
  return withoutUndefined({
    consumerGroup: reqString(ext, 'consumerGroup'),
    topic: reqString(ext, 'topic'),
    queueId: reqInt(ext, 'queueId'),
    setZeroIfNotFound: optBool(ext, 'setZeroIfNotFound'),
  })
}

export interface UpdateConsumerOffsetRequestHeader {
  consumerGroup: string
  topic: string
  queueId: number
  commitOffset: number
}

export function encodeUpdateConsumerOffsetRequestHeader(h: UpdateConsumerOffsetRequestHeader): ExtFields {
  return {
    consumerGroup: h.consumerGroup,
    topic: h.topic,
    queueId: String(h.queueId),
    commitOffset: String(h.commitOffset),
  }
}

export function decodeUpdateConsumerOffsetRequestHeader(
  ext: ExtFields | undefined,
): UpdateConsumerOffsetRequestHeader {
  return {
    consumerGroup: reqString(ext, 'consumerGroup'),
    topic: reqString(ext, 'topic'),
    queueId: reqInt(ext, 'queueId'),
    commitOffset: reqLong(ext, 'commitOffset'),
  }
}

export interface GetMaxOffsetRequestHeader {
  topic: string
  queueId: number
  committed?: boolean
}

export function encodeGetMaxOffsetRequestHeader(h: GetMaxOffsetRequestHeader): ExtFields {
  const out: ExtFields = {topic: h.topic, queueId: String(h.queueId)}
  putOpt(out, 'committed', h.committed)
  return out
}

export function decodeGetMaxOffsetRequestHeader(ext: ExtFields | undefined): GetMaxOffsetRequestHeader {
  return withoutUndefined({
    topic: reqString(ext, 'topic'),
    queueId: reqInt(ext, 'queueId'),
    committed: optBool(ext, 'committed'),
  })
}

export interface GetMinOffsetRequestHeader {
  topic: string
  queueId: number
}

export function encodeGetMinOffsetRequestHeader(h: GetMinOffsetRequestHeader): ExtFields {
  return {topic: h.topic, queueId: String(h.queueId)}
}

export function decodeGetMinOffsetRequestHeader(ext: ExtFields | undefined): GetMinOffsetRequestHeader {
  return {topic: reqString(ext, 'topic'), queueId: reqInt(ext, 'queueId')}
}

export type BoundaryType = 'lower' | 'upper'

export interface SearchOffsetRequestHeader {
  topic: string
  queueId: number
  timestamp: number
  boundaryType?: BoundaryType
}

export function encodeSearchOffsetRequestHeader(h: SearchOffsetRequestHeader): ExtFields {
  const out: ExtFields = {topic: h.topic, queueId: String(h.queueId), timestamp: String(h.timestamp)}
  putOpt(out, 'boundaryType', h.boundaryType)
  return out
}

function parseBoundaryType(v: string | undefined): BoundaryType | undefined {
  if (v === undefined) return undefined
  const lower = v.toLowerCase()
  if (lower === 'lower' || lower === 'upper') return lower
  throw new ProtocolError('BAD_FIELD', `field boundaryType: expected "lower" or "upper", got ${JSON.stringify(v)}`)
}

export function decodeSearchOffsetRequestHeader(ext: ExtFields | undefined): SearchOffsetRequestHeader {
  return withoutUndefined({
    topic: reqString(ext, 'topic'),
    queueId: reqInt(ext, 'queueId'),
    timestamp: reqLong(ext, 'timestamp'),
    boundaryType: parseBoundaryType(optString(ext, 'boundaryType')),
  })
}

export interface OffsetResponseHeader {
  offset: number
}

export function encodeOffsetResponseHeader(h: OffsetResponseHeader): ExtFields {
  return {offset: String(h.offset)}
}

export function decodeOffsetResponseHeader(ext: ExtFields | undefined): OffsetResponseHeader {
  return {offset: reqLong(ext, 'offset')}
}
