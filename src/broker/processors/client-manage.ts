/**
 * HEART_BEAT and UNREGISTER_CLIENT (RocketMQ ClientManageProcessor; rocketmq-protocol.md §3.6):
 * a consumer heartbeat registers the client in its groups and creates %RETRY%<group>; membership
 * changes reach the group as oneway NOTIFY_CONSUMER_IDS_CHANGED (ConsumerManager).
 */
import {decodeHeartbeatData} from '../../protocol/bodies/heartbeat-data.js'
import {decodeUnregisterClientRequestHeader} from '../../protocol/headers/client-manage.js'
import {newResponse, type RemotingCommand} from '../../protocol/remoting-command.js'
import {RequestCode} from '../../protocol/request-code.js'
import {ResponseCode} from '../../protocol/response-code.js'
import type {ConnectionContext, RequestHandler} from '../../remoting/remoting-server.js'
import type {BrokerContext} from '../broker-context.js'
import {RETRY_GROUP_TOPIC_PREFIX} from '../../protocol/common/mix-all.js'

function heartbeat(ctx: BrokerContext, req: RemotingCommand, conn: ConnectionContext, watched: Set<number>): RemotingCommand {
  const data = decodeHeartbeatData(req.body)
  for (const c of data.consumerDataSet) {
    if (c.messageModel === 'CLUSTERING') ctx.topics.createSystemTopic(RETRY_GROUP_TOPIC_PREFIX + c.groupName)
    const subs = c.subscriptionDataSet.map((s) => ({
      topic: s.topic, subString: s.subString, expressionType: s.expressionType, subVersion: s.subVersion,
    }))
    ctx.consumers.register(c.groupName, data.clientID, conn, subs)
  }
  if (data.consumerDataSet.length > 0 && !watched.has(conn.id)) {
    watched.add(conn.id)
    conn.onClose(() => {
      watched.delete(conn.id)
      ctx.consumers.removeChannel(conn.id)
    })
  }
  return newResponse(req, ResponseCode.SUCCESS)
}

function unregisterClient(ctx: BrokerContext, req: RemotingCommand): RemotingCommand {
  const h = decodeUnregisterClientRequestHeader(req.extFields)
  if (h.consumerGroup !== undefined) ctx.consumers.unregister(h.consumerGroup, h.clientID)
  return newResponse(req, ResponseCode.SUCCESS)
}

export function clientManageHandlers(ctx: BrokerContext): Array<[number, RequestHandler]> {
  const watched = new Set<number>()
  return [
    [RequestCode.HEART_BEAT, (req, conn) => heartbeat(ctx, req, conn, watched)],
    [RequestCode.UNREGISTER_CLIENT, (req) => unregisterClient(ctx, req)],
  ]
}
