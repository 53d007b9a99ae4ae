/**
 * Broker inspection for RocketMQ's admin tools (AdminBrokerProcessor): GET_TOPIC_STATS_INFO
 * (mqadmin topicStatus), GET_CONSUME_STATS (consumerProgress: per queue broker offset, consumer
 * offset and the store time of the last consumed message), QUERY_TOPIC_CONSUME_BY_WHO (the message
 * track printed by queryMsgById / queryMsgByOffset), GET_TOPIC_CONFIG (topicStatus looks for a static
 * topic mapping) and GET_BROKER_CONFIG (getBrokerConfig).
 */
import {
  type ConsumeStats, encodeConsumeStats, encodeTopicConfigAndQueueMapping, encodeTopicStatsTable, type TopicStatsTable,
} from '../../protocol/bodies/admin-stats.js'
import {encodeGroupList} from '../../protocol/bodies/name-lists.js'
import {
  decodeGetConsumeStatsRequestHeader, decodeTopicRequestHeader, encodeGetBrokerConfigResponseHeader, type GetConsumeStatsRequestHeader,
} from '../../protocol/headers/admin-stats.js'
import {newResponse, type RemotingCommand} from '../../protocol/remoting-command.js'
import {RequestCode} from '../../protocol/request-code.js'
import {ResponseCode} from '../../protocol/response-code.js'
import type {RequestHandler} from '../../remoting/remoting-server.js'
import type {BrokerContext} from '../broker-context.js'

function topicStats(ctx: BrokerContext, req: RemotingCommand): RemotingCommand {
  const {topic} = decodeTopicRequestHeader(req.extFields)
  const tc = ctx.topics.get(topic)
  if (!tc) return newResponse(req, ResponseCode.TOPIC_NOT_EXIST, {remark: `topic[${topic}] not exist`})
  const table: TopicStatsTable = {offsetTable: [], topicPutTps: ctx.runtime.topicPutTps(topic)}
  for (let queueId = 0; queueId < Math.max(tc.readQueueNums, tc.writeQueueNums); queueId++) {
    const minOffset = Math.max(0, ctx.store.getMinOffsetInQueue(topic, queueId))
    const maxOffset = Math.max(0, ctx.store.getMaxOffsetInQueue(topic, queueId))
    const last = maxOffset > 0 ? ctx.store.getMessageStoreTimeStamp(topic, queueId, maxOffset - 1) : 0
    table.offsetTable.push([
      {brokerName: ctx.config.brokerName, queueId, topic},
      {minOffset, maxOffset, lastUpdateTimestamp: Math.max(0, last)},
    ])
  }
  return newResponse(req, ResponseCode.SUCCESS, {body: encodeTopicStatsTable(table)})
}

/**
 * Topics to report (getTopicsForCollectingConsumeStats): the listed ones as given; otherwise the
 * named topic or every topic with committed offsets, minus those the online group does not subscribe.
 */
function topicsForConsumeStats(ctx: BrokerContext, h: GetConsumeStatsRequestHeader): string[] {
  if (h.topicList && h.topicList.length > 0) return h.topicList
  const topics = h.topic === undefined || h.topic.trim() === '' ? ctx.offsets.whichTopicByConsumer(h.consumerGroup) : [h.topic]
  if (ctx.consumers.subscriptionCount(h.consumerGroup) === 0) return topics
  return topics.filter((t) => ctx.consumers.subscription(h.consumerGroup, t) !== undefined)
}

function consumeStats(ctx: BrokerContext, req: RemotingCommand): RemotingCommand {
  const h = decodeGetConsumeStatsRequestHeader(req.extFields)
  const stats: ConsumeStats = {consumeTps: 0, offsetTable: []}
  for (const topic of topicsForConsumeStats(ctx, h)) {
    const tc = ctx.topics.get(topic)
    if (!tc) continue
    for (let queueId = 0; queueId < tc.readQueueNums; queueId++) {
      const brokerOffset = Math.max(0, ctx.store.getMaxOffsetInQueue(topic, queueId))
      const consumerOffset = Math.max(0, ctx.offsets.queryOffset(h.consumerGroup, topic, queueId) ?? 0)
      const last = consumerOffset > 0 ? ctx.store.getMessageStoreTimeStamp(topic, queueId, consumerOffset - 1) : 0
      // pullOffset - consumerOffset is what consumerProgress shows as #Inflight.
      const pullOffset = Math.max(consumerOffset, ctx.offsets.queryPullOffset(h.consumerGroup, topic, queueId) ?? 0)
      stats.offsetTable.push([
        {brokerName: ctx.config.brokerName, queueId, topic},
        {brokerOffset, consumerOffset, lastTimestamp: Math.max(0, last), pullOffset},
      ])
    }
    stats.consumeTps += ctx.runtime.groupGetTps(h.consumerGroup, topic)
  }
  return newResponse(req, ResponseCode.SUCCESS, {body: encodeConsumeStats(stats)})
}

function topicConfig(ctx: BrokerContext, req: RemotingCommand): RemotingCommand {
  const {topic} = decodeTopicRequestHeader(req.extFields)
  const tc = ctx.topics.get(topic)
  if (!tc) return newResponse(req, ResponseCode.TOPIC_NOT_EXIST, {remark: `No topic in this broker. topic: ${topic}`})
  return newResponse(req, ResponseCode.SUCCESS, {body: encodeTopicConfigAndQueueMapping(tc)})
}

function topicConsumeByWho(ctx: BrokerContext, req: RemotingCommand): RemotingCommand {
  const {topic} = decodeTopicRequestHeader(req.extFields)
  const groups = new Set([...ctx.consumers.groupsConsuming(topic), ...ctx.offsets.whichGroupByTopic(topic)])
  return newResponse(req, ResponseCode.SUCCESS, {body: encodeGroupList({groupList: [...groups].sort()})})
}

/** Configuration.getAllConfigsFormatString: every key as Java properties, `key=value` per line. */
export function brokerConfigText(ctx: BrokerContext): string {
  const port = ctx.brokerAddr.slice(ctx.brokerAddr.lastIndexOf(':') + 1)
  const entries = Object.entries({...ctx.config, listenPort: Number(port)}).filter(([, v]) => v !== undefined)
  return entries.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${String(v)}\n`).join('')
}

function brokerConfig(ctx: BrokerContext, req: RemotingCommand, bootMs: number): RemotingCommand {
  // The configuration never changes at run time here (no UPDATE_BROKER_CONFIG), so its version stays at 0.
  const version = JSON.stringify({counter: 0, stateVersion: 0, timestamp: bootMs})
  return newResponse(req, ResponseCode.SUCCESS, {
    extFields: encodeGetBrokerConfigResponseHeader({version}), body: Buffer.from(brokerConfigText(ctx), 'utf8'),
  })
}

export function adminStatsHandlers(ctx: BrokerContext): Array<[number, RequestHandler]> {
  const bootMs = Date.now()
  return [
    [RequestCode.GET_TOPIC_STATS_INFO, (req) => topicStats(ctx, req)],
    [RequestCode.GET_CONSUME_STATS, (req) => consumeStats(ctx, req)],
    [RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, (req) => topicConsumeByWho(ctx, req)],
    [RequestCode.GET_TOPIC_CONFIG, (req) => topicConfig(ctx, req)],
    [RequestCode.GET_BROKER_CONFIG, (req) => brokerConfig(ctx, req, bootMs)],
  ]
}
