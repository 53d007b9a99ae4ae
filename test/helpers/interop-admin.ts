/**
 * The admin tools' requests (issue 20), asked of whichever broker the interop suite runs against:
 * the same assertions hold for a real RocketMQ and for the embedded broker, so our bodies are read
 * the way the Java tools read a real broker's.
 */
import {expect} from 'vitest'
import {Producer} from '../../src/client/producer.js'
import {PullConsumer} from '../../src/client/pull-consumer.js'
import {decodeConsumeStats, decodeTopicConfigAndQueueMapping, decodeTopicStatsTable} from '../../src/protocol/bodies/admin-stats.js'
import {decodeConsumerConnection, decodeProducerConnection} from '../../src/protocol/bodies/connection.js'
import {decodeGroupList, decodeTopicList} from '../../src/protocol/bodies/name-lists.js'
import {decodeGetBrokerConfigResponseHeader} from '../../src/protocol/headers/admin-stats.js'
import {encodeQueryMessageRequestHeader} from '../../src/protocol/headers/query-message.js'
import {decodeMessages} from '../../src/protocol/message/message-decoder.js'
import {decodeOffsetMsgId} from '../../src/protocol/message/message-id.js'
import {newRequest, type RemotingCommand} from '../../src/protocol/remoting-command.js'
import {RequestCode} from '../../src/protocol/request-code.js'
import {ResponseCode} from '../../src/protocol/response-code.js'
import type {InteropContext} from './interop-run.js'

const GROUP = 'interop_admin_c'
const PRODUCER_GROUP = 'interop_admin_p'
const KEY = 'interop-admin-key'
/** MQVersion.Version.V5_0_0.ordinal(): GET_TOPIC_CONFIG (351, static topics) exists from 5.0 on. */
const V5_0_0 = 413

async function until<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 15_000
  for (;;) {
    const v = await fn()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error(`${what}: not within 15 s`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

export async function checkAdminRequests(ctx: InteropContext): Promise<void> {
  const namesrvAddr = ctx.cluster.namesrvAddr
  const remoting = ctx.remoting[0]
  const ask = (addr: string, code: number, ext?: Record<string, string>): Promise<RemotingCommand> => remoting.invoke(addr, newRequest(code, ext), 5000)
  const producer = new Producer({namesrvAddr, producerGroup: PRODUCER_GROUP, remoting})
  const consumer = new PullConsumer({namesrvAddr, consumerGroup: GROUP, remoting})
  try {
    await producer.start()
    await consumer.start()
    const sent = await producer.send({topic: ctx.topic, body: Buffer.from('admin'), keys: KEY})
    const queues = await consumer.fetchSubscribeQueues(ctx.topic)
    // A real broker refuses commits from a group it has not met (SUBSCRIPTION_GROUP_NOT_EXIST): heartbeat first.
    await consumer.heartbeat()
    await producer.heartbeat()
    await consumer.commitOffset(queues[0]!, 1)

    // 206: the topic, and %RETRY%<group> created by the heartbeat and registered with the namesrv.
    await until('%RETRY% topic in the namesrv topic list', async () => {
      const list = decodeTopicList((await ask(namesrvAddr, RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER)).body).topicList
      return list.includes(ctx.topic) && list.includes(`%RETRY%${GROUP}`) ? true : undefined
    })

    const stats = await ask(ctx.masterAddr, RequestCode.GET_TOPIC_STATS_INFO, {topic: ctx.topic})
    const table = decodeTopicStatsTable(stats.body)
    expect(table.offsetTable.map(([q]) => q.queueId).sort()).toEqual([0, 1, 2, 3])
    expect(table.offsetTable.every(([q]) => q.topic === ctx.topic && q.brokerName === ctx.brokerName)).toBe(true)
    expect(table.offsetTable.find(([q]) => q.queueId === sent.queue.queueId)![1].maxOffset).toBeGreaterThan(sent.queueOffset)

    const consume = decodeConsumeStats((await ask(ctx.masterAddr, RequestCode.GET_CONSUME_STATS, {consumerGroup: GROUP, topic: ctx.topic})).body)
    const q0 = consume.offsetTable.find(([q]) => q.queueId === 0)!
    expect(q0[1].consumerOffset).toBe(1)
    expect(q0[1].brokerOffset).toBeGreaterThanOrEqual(1)
    expect(q0[1].lastTimestamp).toBeGreaterThan(0)

    const runtime = JSON.parse((await ask(ctx.masterAddr, RequestCode.GET_BROKER_RUNTIME_INFO)).body!.toString()) as {table: Record<string, string>}
    // (5.x spells getTransferredTps, 4.x getTransferedTps: the embedded broker writes both.)
    for (const key of ['putTps', 'getTotalTps', 'msgPutTotalTodayNow', 'commitLogDiskRatio', 'earliestMessageTimeStamp', 'pageCacheLockTimeMills']) {
      expect(runtime.table, key).toHaveProperty(key)
    }
    const config = await ask(ctx.masterAddr, RequestCode.GET_TOPIC_CONFIG, {topic: ctx.topic})
    if (Number(runtime.table.brokerVersion) >= V5_0_0) {
      expect(decodeTopicConfigAndQueueMapping(config.body)).toMatchObject({topicName: ctx.topic, readQueueNums: 4, writeQueueNums: 4})
      expect((await ask(ctx.masterAddr, RequestCode.GET_TOPIC_CONFIG, {topic: 'interop_no_such_topic'})).code).toBe(ResponseCode.TOPIC_NOT_EXIST)
    } else {
      expect(config.code, 'a 4.x broker predates GET_TOPIC_CONFIG').toBe(ResponseCode.REQUEST_CODE_NOT_SUPPORTED)
    }

    expect(decodeGroupList((await ask(ctx.masterAddr, RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, {topic: ctx.topic})).body).groupList).toContain(GROUP)
    const cc = decodeConsumerConnection((await ask(ctx.masterAddr, RequestCode.GET_CONSUMER_CONNECTION_LIST, {consumerGroup: GROUP})).body)
    expect(cc).toMatchObject({consumeType: 'CONSUME_ACTIVELY', messageModel: 'CLUSTERING'})
    expect(cc.connectionSet.map((c) => [c.clientId, c.language])).toEqual([[consumer.clientId, 'JAVA']])
    expect(Object.keys(cc.subscriptionTable)).toEqual([ctx.topic])
    expect((await ask(ctx.masterAddr, RequestCode.GET_CONSUMER_CONNECTION_LIST, {consumerGroup: 'interop_nobody'})).code).toBe(ResponseCode.CONSUMER_NOT_ONLINE)
    const pc = decodeProducerConnection((await ask(ctx.masterAddr, RequestCode.GET_PRODUCER_CONNECTION_LIST, {producerGroup: PRODUCER_GROUP})).body)
    expect(pc.connectionSet.map((c) => c.clientId)).toEqual([producer.clientId])

    const brokerConfig = await ask(ctx.masterAddr, RequestCode.GET_BROKER_CONFIG)
    expect(brokerConfig.body!.toString()).toContain(`brokerName=${ctx.brokerName}`)
    expect(JSON.parse(decodeGetBrokerConfigResponseHeader(brokerConfig.extFields).version)).toHaveProperty('timestamp')

    // 12 by key (the index may trail the put on a real broker) and 33 by the offset msgId.
    const found = await until('QUERY_MESSAGE by key', async () => {
      const res = await ask(ctx.masterAddr, RequestCode.QUERY_MESSAGE, encodeQueryMessageRequestHeader({
        topic: ctx.topic, key: KEY, maxNum: 32, beginTimestamp: 0, endTimestamp: Date.now() + 60_000,
      }))
      return res.code === ResponseCode.SUCCESS ? decodeMessages(res.body!) : undefined
    })
    expect(found.map((m) => m.body.toString())).toEqual(['admin'])
    const view = await ask(ctx.masterAddr, RequestCode.VIEW_MESSAGE_BY_ID, {topic: ctx.topic, offset: String(decodeOffsetMsgId(sent.offsetMsgId).physicalOffset)})
    expect(decodeMessages(view.body!).map((m) => m.properties.KEYS)).toEqual([KEY])
  } finally {
    await producer.shutdown()
    await consumer.shutdown()
  }
}
