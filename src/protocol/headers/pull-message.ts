/**
 * PULL_MESSAGE (11) and LITE_PULL_MESSAGE (361) headers (rocketmq-protocol.md §3.3).
 *
 * Request:  consumerGroup string M | topic string M | queueId int M | queueOffset long M
 *           | maxMsgNums int M | sysFlag int M (PullSysFlag) | commitOffset long M
 *           | suspendTimeoutMillis long M | subscription string - | subVersion long M
 *           | expressionType string - ("TAG" | "SQL92") | maxMsgBytes int - (5.x) | bname string -
 * Response: suggestWhichBrokerId long M | nextBeginOffset long M | minOffset long M | maxOffset long M
 *           (5.x optional extras offsetDelta, topicSysFlag, groupSysFlag, forbiddenType are ignored)
 */
import {type ExtFields, optInt, optString, putOpt, reqInt, reqLong, reqString} from './fields.js'

export const PullSysFlag = {COMMIT_OFFSET: 1, SUSPEND: 2, SUBSCRIPTION: 4, CLASS_FILTER: 8, LITE_PULL: 16} as const

export interface PullMessageRequestHeader {
  consumerGroup: string
  topic: string
  queueId: number
  queueOffset: number
  maxMsgNums: number
  sysFlag: number
  commitOffset: number
  suspendTimeoutMillis: number
  subscription?: string
  subVersion: number
  expressionType?: string
  maxMsgBytes?: number
  bname?: string
}

export function encodePullMessageRequestHeader(h: PullMessageRequestHeader): ExtFields {
  const out: ExtFields = {
    consumerGroup: h.consumerGroup,
    topic: h.topic,
    queueId: String(h.queueId),
    queueOffset: String(h.queueOffset),
    maxMsgNums: String(h.maxMsgNums),
    sysFlag: String(h.sysFlag),
    commitOffset: String(h.commitOffset),
    suspendTimeoutMillis: String(h.suspendTimeoutMillis),
    subVersion: String(h.subVersion),
  }
  putOpt(out, 'subscription', h.subscription)
  putOpt(out, 'expressionType', h.expressionType)
  putOpt(out, 'maxMsgBytes', h.maxMsgBytes)
  putOpt(out, 'bname', h.bname)
  return out
}

export function decodePullMessageRequestHeader(ext: ExtFields | undefined): PullMessageRequestHeader {
  const h: PullMessageRequestHeader = {
    consumerGroup: reqString(ext, 'consumerGroup'),
    topic: reqString(ext, 'topic'),
    queueId: reqInt(ext, 'queueId'),
    queueOffset: reqLong(ext, 'queueOffset'),
    maxMsgNums: reqInt(ext, 'maxMsgNums'),
    sysFlag: reqInt(ext, 'sysFlag'),
    commitOffset: reqLong(ext, 'commitOffset'),
    suspendTimeoutMillis: reqLong(ext, 'suspendTimeoutMillis'),
    subVersion: reqLong(ext, 'subVersion'),
  }
  const subscription = optString(ext, 'subscription')
  if (subscription !== undefined) h.subscription = subscription
  const expressionType = optString(ext, 'expressionType')
  if (expressionType !== undefined) h.expressionType = expressionType
  const maxMsgBytes = optInt(ext, 'maxMsgBytes')
  if (maxMsgBytes !== undefined) h.maxMsgBytes = maxMsgBytes
  const bname = optString(ext, 'bname')
  if (bname !== undefined) h.bname = bname
  return h
}

export interface PullMessageResponseHeader {
  suggestWhichBrokerId: number
  nextBeginOffset: number
  minOffset: number
  maxOffset: number
}

export function encodePullMessageResponseHeader(h: PullMessageResponseHeader): ExtFields {
  return {
    suggestWhichBrokerId: String(h.suggestWhichBrokerId),
    nextBeginOffset: String(h.nextBeginOffset),
    minOffset: String(h.minOffset),
    maxOffset: String(h.maxOffset),
  }
}

export function decodePullMessageResponseHeader(ext: ExtFields | undefined): PullMessageResponseHeader {
  return {
    suggestWhichBrokerId: reqLong(ext, 'suggestWhichBrokerId'),
    nextBeginOffset: reqLong(ext, 'nextBeginOffset'),
    minOffset: reqLong(ext, 'minOffset'),
    maxOffset: reqLong(ext, 'maxOffset'),
  }
}
