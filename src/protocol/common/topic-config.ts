/**
 * TopicConfig and DataVersion as RocketMQ spells them: the broker's topic table (config/topics.json)
 * and the REGISTER_BROKER body share this one shape. `attributes` exists from 5.x on.
 */
import {PermName} from './perm-name.js'

export interface TopicConfig {
  topicName: string
  readQueueNums: number
  writeQueueNums: number
  perm: number
  /** SINGLE_TAG | MULTI_TAG */
  topicFilterType: string
  topicSysFlag: number
  order: boolean
  attributes?: Record<string, string>
}

/** namesrv re-reads a broker's topic table only when this changed. stateVersion exists from 5.x on. */
export interface DataVersion {
  timestamp: number
  counter: number
  stateVersion?: number
}

export function newTopicConfig(topicName: string, queueNums: number, perm: number = PermName.READ | PermName.WRITE): TopicConfig {
  return {topicName, readQueueNums: queueNums, writeQueueNums: queueNums, perm, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false}
}
