/**
 * CONSUMER_SEND_MSG_BACK (36): a consumer hands back a message it failed to consume (RocketMQ
 * SendMessageProcessor.asyncConsumerSendMsgBack; rocketmq-protocol.md §3.5, §9.3). The broker reads
 * the original record at the given commit-log offset and stores a copy in %RETRY%<group> with a
 * delay level (3 + reconsumeTimes unless the consumer chose one), or — once reconsumeTimes reaches
 * maxReconsumeTimes, or when the consumer asks with delayLevel < 0 — in %DLQ%<group>, where it waits
 * for a human. The copy keeps body, flag, properties and UNIQ_KEY; reconsumeTimes goes up by one.
 */
import {decodeConsumerSendMsgBackRequestHeader} from '../../protocol/headers/consumer-send-msg-back.js'
import {encodeOffsetMsgId} from '../../protocol/message/message-id.js'
import {MessageProperty} from '../../protocol/message/properties.js'
import {newResponse, type RemotingCommand} from '../../protocol/remoting-command.js'
import {RequestCode} from '../../protocol/request-code.js'
import {ResponseCode} from '../../protocol/response-code.js'
import type {RequestHandler} from '../../remoting/remoting-server.js'
import type {BrokerContext} from '../broker-context.js'
import {parseMessageDelayLevel} from '../schedule/delay-levels.js'
import {applyDelayLevel} from '../schedule/delay-rewrite.js'
import type {MessageToStore} from '../store/message-store.js'
import {dlqTopic, retryTopic} from '../../protocol/common/mix-all.js'

/** Clients older than this send a maxReconsumeTimes the broker must not trust (MQVersion V3_4_9). */
const MIN_VERSION_WITH_MAX_RECONSUME_TIMES = 121
/** Retries start at level 3 (10 s by default): levels 1-2 are too short for a consumer to recover. */
const FIRST_RETRY_DELAY_LEVEL = 3

function fail(req: RemotingCommand, code: number, remark: string): RemotingCommand {
  return newResponse(req, code, {remark})
}

async function consumerSendMsgBack(ctx: BrokerContext, levelCount: number, req: RemotingCommand): Promise<RemotingCommand> {
  const h = decodeConsumerSendMsgBackRequestHeader(req.extFields)
  // No subscription-group table here: with auto-creation every group exists, otherwise only known ones.
  if (!ctx.config.autoCreateSubscriptionGroup && ctx.consumers.clientIds(h.group).length === 0) {
    return fail(req, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group not exist, ${h.group}`)
  }
  if (ctx.config.brokerRole === 'SLAVE') return fail(req, ResponseCode.SERVICE_NOT_AVAILABLE, 'the broker is a slave, not accepting messages')
  const origin = ctx.store.lookMessageByOffset(h.offset)
  if (origin === undefined) return fail(req, ResponseCode.SYSTEM_ERROR, `look message by offset failed, ${h.offset}`)

  const properties = {...origin.properties}
  properties[MessageProperty.RETRY_TOPIC] ??= origin.topic
  delete properties[MessageProperty.WAIT]
  properties[MessageProperty.ORIGIN_MESSAGE_ID] ??= encodeOffsetMsgId(origin.storeHost, origin.commitLogOffset)
  const maxReconsumeTimes = h.maxReconsumeTimes !== undefined && req.version >= MIN_VERSION_WITH_MAX_RECONSUME_TIMES
    ? h.maxReconsumeTimes
    : ctx.config.maxReconsumeTimes
  const toDlq = origin.reconsumeTimes >= maxReconsumeTimes || h.delayLevel < 0
  const topic = toDlq ? dlqTopic(h.group) : retryTopic(h.group)
  const tc = ctx.topics.createSystemTopic(topic)
  if (toDlq) delete properties[MessageProperty.DELAY]
  else properties[MessageProperty.DELAY] = String(h.delayLevel > 0 ? h.delayLevel : FIRST_RETRY_DELAY_LEVEL + origin.reconsumeTimes)
  const msg: MessageToStore = {
    topic, queueId: Math.floor(Math.random() * tc.writeQueueNums), flag: origin.flag, sysFlag: origin.sysFlag,
    bornTimestamp: origin.bornTimestamp, bornHost: origin.bornHost, body: origin.body, properties,
    reconsumeTimes: origin.reconsumeTimes + 1, waitStoreMsgOK: false,
  }
  applyDelayLevel(msg, levelCount)
  // The retry/DLQ topic must be on disk and at namesrv before anything can be drained from it.
  await ctx.topics.persist()
  const result = await ctx.store.putMessage(msg)
  if (result.status !== 'PUT_OK') return fail(req, ResponseCode.SYSTEM_ERROR, result.status)
  return newResponse(req, ResponseCode.SUCCESS)
}

export function consumerSendBackHandlers(ctx: BrokerContext): Array<[number, RequestHandler]> {
  const levelCount = parseMessageDelayLevel(ctx.config.messageDelayLevel, ctx.config.delayTimeScale).length
  return [[RequestCode.CONSUMER_SEND_MSG_BACK, (req) => consumerSendMsgBack(ctx, levelCount, req)]]
}
