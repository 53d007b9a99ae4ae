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
  /** KEYS and UNIQ_KEY properties, for the IndexService (undefined when the message has none). */
  keys: string | undefined
  uniqKey: string | undefined
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
