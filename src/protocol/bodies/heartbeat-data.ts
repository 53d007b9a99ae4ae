/**
 * HeartbeatData: the HEART_BEAT (34) request body (rocketmq-protocol.md §4.2).
 *   {clientID, producerDataSet: [{groupName}], consumerDataSet: [ConsumerData],
 *    heartbeatFingerprint? (5.x; 0 = classic heartbeat), withoutSub? (5.x)}
 *   ConsumerData     {groupName, consumeType, messageModel, consumeFromWhere, unitMode,
 *                     subscriptionDataSet: [SubscriptionData]}
 *   SubscriptionData {classFilterMode, topic, subString, tagsSet: [string], codeSet: [int],
 *                     subVersion, expressionType}
 * Enums travel by name. Java sets are JSON arrays.
 */
import {
  asArray, asObject, badBody, encodeJsonBody, optBoolean, optNum, optStr, parseJsonBody, reqNum, reqStr,
  stringArray,
} from './json-body.js'

export type ConsumeType = 'CONSUME_ACTIVELY' | 'CONSUME_PASSIVELY' | 'CONSUME_POP'
export type MessageModel = 'CLUSTERING' | 'BROADCASTING'

export interface SubscriptionData {
  classFilterMode: boolean
  topic: string
  subString: string
  tagsSet: string[]
  codeSet: number[]
  subVersion: number
  expressionType: string
}

export interface ConsumerData {
  groupName: string
  consumeType: ConsumeType
  messageModel: MessageModel
  /** CONSUME_FROM_LAST_OFFSET | CONSUME_FROM_FIRST_OFFSET | CONSUME_FROM_TIMESTAMP (+ deprecated names) */
  consumeFromWhere: string
  unitMode: boolean
  subscriptionDataSet: SubscriptionData[]
}

export interface ProducerData {
  groupName: string
}

export interface HeartbeatData {
  clientID: string
  producerDataSet: ProducerData[]
  consumerDataSet: ConsumerData[]
  heartbeatFingerprint?: number
  withoutSub?: boolean
}

function oneOf<T extends string>(v: string, allowed: readonly T[], path: string): T {
  if (!(allowed as readonly string[]).includes(v)) badBody(path, `expected one of ${allowed.join(', ')}, got "${v}"`)
  return v as T
}

export function decodeSubscriptionData(v: unknown, path: string): SubscriptionData {
  const o = asObject(v, path)
  const codeSet = asArray(o.codeSet ?? [], `${path}.codeSet`)
  codeSet.forEach((c, i) => {
    if (typeof c !== 'number' || !Number.isInteger(c)) badBody(`${path}.codeSet[${i}]`, 'expected an integer')
  })
  return {
    classFilterMode: optBoolean(o, 'classFilterMode', path) ?? false,
    topic: reqStr(o, 'topic', path),
    subString: reqStr(o, 'subString', path),
    tagsSet: stringArray(o.tagsSet ?? [], `${path}.tagsSet`),
    codeSet: codeSet as number[],
    subVersion: reqNum(o, 'subVersion', path),
    expressionType: optStr(o, 'expressionType', path) ?? 'TAG',
  }
}

function decodeConsumerData(v: unknown, path: string): ConsumerData {
  const o = asObject(v, path)
  return {
    groupName: reqStr(o, 'groupName', path),
    consumeType: oneOf(reqStr(o, 'consumeType', path), ['CONSUME_ACTIVELY', 'CONSUME_PASSIVELY', 'CONSUME_POP'], `${path}.consumeType`),
    messageModel: oneOf(reqStr(o, 'messageModel', path), ['CLUSTERING', 'BROADCASTING'], `${path}.messageModel`),
    consumeFromWhere: reqStr(o, 'consumeFromWhere', path),
    unitMode: optBoolean(o, 'unitMode', path) ?? false,
    subscriptionDataSet: asArray(o.subscriptionDataSet ?? [], `${path}.subscriptionDataSet`).map((s, i) =>
      decodeSubscriptionData(s, `${path}.subscriptionDataSet[${i}]`),
    ),
  }
}

export function decodeHeartbeatData(body: Buffer | string | undefined): HeartbeatData {
  const path = 'HeartbeatData'
  const o = asObject(parseJsonBody(body, path), path)
  const data: HeartbeatData = {
    clientID: reqStr(o, 'clientID', path),
    producerDataSet: asArray(o.producerDataSet ?? [], `${path}.producerDataSet`).map((p, i) => ({
      groupName: reqStr(asObject(p, `${path}.producerDataSet[${i}]`), 'groupName', `${path}.producerDataSet[${i}]`),
    })),
    consumerDataSet: asArray(o.consumerDataSet ?? [], `${path}.consumerDataSet`).map((c, i) =>
      decodeConsumerData(c, `${path}.consumerDataSet[${i}]`),
    ),
  }
  const fingerprint = optNum(o, 'heartbeatFingerprint', path)
  if (fingerprint !== undefined) data.heartbeatFingerprint = fingerprint
  const withoutSub = optBoolean(o, 'withoutSub', path)
  if (withoutSub !== undefined) data.withoutSub = withoutSub
  return data
}

export function encodeHeartbeatData(data: HeartbeatData): Buffer {
  return encodeJsonBody(data)
}
