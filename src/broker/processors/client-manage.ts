/**
 * HEART_BEAT and UNREGISTER_CLIENT (RocketMQ ClientManageProcessor; rocketmq-protocol.md §3.6):
 * a heartbeat registers the client in its consumer and producer groups, a CLUSTERING consumer's
 * creates %RETRY%<group> (registered with namesrv at once, so consumerProgress finds it); membership
 * changes reach the group as oneway NOTIFY_CONSUMER_IDS_CHANGED (ConsumerManager).
 */
import {decodeHeartbeatData} from '../../protocol/bodies/heartbeat-data.js'
import {decodeUnregisterClientRequestHeader} from '../../protocol/headers/client-manage.js'
import {newResponse, type RemotingCommand} from '../../protocol/remoting-command.js'
import {RequestCode} from '../../protocol/request-code.js'
import {ResponseCode} from '../../protocol/response-code.js'
import type {ConnectionContext, RequestHandler} from '../../remoting/remoting-server.js'
import type {BrokerContext} from '../broker-context.js'
import {retryTopic} from '../../protocol/common/mix-all.js'

function heartbeat(ctx: BrokerContext, req: RemotingCommand, conn: ConnectionContext, watched: Set<number>): RemotingCommand {
  const data = decodeHeartbeatData(req.body)
  // The client's language and version come from the request itself (RocketMQ ClientChannelInfo).
  const client = {language: req.language, version: req.version}
  for (const c of data.consumerDataSet) {
    if (c.messageModel === 'CLUSTERING') ctx.topics.createSystemTopic(retryTopic(c.groupName))
    const subs = c.subscriptionDataSet.map((s) => ({
      topic: s.topic, subString: s.subString, expressionType: s.expressionType, subVersion: s.subVersion,
      tagsSet: s.tagsSet, codeSet: s.codeSet, classFilterMode: s.classFilterMode,
    }))
    ctx.consumers.register(c.groupName, data.clientID, conn, subs, Date.now(), {
      ...client, consumeType: c.consumeType, messageModel: c.messageModel, consumeFromWhere: c.consumeFromWhere,
    })
  }
  for (const p of data.producerDataSet) ctx.producers.register(p.groupName, data.clientID, conn, client)
  const registered = data.consumerDataSet.length + data.producerDataSet.length > 0
  if (registered && !watched.has(conn.id)) {
    watched.add(conn.id)
    conn.onClose(() => {
      watched.delete(conn.id)
      ctx.consumers.removeChannel(conn.id)
      ctx.producers.removeChannel(conn.id)
    })
  }
  return newResponse(req, ResponseCode.SUCCESS)
}

function unregisterClient(ctx: BrokerContext, req: RemotingCommand): RemotingCommand {
  const h = decodeUnregisterClientRequestHeader(req.extFields)
  if (h.consumerGroup !== undefined) ctx.consumers.unregister(h.consumerGroup, h.clientID)
  if (h.producerGroup !== undefined) ctx.producers.unregister(h.producerGroup, h.clientID)
  return newResponse(req, ResponseCode.SUCCESS)
}

export function clientManageHandlers(ctx: BrokerContext): Array<[number, RequestHandler]> {
  const watched = new Set<number>()
  return [
    [RequestCode.HEART_BEAT, (req, conn) => heartbeat(ctx, req, conn, watched)],
    [RequestCode.UNREGISTER_CLIENT, (req) => unregisterClient(ctx, req)],
  ]
}
