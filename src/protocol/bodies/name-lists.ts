/**
 * Name-set bodies (Java HashSet<String> → JSON array):
 *   GET_ALL_TOPIC_LIST_FROM_NAMESERVER (206, namesrv) → TopicList {"topicList":[string],"brokerAddr"?:string}
 *   QUERY_TOPIC_CONSUME_BY_WHO (300, broker)          → GroupList {"groupList":[string]}
 * fastjson omits a null brokerAddr, so a namesrv's TopicList carries topicList only.
 */
import {asObject, encodeJsonBody, optStr, parseJsonBody, stringArray} from './json-body.js'

export interface TopicList {
  topicList: string[]
  brokerAddr?: string
}

export interface GroupList {
  groupList: string[]
}

export function encodeTopicList(t: TopicList): Buffer {
  return encodeJsonBody(t.brokerAddr === undefined ? {topicList: t.topicList} : {brokerAddr: t.brokerAddr, topicList: t.topicList})
}

export function decodeTopicList(body: Buffer | string | undefined): TopicList {
  const o = asObject(parseJsonBody(body, 'TopicList'), 'TopicList')
  const brokerAddr = optStr(o, 'brokerAddr', 'TopicList')
  const list: TopicList = {topicList: stringArray(o.topicList ?? [], 'TopicList.topicList')}
  if (brokerAddr !== undefined) list.brokerAddr = brokerAddr
  return list
}

export function encodeGroupList(g: GroupList): Buffer {
  return encodeJsonBody({groupList: g.groupList})
}

export function decodeGroupList(body: Buffer | string | undefined): GroupList {
  const o = asObject(parseJsonBody(body, 'GroupList'), 'GroupList')
  return {groupList: stringArray(o.groupList ?? [], 'GroupList.groupList')}
}
