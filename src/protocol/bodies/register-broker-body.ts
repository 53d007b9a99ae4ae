/**
 * RegisterBrokerBody: the uncompressed REGISTER_BROKER (103) request body (rocketmq-protocol.md §4.3).
 *   {topicConfigSerializeWrapper: {topicConfigTable: {topic: TopicConfig}, dataVersion: DataVersion},
 *    filterServerList: [addr]}
 *   TopicConfig {topicName, readQueueNums, writeQueueNums, perm, topicFilterType, topicSysFlag, order,
 *                attributes? (5.x)}
 *   DataVersion {timestamp, counter, stateVersion? (5.x)}
 * namesrv re-reads topic configs only when dataVersion changed, so bump it when topics change.
 * 5.x mapping tables inside the wrapper are ignored on read.
 */
import {
  asObject, encodeJsonBody, optBoolean, optNum, optStr, parseJsonBody, reqNum, reqStr, setOwn, stringArray,
  stringMap,
} from './json-body.js'
import type {DataVersion, TopicConfig} from '../common/topic-config.js'

export type {DataVersion, TopicConfig} from '../common/topic-config.js'

export interface TopicConfigSerializeWrapper {
  topicConfigTable: Record<string, TopicConfig>
  dataVersion: DataVersion
}

export interface RegisterBrokerBody {
  topicConfigSerializeWrapper: TopicConfigSerializeWrapper
  filterServerList: string[]
}

export function decodeTopicConfig(v: unknown, path: string): TopicConfig {
  const o = asObject(v, path)
  const config: TopicConfig = {
    topicName: reqStr(o, 'topicName', path),
    readQueueNums: reqNum(o, 'readQueueNums', path),
    writeQueueNums: reqNum(o, 'writeQueueNums', path),
    perm: reqNum(o, 'perm', path),
    topicFilterType: optStr(o, 'topicFilterType', path) ?? 'SINGLE_TAG',
    topicSysFlag: optNum(o, 'topicSysFlag', path) ?? 0,
    order: optBoolean(o, 'order', path) ?? false,
  }
  if (o.attributes !== undefined && o.attributes !== null) config.attributes = stringMap(o.attributes, `${path}.attributes`)
  return config
}

export function decodeDataVersion(v: unknown, path: string): DataVersion {
  const o = asObject(v, path)
  const version: DataVersion = {timestamp: reqNum(o, 'timestamp', path), counter: reqNum(o, 'counter', path)}
  const stateVersion = optNum(o, 'stateVersion', path)
  if (stateVersion !== undefined) version.stateVersion = stateVersion
  return version
}

export function decodeRegisterBrokerBody(body: Buffer | string | undefined): RegisterBrokerBody {
  const path = 'RegisterBrokerBody'
  const o = asObject(parseJsonBody(body, path), path)
  const wrapperPath = `${path}.topicConfigSerializeWrapper`
  const wrapper = asObject(o.topicConfigSerializeWrapper, wrapperPath)
  const tablePath = `${wrapperPath}.topicConfigTable`
  const table = asObject(wrapper.topicConfigTable ?? {}, tablePath)
  const topicConfigTable: Record<string, TopicConfig> = {}
  for (const topic of Object.keys(table)) setOwn(topicConfigTable, topic, decodeTopicConfig(table[topic], `${tablePath}.${topic}`))
  return {
    topicConfigSerializeWrapper: {
      topicConfigTable,
      dataVersion: decodeDataVersion(wrapper.dataVersion, `${wrapperPath}.dataVersion`),
    },
    filterServerList: stringArray(o.filterServerList ?? [], `${path}.filterServerList`),
  }
}

export function encodeRegisterBrokerBody(body: RegisterBrokerBody): Buffer {
  return encodeJsonBody(body)
}
