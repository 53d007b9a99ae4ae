import {afterEach, describe, expect, it} from 'vitest'
import {encodeConsumerSendMsgBackRequestHeader, type ConsumerSendMsgBackRequestHeader} from '../../../../src/protocol/headers/consumer-send-msg-back.js'
import {encodeSendMessageRequestHeaderV2} from '../../../../src/protocol/headers/send-message.js'
import {decodeMessageExt} from '../../../../src/protocol/message/message-decoder.js'
import {encodeOffsetMsgId} from '../../../../src/protocol/message/message-id.js'
import {encodeProperties} from '../../../../src/protocol/message/properties.js'
import {newRequest} from '../../../../src/protocol/remoting-command.js'
import {RequestCode} from '../../../../src/protocol/request-code.js'
import {ResponseCode} from '../../../../src/protocol/response-code.js'
import {type Harness, harness} from './harness.js'

async function send(h: Harness, properties: Record<string, string>, topic = 'T') {
  const ext = encodeSendMessageRequestHeaderV2({
    producerGroup: 'pg', topic, defaultTopic: 'TBW102', defaultTopicQueueNums: 4, queueId: 1, sysFlag: 0,
    bornTimestamp: 1700000000000, flag: 9, properties: encodeProperties(properties),
  })
  return h.call(newRequest(RequestCode.SEND_MESSAGE_V2, ext, Buffer.from('payload')))
}

function sendBack(offset: number, over: Partial<ConsumerSendMsgBackRequestHeader> = {}) {
  return newRequest(RequestCode.CONSUMER_SEND_MSG_BACK, encodeConsumerSendMsgBackRequestHeader({offset, group: 'G', delayLevel: 0, ...over}))
}

/** The last record stored in topic@queue, decoded. */
function last(h: Harness, key: string) {
  const q = h.store.queues.get(key)!
  return decodeMessageExt(q[q.length - 1]!.record)
}

describe('CONSUMER_SEND_MSG_BACK', () => {
  let h: Harness
  afterEach(() => h.dispose())

  it('parks a copy for %RETRY%<group> at level 3 + reconsumeTimes, keeping body, flag and UNIQ_KEY', async () => {
    h = await harness()
    await send(h, {UNIQ_KEY: 'U1', KEYS: 'k', WAIT: 'true'})
    const original = last(h, 'T@1')
    const res = await h.call(sendBack(original.commitLogOffset))
    expect(res.code).toBe(ResponseCode.SUCCESS)
    const parked = last(h, 'SCHEDULE_TOPIC_XXXX@2')
    expect(parked.body.toString()).toBe('payload')
    expect(parked.flag).toBe(9)
    expect(parked.reconsumeTimes).toBe(1)
    expect(parked.properties).toMatchObject({
      UNIQ_KEY: 'U1', KEYS: 'k', DELAY: '3', RETRY_TOPIC: 'T', REAL_TOPIC: '%RETRY%G', REAL_QID: '0',
      ORIGIN_MESSAGE_ID: encodeOffsetMsgId('127.0.0.1:10911', original.commitLogOffset),
    })
    expect(parked.properties.WAIT).toBeUndefined()
    expect(h.store.stored.at(-1)!.waitStoreMsgOK).toBe(false)
    expect(h.ctx.topics.get('%RETRY%G')).toMatchObject({readQueueNums: 1, writeQueueNums: 1, perm: 6})
  })

  it('a retried message keeps RETRY_TOPIC and ORIGIN_MESSAGE_ID of the first delivery and climbs one level', async () => {
    h = await harness()
    await send(h, {UNIQ_KEY: 'U'})
    // A record already retried twice, as the schedule service re-stores it into %RETRY%G.
    const base = h.store.stored.at(-1)!
    await h.store.putMessage({...base, topic: '%RETRY%G', queueId: 0, reconsumeTimes: 2, properties: {...base.properties, RETRY_TOPIC: 'Orig', ORIGIN_MESSAGE_ID: 'FIRST'}})
    const again = last(h, '%RETRY%G@0')
    expect(again.reconsumeTimes).toBe(2)
    expect((await h.call(sendBack(again.commitLogOffset))).code).toBe(ResponseCode.SUCCESS)
    const parked = last(h, 'SCHEDULE_TOPIC_XXXX@4')
    expect(parked.reconsumeTimes).toBe(3)
    expect(parked.properties).toMatchObject({RETRY_TOPIC: 'Orig', ORIGIN_MESSAGE_ID: 'FIRST', DELAY: '5'})
    expect(parked.properties.UNIQ_KEY).toBe('U')
  })

  it('goes to %DLQ%<group> without delay once reconsumeTimes reaches maxReconsumeTimes', async () => {
    h = await harness({maxReconsumeTimes: 2})
    await send(h, {UNIQ_KEY: 'U', DELAY: '0'})
    const base = h.store.stored.at(-1)!
    await h.store.putMessage({...base, topic: '%RETRY%G', queueId: 0, reconsumeTimes: 2, properties: {...base.properties, RETRY_TOPIC: 'T'}})
    const twice = last(h, '%RETRY%G@0')
    expect((await h.call(sendBack(twice.commitLogOffset))).code).toBe(ResponseCode.SUCCESS)
    const dead = last(h, '%DLQ%G@0')
    expect(dead.reconsumeTimes).toBe(3)
    expect(dead.properties.DELAY).toBeUndefined()
    expect(dead.properties).toMatchObject({UNIQ_KEY: 'U', RETRY_TOPIC: 'T'})
    expect(h.ctx.topics.get('%DLQ%G')).toMatchObject({readQueueNums: 1, perm: 6})
    // One below the limit still retries.
    await h.store.putMessage({...base, topic: '%RETRY%G', queueId: 0, reconsumeTimes: 1})
    await h.call(sendBack(last(h, '%RETRY%G@0').commitLogOffset))
    expect(last(h, 'SCHEDULE_TOPIC_XXXX@3').reconsumeTimes).toBe(2)
  })

  it("honours the header's maxReconsumeTimes, delayLevel -1 (straight to DLQ) and an explicit level", async () => {
    h = await harness()
    await send(h, {UNIQ_KEY: 'U'})
    const original = last(h, 'T@1')
    await h.call(sendBack(original.commitLogOffset, {maxReconsumeTimes: 0}))
    expect(last(h, '%DLQ%G@0').reconsumeTimes).toBe(1)
    await h.call(sendBack(original.commitLogOffset, {delayLevel: -1}))
    expect(h.store.queues.get('%DLQ%G@0')).toHaveLength(2)
    await h.call(sendBack(original.commitLogOffset, {delayLevel: 7}))
    expect(last(h, 'SCHEDULE_TOPIC_XXXX@6').properties.DELAY).toBe('7')
  })

  it('SYSTEM_ERROR for an offset with no record; SUBSCRIPTION_GROUP_NOT_EXIST for an unknown group without auto-creation', async () => {
    h = await harness()
    const res = await h.call(sendBack(123456))
    expect(res.code).toBe(ResponseCode.SYSTEM_ERROR)
    expect(res.remark).toMatch(/look message by offset failed, 123456/)
    h.dispose()
    h = await harness({autoCreateSubscriptionGroup: false})
    expect((await h.call(sendBack(0))).code).toBe(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST)
  })

  it('a send with DELAY is parked in SCHEDULE_TOPIC_XXXX; the response names the queue asked for', async () => {
    h = await harness()
    const res = await send(h, {UNIQ_KEY: 'U', DELAY: '2'})
    expect(res.code).toBe(ResponseCode.SUCCESS)
    expect(res.extFields!.queueId).toBe('1')
    expect(last(h, 'SCHEDULE_TOPIC_XXXX@1').properties).toMatchObject({REAL_TOPIC: 'T', REAL_QID: '1', DELAY: '2'})
    expect(h.store.queues.get('T@1')).toBeUndefined()
  })
})
