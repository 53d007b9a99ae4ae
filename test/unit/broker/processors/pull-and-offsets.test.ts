import {afterEach, describe, expect, it} from 'vitest'
import {decodeConsumerList} from '../../../../src/protocol/bodies/consumer-list.js'
import {encodeHeartbeatData} from '../../../../src/protocol/bodies/heartbeat-data.js'
import {encodePullMessageRequestHeader, PullSysFlag, type PullMessageRequestHeader} from '../../../../src/protocol/headers/pull-message.js'
import {encodeSendMessageRequestHeaderV2} from '../../../../src/protocol/headers/send-message.js'
import {decodeMessages} from '../../../../src/protocol/message/message-decoder.js'
import {encodeProperties} from '../../../../src/protocol/message/properties.js'
import {newRequest} from '../../../../src/protocol/remoting-command.js'
import {RequestCode} from '../../../../src/protocol/request-code.js'
import {ResponseCode} from '../../../../src/protocol/response-code.js'
import {fakeConn, type Harness, harness} from './harness.js'

const SUB = PullSysFlag.SUBSCRIPTION
function pullReq(over: Partial<PullMessageRequestHeader> = {}) {
  return newRequest(RequestCode.PULL_MESSAGE, encodePullMessageRequestHeader({
    consumerGroup: 'g', topic: 'T', queueId: 0, queueOffset: 0, maxMsgNums: 32, sysFlag: SUB, commitOffset: 0,
    suspendTimeoutMillis: 15000, subVersion: 0, subscription: '*', expressionType: 'TAG', ...over,
  }))
}

async function send(h: Harness, body: string, tags?: string) {
  const ext = encodeSendMessageRequestHeaderV2({
    producerGroup: 'p', topic: 'T', defaultTopic: 'TBW102', defaultTopicQueueNums: 1, queueId: 0, sysFlag: 0,
    bornTimestamp: Date.now(), flag: 0, properties: encodeProperties(tags ? {TAGS: tags} : {}),
  })
  const res = await h.call(newRequest(RequestCode.SEND_MESSAGE_V2, ext, Buffer.from(body)))
  expect(res.code).toBe(ResponseCode.SUCCESS)
}

describe('pull-message processor', () => {
  let h: Harness
  afterEach(() => h.dispose())

  it('answers the stored records byte-exact, with next/min/max offsets', async () => {
    h = await harness()
    for (const b of ['m0', 'm1', 'm2']) await send(h, b)
    const res = await h.call(pullReq({queueOffset: 1}))
    expect(res.code).toBe(ResponseCode.SUCCESS)
    expect(res.extFields).toEqual({suggestWhichBrokerId: '0', nextBeginOffset: '3', minOffset: '0', maxOffset: '3'})
    expect(decodeMessages(res.body!).map((m) => m.body.toString())).toEqual(['m1', 'm2'])
    expect(res.body!.equals(Buffer.concat(h.store.queues.get('T@0')!.slice(1).map((e) => e.record)))).toBe(true)
  })

  it('maps offsets per the decision table', async () => {
    h = await harness()
    await send(h, 'm0')
    const atMax = await h.call(pullReq({queueOffset: 1}))
    expect([atMax.code, atMax.extFields!.nextBeginOffset]).toEqual([ResponseCode.PULL_NOT_FOUND, '1'])
    const beyond = await h.call(pullReq({queueOffset: 9}))
    expect([beyond.code, beyond.extFields!.nextBeginOffset]).toEqual([ResponseCode.PULL_OFFSET_MOVED, '1'])
    expect((await h.call(pullReq({topic: 'nope'}))).code).toBe(ResponseCode.TOPIC_NOT_EXIST)
    expect((await h.call(pullReq({queueId: 1}))).code).toBe(ResponseCode.INVALID_PARAMETER)
    expect((await h.call(pullReq({sysFlag: 0}))).code).toBe(ResponseCode.SUBSCRIPTION_NOT_EXIST)
  })

  it('filters by tag; all filtered → PULL_RETRY_IMMEDIATELY past them', async () => {
    h = await harness()
    await send(h, 'a', 'A')
    await send(h, 'b', 'B')
    await send(h, 'none')
    const onlyB = await h.call(pullReq({subscription: 'B || C'}))
    expect(decodeMessages(onlyB.body!).map((m) => m.body.toString())).toEqual(['b'])
    expect(onlyB.extFields!.nextBeginOffset).toBe('3')
    // Nothing filtered out: the body is the store's, record for record.
    const both = await h.call(pullReq({subscription: 'A || B', maxMsgNums: 2}))
    expect(both.body!.equals(Buffer.concat(h.store.queues.get('T@0')!.slice(0, 2).map((e) => e.record)))).toBe(true)
    const none = await h.call(pullReq({subscription: 'Z'}))
    expect([none.code, none.extFields!.nextBeginOffset]).toEqual([ResponseCode.PULL_RETRY_IMMEDIATELY, '3'])
  })

  it('long polling: a held pull is answered as soon as a message arrives', async () => {
    h = await harness()
    await send(h, 'm0')
    const pending = h.call(pullReq({queueOffset: 1, sysFlag: SUB | PullSysFlag.SUSPEND, suspendTimeoutMillis: 60_000}))
    await new Promise((r) => setTimeout(r, 20))
    expect(h.ctx.pullHold.heldCount()).toBe(1)
    await send(h, 'm1')
    const res = await pending
    expect(res.code).toBe(ResponseCode.SUCCESS)
    expect(decodeMessages(res.body!).map((m) => m.body.toString())).toEqual(['m1'])
  })

  it('long polling: answered PULL_NOT_FOUND at the suspend timeout', async () => {
    h = await harness()
    await send(h, 'm0')
    const res = await h.call(pullReq({queueOffset: 1, sysFlag: SUB | PullSysFlag.SUSPEND, suspendTimeoutMillis: 30}))
    expect(res.code).toBe(ResponseCode.PULL_NOT_FOUND)
    expect(h.ctx.pullHold.heldCount()).toBe(0)
  })

  it('commits the piggy-backed offset on a master only', async () => {
    h = await harness()
    await send(h, 'm0')
    await h.call(pullReq({sysFlag: SUB | PullSysFlag.COMMIT_OFFSET, commitOffset: 1}))
    expect(h.ctx.offsets.queryOffset('g', 'T', 0)).toBe(1)
    h.dispose()
    h = await harness({brokerRole: 'SLAVE', brokerId: 1})
    h.ctx.topics.createOrUpdate({topicName: 'T', readQueueNums: 1, writeQueueNums: 1, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false})
    const res = await h.call(pullReq({sysFlag: SUB | PullSysFlag.COMMIT_OFFSET, commitOffset: 1, queueOffset: 5}))
    expect(h.ctx.offsets.queryOffset('g', 'T', 0)).toBeUndefined()
    // a slave never moves a consumer: it may just be behind
    expect([res.code, res.extFields!.nextBeginOffset]).toEqual([ResponseCode.PULL_RETRY_IMMEDIATELY, '5'])
  })
})

describe('consumer-manage and client-manage processors', () => {
  let h: Harness
  afterEach(() => h.dispose())

  it('QUERY_CONSUMER_OFFSET: 0 for a fresh group, the committed value after UPDATE, 22 when asked not to default', async () => {
    h = await harness()
    const q = (ext: Record<string, string>) => h.call(newRequest(RequestCode.QUERY_CONSUMER_OFFSET, {consumerGroup: 'g', topic: 'T', queueId: '0', ...ext}))
    expect((await q({})).extFields).toEqual({offset: '0'})
    expect((await q({setZeroIfNotFound: 'false'})).code).toBe(ResponseCode.QUERY_NOT_FOUND)
    const up = await h.call(newRequest(RequestCode.UPDATE_CONSUMER_OFFSET, {consumerGroup: 'g', topic: 'T', queueId: '0', commitOffset: '42'}))
    expect(up.code).toBe(ResponseCode.SUCCESS)
    expect((await q({setZeroIfNotFound: 'false'})).extFields).toEqual({offset: '42'})
  })

  it('offsets survive persist + reload', async () => {
    h = await harness()
    h.ctx.offsets.commitOffset('g', 'T', 3, 17)
    await h.ctx.offsets.persist()
    const {ConsumerOffsetManager} = await import('../../../../src/broker/consumer-offset-manager.js')
    const again = await ConsumerOffsetManager.load(`${h.ctx.config.storePathRootDir}/config`)
    expect(again.queryOffset('g', 'T', 3)).toBe(17)
  })

  it('HEART_BEAT registers the consumer, creates %RETRY%<group>; a second member triggers NOTIFY to the first', async () => {
    h = await harness()
    const hb = (clientID: string) => newRequest(RequestCode.HEART_BEAT, {}, encodeHeartbeatData({
      clientID, producerDataSet: [],
      consumerDataSet: [{groupName: 'g', consumeType: 'CONSUME_ACTIVELY', messageModel: 'CLUSTERING', consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', unitMode: false,
        subscriptionDataSet: [{classFilterMode: false, topic: 'T', subString: '*', tagsSet: [], codeSet: [], subVersion: 1, expressionType: 'TAG'}]}],
    }))
    expect((await h.call(hb('c1'))).code).toBe(ResponseCode.SUCCESS)
    expect(h.ctx.topics.get('%RETRY%g')).toMatchObject({readQueueNums: 1, writeQueueNums: 1})
    const other = fakeConn()
    await h.call(hb('c2'), other)
    expect(h.conn.sent.some((c) => c.code === RequestCode.NOTIFY_CONSUMER_IDS_CHANGED)).toBe(true)
    const list = await h.call(newRequest(RequestCode.GET_CONSUMER_LIST_BY_GROUP, {consumerGroup: 'g'}))
    expect(decodeConsumerList(list.body).consumerIdList).toEqual(['c1', 'c2'])
    // subscription registered by heartbeat: pulls without the SUBSCRIPTION flag work now
    expect((await h.call(pullReq({sysFlag: 0}))).code).not.toBe(ResponseCode.SUBSCRIPTION_NOT_EXIST)
    other.close()
    expect(decodeConsumerList((await h.call(newRequest(RequestCode.GET_CONSUMER_LIST_BY_GROUP, {consumerGroup: 'g'}))).body).consumerIdList).toEqual(['c1'])
    await h.call(newRequest(RequestCode.UNREGISTER_CLIENT, {clientID: 'c1', consumerGroup: 'g'}))
    expect((await h.call(newRequest(RequestCode.GET_CONSUMER_LIST_BY_GROUP, {consumerGroup: 'g'}))).code).toBe(ResponseCode.SYSTEM_ERROR)
  })
})

describe('admin processor', () => {
  let h: Harness
  afterEach(() => h.dispose())

  it('UPDATE_AND_CREATE_TOPIC persists topics.json and re-registers before answering', async () => {
    h = await harness()
    const ext = {topic: 'N', defaultTopic: 'TBW102', readQueueNums: '3', writeQueueNums: '3', perm: '6', topicFilterType: 'SINGLE_TAG', order: 'false'}
    expect((await h.call(newRequest(RequestCode.UPDATE_AND_CREATE_TOPIC, ext))).code).toBe(ResponseCode.SUCCESS)
    expect(h.registrations).toBe(1)
    const {TopicConfigManager} = await import('../../../../src/broker/topic-config-manager.js')
    const reloaded = await TopicConfigManager.load(`${h.ctx.config.storePathRootDir}/config`, h.ctx.config)
    expect(reloaded.get('N')).toMatchObject({readQueueNums: 3, writeQueueNums: 3, perm: 6})
    expect((await h.call(newRequest(RequestCode.UPDATE_AND_CREATE_TOPIC, {...ext, topic: 'bad name'}))).code).toBe(ResponseCode.INVALID_PARAMETER)
  })

  it('GET_MAX_OFFSET / GET_MIN_OFFSET / SEARCH_OFFSET_BY_TIMESTAMP / GET_BROKER_RUNTIME_INFO', async () => {
    h = await harness()
    await send(h, 'a')
    await send(h, 'b')
    const off = async (code: number, ext: Record<string, string> = {}) =>
      (await h.call(newRequest(code, {topic: 'T', queueId: '0', ...ext}))).extFields!.offset
    expect(await off(RequestCode.GET_MAX_OFFSET)).toBe('2')
    expect(await off(RequestCode.GET_MIN_OFFSET)).toBe('0')
    expect(await off(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, {timestamp: '0'})).toBe('0')
    const info = JSON.parse((await h.call(newRequest(RequestCode.GET_BROKER_RUNTIME_INFO))).body!.toString())
    expect(info.table.maxPhyOffset).toBe(String(h.store.getMaxPhyOffset()))
    expect(info.table.putMessageTimesTotal).toBe('2')
  })
})
