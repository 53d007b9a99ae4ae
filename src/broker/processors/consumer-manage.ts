/**
 * Consumer offsets and group membership (RocketMQ ConsumerManageProcessor; rocketmq-protocol.md
 * §3.4, §3.6): QUERY_CONSUMER_OFFSET, UPDATE_CONSUMER_OFFSET, GET_CONSUMER_LIST_BY_GROUP.
 */
import {encodeConsumerList} from '../../protocol/bodies/consumer-list.js'
import {decodeGetConsumerListByGroupRequestHeader} from '../../protocol/headers/client-manage.js'
import {
  decodeQueryConsumerOffsetRequestHeader, decodeUpdateConsumerOffsetRequestHeader, encodeOffsetResponseHeader,
} from '../../protocol/headers/consumer-offset.js'
import {newResponse, type RemotingCommand} from '../../protocol/remoting-command.js'
import {RequestCode} from '../../protocol/request-code.js'
import {ResponseCode} from '../../protocol/response-code.js'
import type {RequestHandler} from '../../remoting/remoting-server.js'
import type {BrokerContext} from '../broker-context.js'

/**
 * A stored offset wins. Without one, a queue that still starts at 0 answers 0 (a new group reads
 * from the beginning, as RocketMQ does while message 0 is in memory) unless the client said
 * setZeroIfNotFound=false; otherwise QUERY_NOT_FOUND and the client picks its consumeFromWhere.
 */
function queryConsumerOffset(ctx: BrokerContext, req: RemotingCommand): RemotingCommand {
  const h = decodeQueryConsumerOffsetRequestHeader(req.extFields)
  const stored = ctx.offsets.queryOffset(h.consumerGroup, h.topic, h.queueId)
  if (stored !== undefined && stored >= 0) {
    return newResponse(req, ResponseCode.SUCCESS, {extFields: encodeOffsetResponseHeader({offset: stored})})
  }
  if (h.setZeroIfNotFound !== false && ctx.store.getMinOffsetInQueue(h.topic, h.queueId) <= 0) {
    return newResponse(req, ResponseCode.SUCCESS, {extFields: encodeOffsetResponseHeader({offset: 0})})
  }
  return newResponse(req, ResponseCode.QUERY_NOT_FOUND, {remark: 'Not found, maybe this group consumer boot first'})
}

function updateConsumerOffset(ctx: BrokerContext, req: RemotingCommand): RemotingCommand {
  const h = decodeUpdateConsumerOffsetRequestHeader(req.extFields)
  ctx.offsets.commitOffset(h.consumerGroup, h.topic, h.queueId, h.commitOffset)
  return newResponse(req, ResponseCode.SUCCESS)
}

function getConsumerListByGroup(ctx: BrokerContext, req: RemotingCommand): RemotingCommand {
  const {consumerGroup} = decodeGetConsumerListByGroupRequestHeader(req.extFields)
  const ids = ctx.consumers.clientIds(consumerGroup)
  if (ids.length === 0) return newResponse(req, ResponseCode.SYSTEM_ERROR, {remark: `no consumer for this group, ${consumerGroup}`})
  return newResponse(req, ResponseCode.SUCCESS, {body: encodeConsumerList({consumerIdList: ids})})
}

export function consumerManageHandlers(ctx: BrokerContext): Array<[number, RequestHandler]> {
  return [
    [RequestCode.QUERY_CONSUMER_OFFSET, (req) => queryConsumerOffset(ctx, req)],
    [RequestCode.UPDATE_CONSUMER_OFFSET, (req) => updateConsumerOffset(ctx, req)],
    [RequestCode.GET_CONSUMER_LIST_BY_GROUP, (req) => getConsumerListByGroup(ctx, req)],
  ]
}
