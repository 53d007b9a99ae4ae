/**
 * SEND_MESSAGE (10), SEND_MESSAGE_V2 (310), SEND_BATCH_MESSAGE (320) → MessageStore
 * (RocketMQ SendMessageProcessor; rocketmq-protocol.md §3.1, §3.2, §2.5). Checks run in Java's
 * order: broker role/permission, topic (auto-created from the default topic when allowed), queue id,
 * then the store decides; its status maps to the response code in exactly one place.
 */
import {MessageProperty, NAME_VALUE_SEPARATOR, PROPERTY_SEPARATOR} from '../../protocol/message/properties.js'
import {decodeSendMessageRequestHeader, encodeSendMessageResponseHeader, type SendMessageRequestHeader} from '../../protocol/headers/send-message.js'
import {newResponse, type RemotingCommand} from '../../protocol/remoting-command.js'
import {RequestCode} from '../../protocol/request-code.js'
import {ResponseCode} from '../../protocol/response-code.js'
import type {ConnectionContext, RequestHandler} from '../../remoting/remoting-server.js'
import type {BrokerContext} from '../broker-context.js'
import type {MessageToStore, PutMessageResult} from '../store/message-store.js'
import {putMessageStatusToResponseCode} from '../store/put-message-status.js'
import {isValidTopicName} from '../topic-config-manager.js'
import {type TopicConfig} from '../../protocol/common/topic-config.js'
import {PermName} from '../../protocol/common/perm-name.js'
import {DLQ_GROUP_TOPIC_PREFIX, dlqTopic, isRetryOrDlqTopic, RETRY_GROUP_TOPIC_PREFIX} from '../../protocol/common/mix-all.js'
import {parseMessageDelayLevel} from '../schedule/delay-levels.js'
import {applyDelayLevel} from '../schedule/delay-rewrite.js'
import {decodeBatchBody} from './batch-body.js'
import {parseBrokenMode, withBrokenMode} from './broken-mode.js'

/** RocketMQ's default maxReconsumeTimes (subscription group retryMaxTimes). */
const DEFAULT_MAX_RECONSUME_TIMES = 16

function fail(req: RemotingCommand, code: number, remark: string): RemotingCommand {
  return newResponse(req, code, {remark})
}

/** Resolves the topic config, auto-creating it when RocketMQ would; a response means "refused". */
function resolveTopic(ctx: BrokerContext, req: RemotingCommand, h: SendMessageRequestHeader): TopicConfig | RemotingCommand {
  if (!isValidTopicName(h.topic)) return fail(req, ResponseCode.INVALID_PARAMETER, `the specified topic[${h.topic}] is invalid`)
  let tc = ctx.topics.get(h.topic)
  if (!tc && isRetryOrDlqTopic(h.topic)) {
    tc = ctx.topics.createSystemTopic(h.topic)
  }
  if (!tc && ctx.config.autoCreateTopicEnable) tc = ctx.topics.createFromDefault(h.topic, h.defaultTopic, h.defaultTopicQueueNums)
  if (!tc) return fail(req, ResponseCode.TOPIC_NOT_EXIST, `topic[${h.topic}] not exist, apply first please!`)
  if ((tc.perm & PermName.WRITE) === 0) return fail(req, ResponseCode.NO_PERMISSION, `the topic[${h.topic}] sending message is forbidden`)
  return tc
}

/** The checks every send shares; a response means "refused", otherwise the target queue id. */
function precheck(ctx: BrokerContext, req: RemotingCommand, h: SendMessageRequestHeader): {tc: TopicConfig; queueId: number} | RemotingCommand {
  if (ctx.config.brokerRole === 'SLAVE') return fail(req, ResponseCode.SERVICE_NOT_AVAILABLE, 'the broker is a slave, not accepting messages')
  if ((ctx.config.brokerPermission & PermName.WRITE) === 0) {
    return fail(req, ResponseCode.NO_PERMISSION, `the broker[${ctx.brokerAddr}] sending message is forbidden`)
  }
  const tc = resolveTopic(ctx, req, h)
  if ('code' in tc) return tc
  let queueId = h.queueId
  if (queueId < 0) queueId = Math.floor(Math.random() * tc.writeQueueNums)
  // 5.x answers INVALID_PARAMETER (29), which producers do not retry; 4.9.8's SYSTEM_ERROR would be retried pointlessly.
  if (queueId >= Math.max(tc.readQueueNums, tc.writeQueueNums)) {
    return fail(req, ResponseCode.INVALID_PARAMETER, `queueId[${queueId}] is illegal, topic: ${h.topic} readQueueNums: ${tc.readQueueNums} writeQueueNums: ${tc.writeQueueNums}`)
  }
  return {tc, queueId}
}

/**
 * WAIT is a per-send instruction, not message content: 4.9.8 strips it before storing. Decoded as
 * decodeProperties() does (last value wins, empty names or values dropped), except that WAIT never
 * goes in: deleting it afterwards would leave a slow dictionary-mode object for every later reader.
 */
function storedProperties(ctx: BrokerContext, text: string | undefined): {properties: Record<string, string>; wait: boolean} {
  const properties: Record<string, string> = {}
  let wait = true
  let start = 0
  const length = text === undefined ? 0 : text.length
  while (start < length) {
    let end = text!.indexOf(PROPERTY_SEPARATOR, start)
    if (end < 0) end = length
    const sep = text!.indexOf(NAME_VALUE_SEPARATOR, start)
    if (sep > start && sep < end - 1) {
      const key = text!.slice(start, sep)
      const value = text!.slice(sep + 1, end)
      if (key === MessageProperty.WAIT) wait = value !== 'false'
      else if (key === '__proto__') Object.defineProperty(properties, key, {value, enumerable: true, writable: true, configurable: true})
      else properties[key] = value
    }
    start = end + 1
  }
  properties[MessageProperty.CLUSTER] = ctx.config.brokerClusterName
  return {properties, wait}
}

/** %RETRY% sends past maxReconsumeTimes go to the group's DLQ (SendMessageProcessor.handleRetryAndDLQ). */
function retryOrDlq(ctx: BrokerContext, h: SendMessageRequestHeader, msg: MessageToStore): void {
  if (!h.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) return
  if ((h.reconsumeTimes ?? 0) <= (h.maxReconsumeTimes ?? DEFAULT_MAX_RECONSUME_TIMES)) return
  const dlq = dlqTopic(h.topic.slice(RETRY_GROUP_TOPIC_PREFIX.length))
  ctx.topics.createSystemTopic(dlq)
  msg.topic = dlq
  msg.queueId = 0
}

function toResponse(ctx: BrokerContext, req: RemotingCommand, result: PutMessageResult, queueId: number, uniqKey: string | undefined): RemotingCommand {
  const code = putMessageStatusToResponseCode(result.status)
  if (result.append === undefined) {
    ctx.stats.putMessageFailedTimes++
    return fail(req, code, `store refused the message: ${result.status}`)
  }
  ctx.stats.putMessageTimes += result.append.msgNum
  const msgId = result.append.msgIds.length > 1 ? result.append.msgIds.join(',') : result.append.msgId
  const extFields = encodeSendMessageResponseHeader({msgId, queueId, queueOffset: result.append.queueOffset, transactionId: uniqKey})
  return code === ResponseCode.SUCCESS
    ? newResponse(req, code, {extFields})
    : newResponse(req, code, {extFields, remark: result.status})
}

async function sendMessage(ctx: BrokerContext, levelCount: number, req: RemotingCommand, conn: ConnectionContext): Promise<RemotingCommand> {
  const h = decodeSendMessageRequestHeader(req.extFields, req.code)
  const checked = precheck(ctx, req, h)
  if ('code' in checked) return checked
  const body = req.body ?? Buffer.alloc(0)
  if (body.length > ctx.config.maxMessageSize) {
    return fail(req, ResponseCode.MESSAGE_ILLEGAL, `the message body size ${body.length} is over the limit ${ctx.config.maxMessageSize}`)
  }
  const {properties, wait} = storedProperties(ctx, h.properties)
  const msg: MessageToStore = {
    topic: h.topic, queueId: checked.queueId, flag: h.flag, sysFlag: h.sysFlag, bornTimestamp: h.bornTimestamp,
    bornHost: conn.remoteAddr, body, properties, reconsumeTimes: h.reconsumeTimes ?? 0, waitStoreMsgOK: wait,
  }
  retryOrDlq(ctx, h, msg)
  const queueId = msg.queueId
  // DELAY parks the message in SCHEDULE_TOPIC_XXXX (§9.2); a dead letter is never delayed.
  if (msg.topic.startsWith(DLQ_GROUP_TOPIC_PREFIX)) delete msg.properties[MessageProperty.DELAY]
  else applyDelayLevel(msg, levelCount)
  // A topic auto-created by this send must survive a kill -9 that keeps the message (RocketMQ persists at once).
  await ctx.topics.persist()
  const result = await ctx.store.putMessage(msg)
  return toResponse(ctx, req, result, queueId, properties[MessageProperty.UNIQ_KEY])
}

async function sendBatch(ctx: BrokerContext, req: RemotingCommand, conn: ConnectionContext): Promise<RemotingCommand> {
  const h = decodeSendMessageRequestHeader(req.extFields, req.code)
  if (h.topic.startsWith(RETRY_GROUP_TOPIC_PREFIX)) return fail(req, ResponseCode.MESSAGE_ILLEGAL, 'batch request does not support retry group')
  const checked = precheck(ctx, req, h)
  if ('code' in checked) return checked
  const entries = decodeBatchBody(req.body, ctx.config.maxMessageSize)
  if (typeof entries === 'string') return fail(req, ResponseCode.MESSAGE_ILLEGAL, entries)
  const {wait} = storedProperties(ctx, h.properties)
  const msgs: MessageToStore[] = entries.map((e) => {
    const {properties} = storedProperties(ctx, e.properties)
    return {
      topic: h.topic, queueId: checked.queueId, flag: e.flag, sysFlag: h.sysFlag, bornTimestamp: h.bornTimestamp,
      bornHost: conn.remoteAddr, body: e.body, properties, reconsumeTimes: 0, waitStoreMsgOK: wait,
    }
  })
  await ctx.topics.persist()
  const result = await ctx.store.putMessages(msgs)
  return toResponse(ctx, req, result, checked.queueId, undefined)
}

export function sendMessageHandlers(ctx: BrokerContext): Array<[number, RequestHandler]> {
  const levelCount = parseMessageDelayLevel(ctx.config.messageDelayLevel, ctx.config.delayTimeScale).length
  const honest: RequestHandler = (req, conn) => sendMessage(ctx, levelCount, req, conn)
  // Off by default; a test-only liar that proves the audit can fail (see broken-mode.ts).
  const broken = parseBrokenMode(ctx.config.mqbenchBrokenMode)
  const single = broken ? withBrokenMode(ctx, broken, honest) : honest
  return [
    [RequestCode.SEND_MESSAGE, single],
    [RequestCode.SEND_MESSAGE_V2, single],
    [RequestCode.SEND_BATCH_MESSAGE, (req, conn) => sendBatch(ctx, req, conn)],
  ]
}
