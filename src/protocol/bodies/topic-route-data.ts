/**
 * TopicRouteData: the GET_ROUTEINFO_BY_TOPIC (105) response body (rocketmq-protocol.md §4.1).
 *   {orderTopicConf?, queueDatas: [QueueData], brokerDatas: [BrokerData],
 *    filterServerTable: {brokerAddr: [addr]}, topicQueueMappingByBroker? (5.x, ignored)}
 *   QueueData  {brokerName, readQueueNums, writeQueueNums, perm, topicSysFlag}
 *              (topicSysFlag is spelled topicSynFlag by servers < 4.9.0: both are read)
 *   BrokerData {cluster, brokerName, brokerAddrs: {brokerId: "ip:port"}, zoneName?, enableActingMaster?}
 * brokerAddrs keys are Java longs, written bare by fastjson ({0:"…"}); here they are decimal strings.
 */
import {
  asArray, asObject, encodeJsonBody, type JsonObject, optBoolean, optNum, optStr, parseJsonBody, reqNum, reqStr,
  setOwn, stringArray, stringMap, badBody,
} from './json-body.js'

export interface QueueData {
  brokerName: string
  readQueueNums: number
  writeQueueNums: number
  perm: number
  topicSysFlag: number
}

export interface BrokerData {
  cluster: string
  brokerName: string
  /** brokerId (decimal string; "0" = master) → "ip:port" */
  brokerAddrs: Record<string, string>
  zoneName?: string
  enableActingMaster?: boolean
}

export interface TopicRouteData {
  orderTopicConf?: string
  queueDatas: QueueData[]
  brokerDatas: BrokerData[]
  filterServerTable: Record<string, string[]>
}

export function decodeQueueData(v: unknown, path: string): QueueData {
  const o = asObject(v, path)
  return {
    brokerName: reqStr(o, 'brokerName', path),
    readQueueNums: reqNum(o, 'readQueueNums', path),
    writeQueueNums: reqNum(o, 'writeQueueNums', path),
    perm: reqNum(o, 'perm', path),
    topicSysFlag: optNum(o, 'topicSysFlag', path) ?? optNum(o, 'topicSynFlag', path) ?? 0,
  }
}

export function decodeBrokerData(v: unknown, path: string): BrokerData {
  const o = asObject(v, path)
  const brokerAddrs = stringMap(o.brokerAddrs ?? {}, `${path}.brokerAddrs`)
  for (const id of Object.keys(brokerAddrs)) {
    if (!/^-?\d+$/.test(id)) badBody(`${path}.brokerAddrs`, `broker id "${id}" is not an integer`)
  }
  const data: BrokerData = {
    cluster: reqStr(o, 'cluster', path),
    brokerName: reqStr(o, 'brokerName', path),
    brokerAddrs,
  }
  const zoneName = optStr(o, 'zoneName', path)
  if (zoneName !== undefined) data.zoneName = zoneName
  const enableActingMaster = optBoolean(o, 'enableActingMaster', path)
  if (enableActingMaster !== undefined) data.enableActingMaster = enableActingMaster
  return data
}

function decodeFilterServerTable(v: unknown, path: string): Record<string, string[]> {
  if (v === undefined || v === null) return {}
  const o: JsonObject = asObject(v, path)
  const table: Record<string, string[]> = {}
  for (const key of Object.keys(o)) setOwn(table, key, stringArray(o[key], `${path}.${key}`))
  return table
}

export function decodeTopicRouteData(body: Buffer | string | undefined): TopicRouteData {
  const o = asObject(parseJsonBody(body, 'TopicRouteData'), 'TopicRouteData')
  const route: TopicRouteData = {
    queueDatas: asArray(o.queueDatas ?? [], 'TopicRouteData.queueDatas').map((q, i) =>
      decodeQueueData(q, `TopicRouteData.queueDatas[${i}]`),
    ),
    brokerDatas: asArray(o.brokerDatas ?? [], 'TopicRouteData.brokerDatas').map((b, i) =>
      decodeBrokerData(b, `TopicRouteData.brokerDatas[${i}]`),
    ),
    filterServerTable: decodeFilterServerTable(o.filterServerTable, 'TopicRouteData.filterServerTable'),
  }
  const orderTopicConf = optStr(o, 'orderTopicConf', 'TopicRouteData')
  if (orderTopicConf !== undefined) route.orderTopicConf = orderTopicConf
  return route
}

/** Standard JSON with quoted keys: fastjson reads "0" into a Long key just as well. */
export function encodeTopicRouteData(route: TopicRouteData): Buffer {
  return encodeJsonBody(route)
}
