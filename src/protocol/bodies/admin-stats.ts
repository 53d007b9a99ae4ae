/**
 * Statistics bodies keyed by MessageQueue (fastjson object-keyed maps, see fastjson-map.ts):
 *
 *   GET_TOPIC_STATS_INFO (202) → TopicStatsTable
 *     {"offsetTable":{MessageQueue:TopicOffset,…},"topicPutTps":double}
 *   GET_CONSUME_STATS (208) → ConsumeStats
 *     {"consumeTps":double,"offsetTable":{MessageQueue:OffsetWrapper,…}}
 *   MessageQueue  {"brokerName":string,"queueId":int,"topic":string}
 *   TopicOffset   {"lastUpdateTimestamp":long,"maxOffset":long,"minOffset":long}
 *   OffsetWrapper {"brokerOffset":long,"consumerOffset":long,"lastTimestamp":long,"pullOffset":long}
 * Fields in fastjson's order (alphabetical), so our bytes match a Java broker's.
 *
 *   GET_TOPIC_CONFIG (351) → TopicConfigAndQueueMapping: a TopicConfig (register-broker-body.ts)
 *     plus "mappingDetail" for static topics, which this broker never has (fastjson omits the null).
 */
import {encodeObjectKeyedMap, mapEntries, parseFastjson} from './fastjson-map.js'
import {asObject, encodeJsonBody, type JsonObject, optNum, parseJsonBody, reqNum, reqStr} from './json-body.js'
import {decodeTopicConfig, type TopicConfig} from './register-broker-body.js'

export interface MessageQueue {
  brokerName: string
  queueId: number
  topic: string
}

export interface TopicOffset {
  lastUpdateTimestamp: number
  maxOffset: number
  minOffset: number
}

export interface OffsetWrapper {
  brokerOffset: number
  consumerOffset: number
  lastTimestamp: number
  pullOffset: number
}

export interface TopicStatsTable {
  offsetTable: Array<[MessageQueue, TopicOffset]>
  topicPutTps: number
}

export interface ConsumeStats {
  consumeTps: number
  offsetTable: Array<[MessageQueue, OffsetWrapper]>
}

function mq(q: MessageQueue): MessageQueue {
  return {brokerName: q.brokerName, queueId: q.queueId, topic: q.topic}
}

function decodeMessageQueue(v: unknown, path: string): MessageQueue {
  const o = asObject(v, path)
  return {brokerName: reqStr(o, 'brokerName', path), queueId: reqNum(o, 'queueId', path), topic: reqStr(o, 'topic', path)}
}

function longs<K extends string>(o: JsonObject, keys: readonly K[], path: string): Record<K, number> {
  const out = {} as Record<K, number>
  for (const k of keys) out[k] = optNum(o, k, path) ?? 0
  return out
}

function decodeQueueMap<V>(v: unknown, path: string, value: (o: JsonObject, p: string) => V): Array<[MessageQueue, V]> {
  return mapEntries(v ?? {}, path).map(([k, val], i) => [
    decodeMessageQueue(k, `${path}[${i}].key`), value(asObject(val, `${path}[${i}].value`), `${path}[${i}].value`),
  ])
}

const TOPIC_OFFSET_KEYS = ['lastUpdateTimestamp', 'maxOffset', 'minOffset'] as const
const OFFSET_WRAPPER_KEYS = ['brokerOffset', 'consumerOffset', 'lastTimestamp', 'pullOffset'] as const

export function encodeTopicStatsTable(t: TopicStatsTable): Buffer {
  const table = encodeObjectKeyedMap(t.offsetTable.map(([q, o]) => [mq(q), longs(o as unknown as JsonObject, TOPIC_OFFSET_KEYS, '')]))
  return Buffer.from(`{"offsetTable":${table},"topicPutTps":${JSON.stringify(t.topicPutTps)}}`, 'utf8')
}

export function decodeTopicStatsTable(body: Buffer | string | undefined): TopicStatsTable {
  const path = 'TopicStatsTable'
  const o = asObject(parseFastjson(body, path), path)
  return {
    offsetTable: decodeQueueMap(o.offsetTable, `${path}.offsetTable`, (v, p) => longs(v, TOPIC_OFFSET_KEYS, p)),
    topicPutTps: optNum(o, 'topicPutTps', path) ?? 0,
  }
}

export function encodeConsumeStats(s: ConsumeStats): Buffer {
  const table = encodeObjectKeyedMap(s.offsetTable.map(([q, o]) => [mq(q), longs(o as unknown as JsonObject, OFFSET_WRAPPER_KEYS, '')]))
  return Buffer.from(`{"consumeTps":${JSON.stringify(s.consumeTps)},"offsetTable":${table}}`, 'utf8')
}

export function decodeConsumeStats(body: Buffer | string | undefined): ConsumeStats {
  const path = 'ConsumeStats'
  const o = asObject(parseFastjson(body, path), path)
  return {
    consumeTps: optNum(o, 'consumeTps', path) ?? 0,
    offsetTable: decodeQueueMap(o.offsetTable, `${path}.offsetTable`, (v, p) => longs(v, OFFSET_WRAPPER_KEYS, p)),
  }
}

export function encodeTopicConfigAndQueueMapping(tc: TopicConfig): Buffer {
  return encodeJsonBody({
    attributes: tc.attributes ?? {}, order: tc.order, perm: tc.perm, readQueueNums: tc.readQueueNums,
    topicFilterType: tc.topicFilterType, topicName: tc.topicName, topicSysFlag: tc.topicSysFlag, writeQueueNums: tc.writeQueueNums,
  })
}

export function decodeTopicConfigAndQueueMapping(body: Buffer | string | undefined): TopicConfig {
  return decodeTopicConfig(parseJsonBody(body, 'TopicConfigAndQueueMapping'), 'TopicConfigAndQueueMapping')
}
