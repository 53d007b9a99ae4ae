/**
 * SEND_MESSAGE (10, long names) / SEND_MESSAGE_V2 (310) / SEND_BATCH_MESSAGE (320, short names)
 * request header, and the SEND response header (rocketmq-protocol.md §3.1).
 *
 *   V1 name               V2  type    M
 *   producerGroup         a   string  M
 *   topic                 b   string  M
 *   defaultTopic          c   string  M   "TBW102"
 *   defaultTopicQueueNums d   int     M
 *   queueId               e   int     M   < 0: broker picks
 *   sysFlag               f   int     M
 *   bornTimestamp         g   long    M
 *   flag                  h   int     M
 *   properties            i   string  -   0x01/0x02 encoded
 *   reconsumeTimes        j   int     -
 *   unitMode              k   bool    -
 *   maxReconsumeTimes     l   int     -
 *   batch                 m   bool    -
 *   bname                 n   string  -   (inherited RpcRequestHeader field)
 *
 * Response: msgId string M, queueId int M, queueOffset long M, transactionId string -,
 * plus MSG_REGION and TRACE_ON, which Java clients read unconditionally.
 */
import {RequestCode} from '../request-code.js'
import {
  type ExtFields, optBool, optInt, optString, putOpt, reqInt, reqLong, reqString,
} from './fields.js'

export interface SendMessageRequestHeader {
  producerGroup: string
  topic: string
  defaultTopic: string
  defaultTopicQueueNums: number
  queueId: number
  sysFlag: number
  bornTimestamp: number
  flag: number
  properties?: string
  reconsumeTimes?: number
  unitMode?: boolean
  maxReconsumeTimes?: number
  batch?: boolean
  bname?: string
}

type WireNames = {readonly [K in keyof SendMessageRequestHeader]-?: string}

const V1_NAMES: WireNames = {
  producerGroup: 'producerGroup', topic: 'topic', defaultTopic: 'defaultTopic',
  defaultTopicQueueNums: 'defaultTopicQueueNums', queueId: 'queueId', sysFlag: 'sysFlag',
  bornTimestamp: 'bornTimestamp', flag: 'flag', properties: 'properties', reconsumeTimes: 'reconsumeTimes',
  unitMode: 'unitMode', maxReconsumeTimes: 'maxReconsumeTimes', batch: 'batch', bname: 'bname',
}

const V2_NAMES: WireNames = {
  producerGroup: 'a', topic: 'b', defaultTopic: 'c', defaultTopicQueueNums: 'd', queueId: 'e',
  sysFlag: 'f', bornTimestamp: 'g', flag: 'h', properties: 'i', reconsumeTimes: 'j', unitMode: 'k',
  maxReconsumeTimes: 'l', batch: 'm', bname: 'n',
}

function encodeWith(h: SendMessageRequestHeader, n: WireNames): ExtFields {
  const out: ExtFields = {
    [n.producerGroup]: h.producerGroup,
    [n.topic]: h.topic,
    [n.defaultTopic]: h.defaultTopic,
    [n.defaultTopicQueueNums]: String(h.defaultTopicQueueNums),
    [n.queueId]: String(h.queueId),
    [n.sysFlag]: String(h.sysFlag),
    [n.bornTimestamp]: String(h.bornTimestamp),
    [n.flag]: String(h.flag),
  }
  putOpt(out, n.properties, h.properties)
  putOpt(out, n.reconsumeTimes, h.reconsumeTimes)
  putOpt(out, n.unitMode, h.unitMode)
  putOpt(out, n.maxReconsumeTimes, h.maxReconsumeTimes)
  putOpt(out, n.batch, h.batch)
  putOpt(out, n.bname, h.bname)
  return out
}

function decodeWith(ext: ExtFields | undefined, n: WireNames): SendMessageRequestHeader {
  const h: SendMessageRequestHeader = {
    producerGroup: reqString(ext, n.producerGroup),
    topic: reqString(ext, n.topic),
    defaultTopic: reqString(ext, n.defaultTopic),
    defaultTopicQueueNums: reqInt(ext, n.defaultTopicQueueNums),
    queueId: reqInt(ext, n.queueId),
    sysFlag: reqInt(ext, n.sysFlag),
    bornTimestamp: reqLong(ext, n.bornTimestamp),
    flag: reqInt(ext, n.flag),
  }
  const properties = optString(ext, n.properties)
  if (properties !== undefined) h.properties = properties
  const reconsumeTimes = optInt(ext, n.reconsumeTimes)
  if (reconsumeTimes !== undefined) h.reconsumeTimes = reconsumeTimes
  const unitMode = optBool(ext, n.unitMode)
  if (unitMode !== undefined) h.unitMode = unitMode
  const maxReconsumeTimes = optInt(ext, n.maxReconsumeTimes)
  if (maxReconsumeTimes !== undefined) h.maxReconsumeTimes = maxReconsumeTimes
  const batch = optBool(ext, n.batch)
  if (batch !== undefined) h.batch = batch
  const bname = optString(ext, n.bname)
  if (bname !== undefined) h.bname = bname
  return h
}

/** Long field names, for SEND_MESSAGE (10). */
export function encodeSendMessageRequestHeader(h: SendMessageRequestHeader): ExtFields {
  return encodeWith(h, V1_NAMES)
}

/** Short field names a..n, for SEND_MESSAGE_V2 (310) and SEND_BATCH_MESSAGE (320): what Java clients send. */
export function encodeSendMessageRequestHeaderV2(h: SendMessageRequestHeader): ExtFields {
  return encodeWith(h, V2_NAMES)
}

/** The request code picks the naming: short names for 310/320, long names otherwise. */
export function decodeSendMessageRequestHeader(ext: ExtFields | undefined, code: number): SendMessageRequestHeader {
  const v2 = code === RequestCode.SEND_MESSAGE_V2 || code === RequestCode.SEND_BATCH_MESSAGE
  return decodeWith(ext, v2 ? V2_NAMES : V1_NAMES)
}

export interface SendMessageResponseHeader {
  msgId: string
  queueId: number
  queueOffset: number
  transactionId?: string
}

// What a default Java broker adds to every send response (regionId, traceOn).
const MSG_REGION = 'DefaultRegion'
const TRACE_ON = 'true'

export function encodeSendMessageResponseHeader(h: SendMessageResponseHeader): ExtFields {
  const out: ExtFields = {msgId: h.msgId, queueId: String(h.queueId), queueOffset: String(h.queueOffset)}
  putOpt(out, 'transactionId', h.transactionId)
  out.MSG_REGION = MSG_REGION
  out.TRACE_ON = TRACE_ON
  return out
}

export function decodeSendMessageResponseHeader(ext: ExtFields | undefined): SendMessageResponseHeader {
  const h: SendMessageResponseHeader = {
    msgId: reqString(ext, 'msgId'),
    queueId: reqInt(ext, 'queueId'),
    queueOffset: reqLong(ext, 'queueOffset'),
  }
  const transactionId = optString(ext, 'transactionId')
  if (transactionId !== undefined) h.transactionId = transactionId
  return h
}
