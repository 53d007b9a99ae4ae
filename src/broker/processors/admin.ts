/**
 * Admin requests (RocketMQ AdminBrokerProcessor; rocketmq-protocol.md §3.4, §3.9):
 * UPDATE_AND_CREATE_TOPIC, GET_MAX_OFFSET, GET_MIN_OFFSET, SEARCH_OFFSET_BY_TIMESTAMP and
 * GET_BROKER_RUNTIME_INFO (runtime-info.ts).
 */
import {
  decodeGetMaxOffsetRequestHeader, decodeGetMinOffsetRequestHeader, decodeSearchOffsetRequestHeader,
  encodeOffsetResponseHeader,
} from '../../protocol/headers/consumer-offset.js'
import {decodeCreateTopicRequestHeader} from '../../protocol/headers/topic.js'
import {newResponse, type RemotingCommand} from '../../protocol/remoting-command.js'
import {RequestCode} from '../../protocol/request-code.js'
import {ResponseCode} from '../../protocol/response-code.js'
import type {RequestHandler} from '../../remoting/remoting-server.js'
import type {BrokerContext} from '../broker-context.js'
import {isValidTopicName} from '../topic-config-manager.js'
import {runtimeInfo} from './runtime-info.js'
import {isSystemTopic, queueNumsProblem} from '../topic-validator.js'

/** RocketMQ answers only after re-registering, so the route is visible once the client hears SUCCESS. */
async function updateAndCreateTopic(ctx: BrokerContext, req: RemotingCommand): Promise<RemotingCommand> {
  const h = decodeCreateTopicRequestHeader(req.extFields)
  if (!isValidTopicName(h.topic)) {
    return newResponse(req, ResponseCode.INVALID_PARAMETER, {remark: `the specified topic[${h.topic}] is invalid`})
  }
  if (h.topic === h.defaultTopic || isSystemTopic(h.topic)) {
    return newResponse(req, ResponseCode.SYSTEM_ERROR, {remark: `the topic[${h.topic}] is conflict with system topic.`})
  }
  const queues = queueNumsProblem(h.readQueueNums, h.writeQueueNums)
  if (queues !== undefined || h.perm < 0 || h.perm > 15) {
    return newResponse(req, ResponseCode.INVALID_PARAMETER, {remark: queues ?? 'perm must be 0-15'})
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
