/**
 * GET_CONSUMER_CONNECTION_LIST and GET_PRODUCER_CONNECTION_LIST (AdminBrokerProcessor), for
 * mqadmin consumerConnection / producerConnection and the message track of queryMsgById: which
 * clients of a group are connected here, from where, in which language and client version.
 */
import {encodeConsumerConnection, encodeProducerConnection} from '../../protocol/bodies/connection.js'
import type {SubscriptionData} from '../../protocol/bodies/heartbeat-data.js'
import {
  decodeGetConsumerConnectionListRequestHeader, decodeGetProducerConnectionListRequestHeader,
} from '../../protocol/headers/connection.js'
import {newResponse, type RemotingCommand} from '../../protocol/remoting-command.js'
import {RequestCode} from '../../protocol/request-code.js'
import {ResponseCode} from '../../protocol/response-code.js'
import type {RequestHandler} from '../../remoting/remoting-server.js'
import type {BrokerContext} from '../broker-context.js'
import type {Subscription} from '../consumer-manager.js'

function subscriptionData(s: Subscription): SubscriptionData {
  return {
    classFilterMode: s.classFilterMode ?? false, topic: s.topic, subString: s.subString, tagsSet: s.tagsSet ?? [],
    codeSet: s.codeSet ?? [], subVersion: s.subVersion, expressionType: s.expressionType,
  }
}

function consumerConnection(ctx: BrokerContext, req: RemotingCommand): RemotingCommand {
  const {consumerGroup} = decodeGetConsumerConnectionListRequestHeader(req.extFields)
  const info = ctx.consumers.groupInfo(consumerGroup)
  if (!info) return newResponse(req, ResponseCode.CONSUMER_NOT_ONLINE, {remark: `the consumer group[${consumerGroup}] not online`})
  const body = encodeConsumerConnection({
    connectionSet: info.clients, consumeFromWhere: info.consumeFromWhere, consumeType: info.consumeType,
    messageModel: info.messageModel,
    subscriptionTable: Object.fromEntries(info.subscriptions.map((s) => [s.topic, subscriptionData(s)])),
  })
  return newResponse(req, ResponseCode.SUCCESS, {body})
}

function producerConnection(ctx: BrokerContext, req: RemotingCommand): RemotingCommand {
  const {producerGroup} = decodeGetProducerConnectionListRequestHeader(req.extFields)
  const connectionSet = ctx.producers.connections(producerGroup)
  if (!connectionSet) return newResponse(req, ResponseCode.SYSTEM_ERROR, {remark: `the producer group[${producerGroup}] not exist`})
  return newResponse(req, ResponseCode.SUCCESS, {body: encodeProducerConnection({connectionSet})})
}

export function connectionHandlers(ctx: BrokerContext): Array<[number, RequestHandler]> {
  return [
    [RequestCode.GET_CONSUMER_CONNECTION_LIST, (req) => consumerConnection(ctx, req)],
    [RequestCode.GET_PRODUCER_CONNECTION_LIST, (req) => producerConnection(ctx, req)],
  ]
}
