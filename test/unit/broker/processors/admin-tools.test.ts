/**
 * The request codes RocketMQ's admin tools need (issue 20): each answered in RocketMQ's body format,
 * each error the way a Java broker answers it.
 */
import {afterEach, describe, expect, it} from 'vitest'
import {decodeConsumeStats, decodeTopicConfigAndQueueMapping, decodeTopicStatsTable} from '../../../../src/protocol/bodies/admin-stats.js'
import {decodeConsumerConnection, decodeProducerConnection} from '../../../../src/protocol/bodies/connection.js'
import {encodeHeartbeatData} from '../../../../src/protocol/bodies/heartbeat-data.js'
import {decodeGroupList} from '../../../../src/protocol/bodies/name-lists.js'
import {encodePullMessageRequestHeader, PullSysFlag} from '../../../../src/protocol/headers/pull-message.js'
import {encodeSendMessageRequestHeaderV2} from '../../../../src/protocol/headers/send-message.js'
import {decodeMessages} from '../../../../src/protocol/message/message-decoder.js'
import {encodeProperties} from '../../../../src/protocol/message/properties.js'
import {newRequest, type RemotingCommand} from '../../../../src/protocol/remoting-command.js'
import {RequestCode} from '../../../../src/protocol/request-code.js'
import {ResponseCode} from '../../../../src/protocol/response-code.js'
import {type Harness, harness} from './harness.js'

let h: Harness
afterEach(() => h.dispose())

async function send(body: string, props: Record<string, string>, queueId = 0): Promise<RemotingCommand> {
  const ext = encodeSendMessageRequestHeaderV2({
    producerGroup: 'p', topic: 'T', defaultTopic: 'TBW102', defaultTopicQueueNums: 2, queueId, sysFlag: 0,
    bornTimestamp: Date.now(), flag: 0, properties: encodeProperties(props),
  })
  const res = await h.call(newRequest(RequestCode.SEND_MESSAGE_V2, ext, Buffer.from(body)))
  expect(res.code).toBe(ResponseCode.SUCCESS)
  return res
}

function heartbeat(consumerGroup: string | undefined, producerGroup?: string): RemotingCommand {
  const req = newRequest(RequestCode.HEART_BEAT, undefined, encodeHeartbeatData({
    clientID: 'client-1',
    producerDataSet: producerGroup ? [{groupName: producerGroup}] : [],
    consumerDataSet: consumerGroup ? [{
      groupName: consumerGroup, consumeType: 'CONSUME_PASSIVELY', messageModel: 'CLUSTERING', consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
      unitMode: false, subscriptionDataSet: [{classFilterMode: false, topic: 'T', subString: 'A || B', tagsSet: ['A', 'B'], codeSet: [65, 66], subVersion: 7, expressionType: 'TAG'}],
    }] : [],
  }))
  return {...req, language: 'GO', version: 400}
}

describe('topic statistics (GET_TOPIC_STATS_INFO, GET_TOPIC_CONFIG)', () => {
  it('min/max offset and last store time per queue; TOPIC_NOT_EXIST for an unknown topic', async () => {
    h = await harness()
    await send('a', {}, 0)
    await send('b', {}, 0)
    const res = await h.call(newRequest(RequestCode.GET_TOPIC_STATS_INFO, {topic: 'T'}))
    expect(res.code).toBe(ResponseCode.SUCCESS)
    const stats = decodeTopicStatsTable(res.body)
    expect(stats.offsetTable.map(([q, o]) => [q.queueId, o.minOffset, o.maxOffset])).toEqual([[0, 0, 2], [1, 0, 0]])
    expect(stats.offsetTable[0]![1].lastUpdateTimestamp).toBe(h.store.queues.get('T@0')![1]!.storeTimestamp)
    expect(stats.offsetTable[1]![1].lastUpdateTimestamp).toBe(0)
    expect(stats.offsetTable[0]![0]).toEqual({brokerName: 'broker-a', queueId: 0, topic: 'T'})
    expect((await h.call(newRequest(RequestCode.GET_TOPIC_STATS_INFO, {topic: 'Nope'}))).code).toBe(ResponseCode.TOPIC_NOT_EXIST)
    const tc = await h.call(newRequest(RequestCode.GET_TOPIC_CONFIG, {topic: 'T'}))
    expect(decodeTopicConfigAndQueueMapping(tc.body)).toMatchObject({topicName: 'T', readQueueNums: 2, perm: 6})
    expect((await h.call(newRequest(RequestCode.GET_TOPIC_CONFIG, {topic: 'Nope'}))).code).toBe(ResponseCode.TOPIC_NOT_EXIST)
  })
})

describe('GET_CONSUME_STATS', () => {
  it('per queue broker offset, committed offset, lag and last consumed store time', async () => {
    h = await harness()
    for (const b of ['a', 'b', 'c']) await send(b, {}, 0)
    h.ctx.offsets.commitOffset('g', 'T', 0, 2)
    const stats = decodeConsumeStats((await h.call(newRequest(RequestCode.GET_CONSUME_STATS, {consumerGroup: 'g'}))).body)
    expect(stats.offsetTable.map(([q, o]) => [q.queueId, o.brokerOffset, o.consumerOffset])).toEqual([[0, 3, 2], [1, 0, 0]])
    expect(stats.offsetTable[0]![1].lastTimestamp).toBe(h.store.queues.get('T@0')![1]!.storeTimestamp)
    expect(stats.offsetTable[0]![1].pullOffset).toBe(2)
    // A pull that ends at offset 3 while 2 is committed: one message in flight.
    const pull = await h.call(newRequest(RequestCode.PULL_MESSAGE, encodePullMessageRequestHeader({
      consumerGroup: 'g', topic: 'T', queueId: 0, queueOffset: 2, maxMsgNums: 32, sysFlag: PullSysFlag.SUBSCRIPTION, commitOffset: 0,
      suspendTimeoutMillis: 0, subVersion: 0, subscription: '*', expressionType: 'TAG',
    })))
    expect(pull.code).toBe(ResponseCode.SUCCESS)
    const after = decodeConsumeStats((await h.call(newRequest(RequestCode.GET_CONSUME_STATS, {consumerGroup: 'g'}))).body)
    expect(after.offsetTable[0]![1]).toMatchObject({consumerOffset: 2, pullOffset: 3})
    // A group without offsets here reports nothing (the tools then say "consumer not online").
    expect(decodeConsumeStats((await h.call(newRequest(RequestCode.GET_CONSUME_STATS, {consumerGroup: 'other'}))).body).offsetTable).toEqual([])
  })

  it('leaves out topics the online group does not subscribe, unless a topic list is given', async () => {
    h = await harness()
    await send('a', {}, 0)
    h.ctx.offsets.commitOffset('g', 'T', 0, 1)
    h.ctx.offsets.commitOffset('g', 'Old', 0, 0)
    h.ctx.topics.createSystemTopic('Old')
    expect((await h.call(heartbeat('g'))).code).toBe(ResponseCode.SUCCESS)
    const topics = async (ext: Record<string, string>) =>
      [...new Set(decodeConsumeStats((await h.call(newRequest(RequestCode.GET_CONSUME_STATS, {consumerGroup: 'g', ...ext}))).body).offsetTable.map(([q]) => q.topic))]
    expect(await topics({})).toEqual(['T'])
    expect(await topics({topicList: 'Old'})).toEqual(['Old'])
  })
})

describe('message lookup (QUERY_MESSAGE, VIEW_MESSAGE_BY_ID)', () => {
  it('finds by key and by unique key; QUERY_NOT_FOUND and SYSTEM_ERROR otherwise', async () => {
    h = await harness()
    await send('first', {KEYS: 'order-1', UNIQ_KEY: 'U1'})
    await send('second', {KEYS: 'order-1 order-2', UNIQ_KEY: 'U2'})
    const q = (key: string, extra: Record<string, string> = {}) => h.call(newRequest(RequestCode.QUERY_MESSAGE, {
      topic: 'T', key, maxNum: '32', beginTimestamp: '0', endTimestamp: '9223372036854775807', ...extra,
    }))
    const byKey = await q('order-1')
    expect(byKey.code).toBe(ResponseCode.SUCCESS)
    expect(decodeMessages(byKey.body!).map((m) => m.body.toString())).toEqual(['second', 'first'])
    expect(byKey.extFields).toHaveProperty('indexLastUpdateTimestamp')
    const byUniq = await q('U1', {_UNIQUE_KEY_QUERY: 'true', maxNum: '0'})
    expect(decodeMessages(byUniq.body!).map((m) => m.body.toString())).toEqual(['first'])
    const none = await q('nothing')
    expect(none.code).toBe(ResponseCode.QUERY_NOT_FOUND)
    expect(none.extFields).toHaveProperty('indexLastUpdatePhyoffset')
    const second = decodeMessages(byKey.body!)[0]!
    const view = await h.call(newRequest(RequestCode.VIEW_MESSAGE_BY_ID, {topic: 'T', offset: String(second.commitLogOffset)}))
    expect(decodeMessages(view.body!)[0]!.body.toString()).toBe('second')
    expect((await h.call(newRequest(RequestCode.VIEW_MESSAGE_BY_ID, {offset: '999999'}))).code).toBe(ResponseCode.SYSTEM_ERROR)
  })
})

describe('clients (HEART_BEAT, GET_CONSUMER/PRODUCER_CONNECTION_LIST, QUERY_TOPIC_CONSUME_BY_WHO)', () => {
  it('a heartbeat creates %RETRY%<group> and registers both kinds of client with language and version', async () => {
    h = await harness()
    expect((await h.call(newRequest(RequestCode.GET_CONSUMER_CONNECTION_LIST, {consumerGroup: 'g'}))).code).toBe(ResponseCode.CONSUMER_NOT_ONLINE)
    const noProducer = await h.call(newRequest(RequestCode.GET_PRODUCER_CONNECTION_LIST, {producerGroup: 'p'}))
    expect([noProducer.code, noProducer.remark]).toEqual([ResponseCode.SYSTEM_ERROR, 'the producer group[p] not exist'])
    await h.call(heartbeat('g', 'p'))
    expect(h.ctx.topics.get('%RETRY%g')).toMatchObject({readQueueNums: 1, writeQueueNums: 1})
    const cc = decodeConsumerConnection((await h.call(newRequest(RequestCode.GET_CONSUMER_CONNECTION_LIST, {consumerGroup: 'g'}))).body)
    expect(cc).toMatchObject({consumeType: 'CONSUME_PASSIVELY', messageModel: 'CLUSTERING', consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET'})
    expect(cc.connectionSet).toEqual([{clientAddr: '127.0.0.1:54321', clientId: 'client-1', language: 'GO', version: 400}])
    expect(cc.subscriptionTable.T).toMatchObject({subString: 'A || B', tagsSet: ['A', 'B'], codeSet: [65, 66], subVersion: 7})
    const pc = decodeProducerConnection((await h.call(newRequest(RequestCode.GET_PRODUCER_CONNECTION_LIST, {producerGroup: 'p'}))).body)
    expect(pc.connectionSet.map((c) => c.clientId)).toEqual(['client-1'])
    h.ctx.offsets.commitOffset('offsets-only', 'T', 0, 0)
    const who = decodeGroupList((await h.call(newRequest(RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, {topic: 'T'}))).body)
    expect(who.groupList).toEqual(['g', 'offsets-only'])
    h.conn.close()
    expect((await h.call(newRequest(RequestCode.GET_PRODUCER_CONNECTION_LIST, {producerGroup: 'p'}))).code).toBe(ResponseCode.SYSTEM_ERROR)
  })
})

describe('GET_BROKER_CONFIG and GET_BROKER_RUNTIME_INFO', () => {
  it('the config as Java properties with a DataVersion', async () => {
    h = await harness({flushDiskType: 'SYNC_FLUSH'})
    const res = await h.call(newRequest(RequestCode.GET_BROKER_CONFIG))
    const lines = res.body!.toString().split('\n')
    expect(lines).toContain('flushDiskType=SYNC_FLUSH')
    expect(lines).toContain('brokerName=broker-a')
    expect(lines).toContain('listenPort=10911')
    expect(JSON.parse(res.extFields!.version)).toMatchObject({counter: 0, stateVersion: 0})
  })

  it('carries the keys clusterList and brokerStatus read, in RocketMQ\'s formats', async () => {
    h = await harness()
    await send('a', {})
    const {table} = JSON.parse((await h.call(newRequest(RequestCode.GET_BROKER_RUNTIME_INFO))).body!.toString()) as {table: Record<string, string>}
    for (const key of [
      'msgPutTotalYesterdayMorning', 'msgPutTotalTodayMorning', 'msgGetTotalYesterdayMorning', 'msgGetTotalTodayMorning',
      'msgGetTotalTodayNow', 'sendThreadPoolQueueSize', 'pullThreadPoolQueueHeadWaitTimeMills', 'timerReadBehind', 'brokerVersion',
    ]) expect(table, key).toHaveProperty(key)
    expect(Object.keys(table).length).toBeGreaterThanOrEqual(53)
    expect(table.msgPutTotalTodayNow).toBe('1')
    expect(table.putTps).toMatch(/^\d+\.\d\d \d+\.\d\d \d+\.\d\d$/)
    expect(table.commitLogMaxOffset).toBe(String(h.store.getMaxPhyOffset()))
    expect(Number(table.commitLogDiskRatio)).toBeGreaterThan(0)
    expect(Number(table.commitLogDiskRatio)).toBeLessThan(1)
    expect(table.runtime).toMatch(/^\[ 0 days, 0 hours, 0 minutes, \d+ seconds \]$/)
    expect(table.remainHowManyDataToFlush).toBe('0 B')
    expect(table.brokerActive).toBe('true')
    expect(table.earliestMessageTimeStamp).toBe(String(h.store.queues.get('T@0')![0]!.storeTimestamp))
  })
})
