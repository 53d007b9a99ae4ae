/**
 * Admin requests (RocketMQ AdminBrokerProcessor; rocketmq-protocol.md §3.4, §3.9):
 * UPDATE_AND_CREATE_TOPIC, GET_MAX_OFFSET, GET_MIN_OFFSET, SEARCH_OFFSET_BY_TIMESTAMP and
 * GET_BROKER_RUNTIME_INFO (a KVTable body: {"table": {name: string value}}).
 */
import {encodeJsonBody} from '../../protocol/bodies/json-body.js'
import {
  decodeGetMaxOffsetRequestHeader, decodeGetMinOffsetRequestHeader, decodeSearchOffsetRequestHeader,
  encodeOffsetResponseHeader,
} from '../../protocol/headers/consumer-offset.js'
import {decodeCreateTopicRequestHeader} from '../../protocol/headers/topic.js'
import {newResponse, type RemotingCommand} from '../../protocol/remoting-command.js'
import {RequestCode} from '../../protocol/request-code.js'
import {ResponseCode} from '../../protocol/response-code.js'
import type {RequestHandler} from '../../remoting/remoting-server.js'
import type {BrokerContext, BrokerStore} from '../broker-context.js'
import type {MessageStore} from '../store/message-store.js'
import {isValidTopicName} from '../topic-config-manager.js'
import {AUTO_CREATE_TOPIC_KEY_TOPIC} from '../../protocol/common/mix-all.js'

/** RocketMQ answers only after re-registering, so the route is visible once the client hears SUCCESS. */
async function updateAndCreateTopic(ctx: BrokerContext, req: RemotingCommand): Promise<RemotingCommand> {
  const h = decodeCreateTopicRequestHeader(req.extFields)
  if (!isValidTopicName(h.topic)) {
    return newResponse(req, ResponseCode.INVALID_PARAMETER, {remark: `the specified topic[${h.topic}] is invalid`})
  }
  if (h.topic === h.defaultTopic && h.topic !== AUTO_CREATE_TOPIC_KEY_TOPIC) {
    return newResponse(req, ResponseCode.SYSTEM_ERROR, {remark: `the topic[${h.topic}] is conflict with system reserved words.`})
  }
  if (h.readQueueNums < 1 || h.writeQueueNums < 1 || h.perm < 0 || h.perm > 15) {
    return newResponse(req, ResponseCode.INVALID_PARAMETER, {remark: 'readQueueNums/writeQueueNums must be >= 1 and perm 0-15'})
  }
  const changed = ctx.topics.createOrUpdate({
    topicName: h.topic, readQueueNums: h.readQueueNums, writeQueueNums: h.writeQueueNums, perm: h.perm,
    topicFilterType: h.topicFilterType === 'MULTI_TAG' ? 'MULTI_TAG' : 'SINGLE_TAG',
    topicSysFlag: h.topicSysFlag ?? 0, order: h.order,
  })
  if (changed) {
    await ctx.topics.persist()
    await ctx.registerBrokerAll()
  }
  return newResponse(req, ResponseCode.SUCCESS)
}

function offsetResponse(req: RemotingCommand, offset: number): RemotingCommand {
  return newResponse(req, ResponseCode.SUCCESS, {extFields: encodeOffsetResponseHeader({offset})})
}

/**
 * Flush counters (ours, not RocketMQ's: benchmarks read messages per fsync from them). Only the
 * real store has them; processor tests run on an in-memory one.
 */
function flushStats(store: BrokerStore): Record<string, string> {
  const stats = typeof (store as Partial<MessageStore>).stats === 'function' ? (store as MessageStore).stats() : undefined
  if (!stats) return {}
  const fsyncs = stats.groupCommit?.fsyncCount ?? stats.intervalFlush?.fsyncCount ?? 0
  return {
    commitLogFsyncTimes: String(fsyncs),
    ...(stats.groupCommit && {
      groupCommitFlushedMessages: String(stats.groupCommit.flushedMessages),
      flushDiskTimeoutTimes: String(stats.groupCommit.timeouts),
    }),
  }
}

function runtimeInfo(ctx: BrokerContext, req: RemotingCommand): RemotingCommand {
  const table: Record<string, string> = {
    brokerVersionDesc: 'mqbench-embedded',
    brokerRole: ctx.config.brokerRole,
    flushDiskType: ctx.config.flushDiskType,
    maxPhyOffset: String(ctx.store.getMaxPhyOffset()),
    flushedPhyOffset: String(ctx.store.getFlushedPhyOffset()),
    putMessageTimesTotal: String(ctx.stats.putMessageTimes),
    putMessageFailedTimes: String(ctx.stats.putMessageFailedTimes),
    getFoundTimesTotal: String(ctx.stats.getMessageFoundTimes),
    getMissTimesTotal: String(ctx.stats.getMessageMissTimes),
    pullsHeldTotal: String(ctx.stats.pullsHeld),
    pullsHeldNow: String(ctx.pullHold.heldCount()),
    topicCount: String(ctx.topics.all().length),
    bootTimestamp: String(Date.now() - Math.round(process.uptime() * 1000)),
    ...flushStats(ctx.store),
  }
  return newResponse(req, ResponseCode.SUCCESS, {body: encodeJsonBody({table})})
}

export function adminHandlers(ctx: BrokerContext): Array<[number, RequestHandler]> {
  return [
    [RequestCode.UPDATE_AND_CREATE_TOPIC, (req) => updateAndCreateTopic(ctx, req)],
    [RequestCode.GET_MAX_OFFSET, (req) => {
      const h = decodeGetMaxOffsetRequestHeader(req.extFields)
      return offsetResponse(req, ctx.store.getMaxOffsetInQueue(h.topic, h.queueId))
    }],
    [RequestCode.GET_MIN_OFFSET, (req) => {
      const h = decodeGetMinOffsetRequestHeader(req.extFields)
      return offsetResponse(req, ctx.store.getMinOffsetInQueue(h.topic, h.queueId))
    }],
    [RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, (req) => {
      const h = decodeSearchOffsetRequestHeader(req.extFields)
      return offsetResponse(req, ctx.store.getOffsetInQueueByTime(h.topic, h.queueId, h.timestamp))
    }],
    [RequestCode.GET_BROKER_RUNTIME_INFO, (req) => runtimeInfo(ctx, req)],
  ]
}
