/**
 * PULL_MESSAGE (11) (RocketMQ PullMessageProcessor; rocketmq-protocol.md §3.3): store result →
 * response code per the decision table, long polling on PULL_NOT_FOUND + SUSPEND, the piggy-backed
 * offset commit, and suggestWhichBrokerId. The body is the CommitLog records themselves: the store's
 * buffer as it is, copied only when a tag filter dropped records.
 */
import {totalmem} from 'node:os'
import {decodePullMessageRequestHeader, encodePullMessageResponseHeader, PullSysFlag, type PullMessageRequestHeader} from '../../protocol/headers/pull-message.js'
import {decodeProperties, MessageProperty} from '../../protocol/message/properties.js'
import {newResponse, type RemotingCommand} from '../../protocol/remoting-command.js'
import {RequestCode} from '../../protocol/request-code.js'
import {ResponseCode} from '../../protocol/response-code.js'
import type {RequestHandler} from '../../remoting/remoting-server.js'
import type {BrokerContext} from '../broker-context.js'
import type {GetMessageResult} from '../store/message-store.js'
import {PermName} from '../../protocol/common/perm-name.js'

/** RocketMQ accessMessageInMemoryMaxRatio: beyond 40 % of RAM behind the log end, data is "on disk". */
const IN_MEMORY_WINDOW_BYTES = Math.floor(totalmem() * 0.4)
const WHICH_BROKER_WHEN_CONSUME_SLOWLY = 1
// Record layout positions (rocketmq-protocol.md §6.1, IPv4 hosts, v1).
const PHYSICAL_OFFSET_POS = 28
const BODY_LENGTH_POS = 84

/** null = match everything ("*" or no subscription); otherwise the accepted tags. */
function tagFilter(expression: string | undefined): Set<string> | null {
  if (expression === undefined) return null
  const tags = expression.split('||').map((t) => t.trim()).filter((t) => t !== '')
  return tags.length === 0 || tags.includes('*') ? null : new Set(tags)
}

function recordTags(record: Buffer): string | undefined {
  const bodyLength = record.readInt32BE(BODY_LENGTH_POS)
  const topicAt = BODY_LENGTH_POS + 4 + bodyLength
  const propsAt = topicAt + 1 + record.readInt8(topicAt)
  const props = record.toString('utf8', propsAt + 2, propsAt + 2 + record.readInt16BE(propsAt))
  return decodeProperties(props)[MessageProperty.TAGS]
}

function statusToCode(r: GetMessageResult, offset: number): number {
  switch (r.status) {
    case 'FOUND': return ResponseCode.SUCCESS
    case 'NO_MATCHED_MESSAGE': return ResponseCode.PULL_RETRY_IMMEDIATELY
    case 'OFFSET_OVERFLOW_ONE': return ResponseCode.PULL_NOT_FOUND
    case 'NO_MATCHED_LOGIC_QUEUE':
    case 'NO_MESSAGE_IN_QUEUE': return offset === 0 ? ResponseCode.PULL_NOT_FOUND : ResponseCode.PULL_OFFSET_MOVED
    default: return ResponseCode.PULL_OFFSET_MOVED
  }
}

function suggestBrokerId(ctx: BrokerContext, records: Buffer[]): number {
  if (!ctx.config.slaveReadEnable || records.length === 0) return 0
  const behindBytes = ctx.store.getMaxPhyOffset() - Number(records[0]!.readBigInt64BE(PHYSICAL_OFFSET_POS))
  return behindBytes > IN_MEMORY_WINDOW_BYTES ? WHICH_BROKER_WHEN_CONSUME_SLOWLY : 0
}

/** The request is valid for this broker, or the error response. */
function checkRequest(ctx: BrokerContext, req: RemotingCommand, h: PullMessageRequestHeader): RemotingCommand | Set<string> | null {
  if ((ctx.config.brokerPermission & PermName.READ) === 0) {
    return newResponse(req, ResponseCode.NO_PERMISSION, {remark: `the broker[${ctx.brokerAddr}] pulling message is forbidden`})
  }
  const tc = ctx.topics.get(h.topic)
  if (!tc) return newResponse(req, ResponseCode.TOPIC_NOT_EXIST, {remark: `topic[${h.topic}] not exist, apply first please!`})
  if ((tc.perm & PermName.READ) === 0) {
    return newResponse(req, ResponseCode.NO_PERMISSION, {remark: `the topic[${h.topic}] pulling message is forbidden`})
  }
  if (h.queueId < 0 || h.queueId >= tc.readQueueNums) {
    return newResponse(req, ResponseCode.INVALID_PARAMETER, {remark: `queueId[${h.queueId}] is illegal, topic:[${h.topic}] topicConfig.readQueueNums:[${tc.readQueueNums}]`})
  }
  if ((h.sysFlag & PullSysFlag.SUBSCRIPTION) !== 0) return tagFilter(h.subscription)
  const sub = ctx.consumers.subscription(h.consumerGroup, h.topic)
  if (!sub) return newResponse(req, ResponseCode.SUBSCRIPTION_NOT_EXIST, {remark: `the consumer's subscription not exist, group: ${h.consumerGroup}`})
  return tagFilter(sub.subString)
}

/** One pass; `allowSuspend` is false for the re-run after a long-poll wake-up. */
async function pull(ctx: BrokerContext, req: RemotingCommand, h: PullMessageRequestHeader, allowSuspend: boolean): Promise<RemotingCommand> {
  const filter = checkRequest(ctx, req, h)
  if (filter !== null && !(filter instanceof Set)) return filter
  const slave = ctx.config.brokerRole === 'SLAVE'
  const r = ctx.store.getMessage(h.topic, h.queueId, h.queueOffset, h.maxMsgNums, h.maxMsgBytes)
  let records = r.records
  let body = r.body
  let status = r.status
  if (filter && status === 'FOUND') {
    records = records.filter((rec) => filter.has(recordTags(rec) ?? ''))
    // Only a pull that dropped records needs a body of its own.
    if (records.length < r.records.length) body = Buffer.concat(records)
    if (records.length === 0) status = 'NO_MATCHED_MESSAGE'
  }
  let code = statusToCode({...r, status}, h.queueOffset)
  let nextBeginOffset = r.nextBeginOffset
  if (slave && code === ResponseCode.PULL_OFFSET_MOVED) {
    // A slave may simply lag: never move the consumer, ask it to retry (offsetCheckInSlave=false).
    code = ResponseCode.PULL_RETRY_IMMEDIATELY
    nextBeginOffset = h.queueOffset
  }
  if (allowSuspend && (h.sysFlag & PullSysFlag.COMMIT_OFFSET) !== 0 && !slave) {
    ctx.offsets.commitOffset(h.consumerGroup, h.topic, h.queueId, h.commitOffset)
  }
  if (code === ResponseCode.PULL_NOT_FOUND && allowSuspend && (h.sysFlag & PullSysFlag.SUSPEND) !== 0) {
    const holdMs = ctx.config.longPollingEnable ? h.suspendTimeoutMillis : ctx.config.shortPollingTimeMills
    const woken = await new Promise<boolean>((resolve) => {
      if (!ctx.pullHold.hold(h.topic, h.queueId, h.queueOffset, holdMs, () => resolve(true))) resolve(false)
    })
    if (woken) {
      ctx.stats.pullsHeld++
      return pull(ctx, req, h, false)
    }
  }
  if (code === ResponseCode.SUCCESS) {
    countFound(ctx, h.consumerGroup, h.topic, records.length)
    ctx.offsets.commitPullOffset(h.consumerGroup, h.topic, h.queueId, nextBeginOffset)
  }
  else ctx.stats.getMessageMissTimes++
  const extFields = encodePullMessageResponseHeader({
    suggestWhichBrokerId: suggestBrokerId(ctx, records), nextBeginOffset, minOffset: r.minOffset, maxOffset: r.maxOffset,
  })
  if (code !== ResponseCode.SUCCESS) return newResponse(req, code, {extFields, remark: status})
  return newResponse(req, code, {extFields, body})
}

function countFound(ctx: BrokerContext, group: string, topic: string, n: number): void {
  ctx.stats.getMessageFoundTimes++
  ctx.stats.getMessageTransferredMsgs += n
  const key = `${topic}@${group}`
  ctx.stats.groupGetNums.set(key, (ctx.stats.groupGetNums.get(key) ?? 0) + n)
}

export function pullMessageHandlers(ctx: BrokerContext): Array<[number, RequestHandler]> {
  const handler: RequestHandler = (req) => pull(ctx, req, decodePullMessageRequestHeader(req.extFields), true)
  return [
    [RequestCode.PULL_MESSAGE, handler],
    [RequestCode.LITE_PULL_MESSAGE, handler],
  ]
}
