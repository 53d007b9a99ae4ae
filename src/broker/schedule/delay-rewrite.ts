/**
 * The put-side half of delayed delivery (RocketMQ CommitLog.putMessage, rocketmq-protocol.md §9.2):
 * a message with DELAY=n is parked in SCHEDULE_TOPIC_XXXX queue n-1 with its real topic and queue
 * kept as properties; ScheduleMessageService moves it back when the level's delay has passed.
 */
import {MessageProperty} from '../../protocol/message/properties.js'
import type {MessageToStore} from '../store/message-store.js'
import {delayLevelOf, SCHEDULE_TOPIC} from './delay-levels.js'

/** Rewrites msg in place when it carries a DELAY level; returns the level used (0 = stored as is). */
export function applyDelayLevel(msg: MessageToStore, levelCount: number): number {
  // Transaction prepare/rollback records are never delayed; only plain and committed ones are.
  const tranType = msg.sysFlag & 0xc
  if (tranType === 0x4 || tranType === 0xc) return 0
  const level = delayLevelOf(msg.properties, levelCount)
  if (level === 0) return 0
  msg.properties[MessageProperty.DELAY] = String(level)
  msg.properties[MessageProperty.REAL_TOPIC] = msg.topic
  msg.properties[MessageProperty.REAL_QID] = String(msg.queueId)
  msg.topic = SCHEDULE_TOPIC
  msg.queueId = level - 1
  return level
}
