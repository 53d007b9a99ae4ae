/**
 * What the ReputDispatcher hands each ConsumeQueue for one CommitLog record (RocketMQ's
 * DispatchRequest), and its tagsCode: the tags hash, or for SCHEDULE_TOPIC_XXXX the delivery time.
 */
import {DEFAULT_MESSAGE_DELAY_LEVEL, SCHEDULE_TOPIC} from '../../protocol/common/mix-all.js'
import {tagsHashCode} from '../../protocol/message/index.js'
import {parseMessageDelayLevel} from '../schedule/delay-levels.js'

export interface DispatchRequest {
  topic: string
  queueId: number
  queueOffset: number
  commitLogOffset: number
  size: number
  tagsCode: number
  storeTimestamp: number
  /** KEYS and UNIQ_KEY properties, for the IndexService (absent when the message has none). */
  keys?: string
  uniqKey?: string
}

/** The properties the IndexService indexes, only those present (CommitLogDispatcherBuildIndex). */
export function indexKeysOf(properties: Record<string, string>): {keys?: string; uniqKey?: string} {
  const out: {keys?: string; uniqKey?: string} = {}
  if (properties.KEYS !== undefined) out.keys = properties.KEYS
  if (properties.UNIQ_KEY !== undefined) out.uniqKey = properties.UNIQ_KEY
  return out
}

/** messageDelayLevel default, in ms per level 1..18 */
const DELAY_LEVEL_MS = parseMessageDelayLevel(DEFAULT_MESSAGE_DELAY_LEVEL)

/** Tag hash, or for the schedule topic the delivery time (CommitLog.checkMessageAndReturnSize). */
export function tagsCodeOf(topic: string, properties: Record<string, string>, storeTimestamp: number): number {
  if (topic === SCHEDULE_TOPIC) {
    const level = Math.min(Number(properties.DELAY), DELAY_LEVEL_MS.length)
    if (level > 0) return storeTimestamp + DELAY_LEVEL_MS[level - 1]!
  }
  return tagsHashCode(properties.TAGS)
}
