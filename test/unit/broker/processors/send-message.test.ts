import {afterEach, describe, expect, it} from 'vitest'
import {encodeSendMessageRequestHeader, encodeSendMessageRequestHeaderV2, type SendMessageRequestHeader} from '../../../../src/protocol/headers/send-message.js'
import {decodeMessageExt} from '../../../../src/protocol/message/message-decoder.js'
import {encodeProperties} from '../../../../src/protocol/message/properties.js'
import {newRequest} from '../../../../src/protocol/remoting-command.js'
import {RequestCode} from '../../../../src/protocol/request-code.js'
import {ResponseCode} from '../../../../src/protocol/response-code.js'
import {type Harness, harness} from './harness.js'

function header(over: Partial<SendMessageRequestHeader> = {}): SendMessageRequestHeader {
  return {
    producerGroup: 'pg', topic: 'T', defaultTopic: 'TBW102', defaultTopicQueueNums: 4, queueId: 1, sysFlag: 0,
    bornTimestamp: 1700000000000, flag: 7, properties: encodeProperties({UNIQ_KEY: 'ABC', WAIT: 'true', TAGS: 'A'}), ...over,
  }
}

function sendV2(over: Partial<SendMessageRequestHeader> = {}, body = Buffer.from('hello')) {
  return newRequest(RequestCode.SEND_MESSAGE_V2, encodeSendMessageRequestHeaderV2(header(over)), body)
}

function batchBody(entries: Array<{body: string; props: Record<string, string>}>): Buffer {
  return Buffer.concat(entries.map((e) => {
    const body = Buffer.from(e.body)
    const props = Buffer.from(encodeProperties(e.props))
    const out = Buffer.alloc(20 + body.length + 2 + props.length)
    out.writeInt32BE(out.length, 0)
    out.writeInt32BE(3, 12)
    out.writeInt32BE(body.length, 16)
    body.copy(out, 20)
    out.writeInt16BE(props.length, 20 + body.length)
    props.copy(out, 22 + body.length)
    return out
  }))
}

describe('send-message processor', () => {
  let h: Harness
  afterEach(() => h.dispose())

  it('auto-creates the topic from TBW102 and stores with CLUSTER, without WAIT, bornHost = peer', async () => {
    h = await harness({brokerClusterName: 'C1'})
    const res = await h.call(sendV2())
    expect(res.code).toBe(ResponseCode.SUCCESS)
    expect(res.extFields).toMatchObject({queueId: '1', queueOffset: '0', transactionId: 'ABC', MSG_REGION: 'DefaultRegion', TRACE_ON: 'true'})
    expect(res.extFields!.msgId).toMatch(/^7F00000100002A9F0{16}$/)
    expect(h.ctx.topics.get('T')).toMatchObject({readQueueNums: 4, writeQueueNums: 4, perm: 6})
    const stored = decodeMessageExt(h.store.queues.get('T@1')![0]!.record)
    expect(stored.properties).toEqual({UNIQ_KEY: 'ABC', TAGS: 'A', CLUSTER: 'C1'})
    expect(stored.bornHost).toBe('127.0.0.1:54321')
    expect(stored.flag).toBe(7)
    expect(h.store.stored[0]!.waitStoreMsgOK).toBe(true)
    expect((await h.call(sendV2())).extFields!.queueOffset).toBe('1')
  })

  it('accepts the long-name header (SEND_MESSAGE 10) and WAIT=false', async () => {
    h = await harness()
    const props = encodeProperties({WAIT: 'false'})
    const res = await h.call(newRequest(RequestCode.SEND_MESSAGE, encodeSendMessageRequestHeader(header({properties: props})), Buffer.from('x')))
    expect(res.code).toBe(ResponseCode.SUCCESS)
    expect(h.store.stored[0]!.waitStoreMsgOK).toBe(false)
  })

  it('strips WAIT wherever it stands, the last one deciding, and keeps the other properties as decodeProperties reads them', async () => {
    h = await harness({brokerClusterName: 'C1'})
    const props = 'WAIT\u0001false\u0002A\u0001x\u0002\u0001noname\u0002B\u0001\u0002__proto__\u0001p\u0002WAIT\u0001true\u0002'
    expect((await h.call(sendV2({properties: props}))).code).toBe(ResponseCode.SUCCESS)
    expect(h.store.stored[0]!.waitStoreMsgOK).toBe(true)
    const stored = decodeMessageExt(h.store.queues.get('T@1')![0]!.record)
    expect(Object.entries(stored.properties)).toEqual([['A', 'x'], ['__proto__', 'p'], ['CLUSTER', 'C1']])
    expect(Object.getPrototypeOf(h.store.stored[0]!.properties)).toBe(Object.prototype)
    const last = 'A\u0001y\u0002WAIT\u0001false\u0002'
    expect((await h.call(sendV2({properties: last}))).code).toBe(ResponseCode.SUCCESS)
    expect(h.store.stored[1]!.waitStoreMsgOK).toBe(false)
  })

  it('refuses: unknown topic with autoCreate off, queueId out of range, oversize body, slave role, bad topic', async () => {
    h = await harness({autoCreateTopicEnable: false, maxMessageSize: 10})
    expect((await h.call(sendV2())).code).toBe(ResponseCode.TOPIC_NOT_EXIST)
    h.ctx.topics.createOrUpdate({topicName: 'T', readQueueNums: 2, writeQueueNums: 2, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false})
    expect((await h.call(sendV2({queueId: 2}))).code).toBe(ResponseCode.INVALID_PARAMETER)
    expect((await h.call(sendV2({}, Buffer.alloc(11)))).code).toBe(ResponseCode.MESSAGE_ILLEGAL)
    expect((await h.call(sendV2({topic: 'bad topic'}))).code).toBe(ResponseCode.INVALID_PARAMETER)
    expect((await h.call(sendV2({queueId: -1}))).code).toBe(ResponseCode.SUCCESS)
    h.dispose()
    h = await harness({brokerRole: 'SLAVE', brokerId: 1})
    expect((await h.call(sendV2())).code).toBe(ResponseCode.SERVICE_NOT_AVAILABLE)
    expect(h.store.stored).toHaveLength(0)
  })

  it('maps a stored-but-not-flushed status to FLUSH_DISK_TIMEOUT with the full response header', async () => {
    h = await harness()
    h.store.nextStatus = 'FLUSH_DISK_TIMEOUT'
    const res = await h.call(sendV2())
    expect(res.code).toBe(ResponseCode.FLUSH_DISK_TIMEOUT)
    expect(res.extFields).toMatchObject({queueId: '1', queueOffset: '0', MSG_REGION: 'DefaultRegion'})
    h.store.nextStatus = 'SERVICE_NOT_AVAILABLE'
    expect((await h.call(sendV2())).code).toBe(ResponseCode.SERVICE_NOT_AVAILABLE)
  })

  it('stores a batch as consecutive records and answers comma-joined msgIds', async () => {
    h = await harness()
    const body = batchBody([{body: 'a', props: {UNIQ_KEY: 'U1'}}, {body: 'bb', props: {UNIQ_KEY: 'U2'}}, {body: 'ccc', props: {UNIQ_KEY: 'U3'}}])
    const res = await h.call(newRequest(RequestCode.SEND_BATCH_MESSAGE, encodeSendMessageRequestHeaderV2(header({batch: true, properties: encodeProperties({WAIT: 'true'})})), body))
    expect(res.code).toBe(ResponseCode.SUCCESS)
    expect(res.extFields!.msgId!.split(',')).toHaveLength(3)
    const recs = h.store.queues.get('T@1')!.map((e) => decodeMessageExt(e.record))
    expect(recs.map((m) => [m.queueOffset, m.body.toString(), m.properties.UNIQ_KEY, m.flag])).toEqual([
      [0, 'a', 'U1', 3], [1, 'bb', 'U2', 3], [2, 'ccc', 'U3', 3],
    ])
    const truncated = await h.call(newRequest(RequestCode.SEND_BATCH_MESSAGE, encodeSendMessageRequestHeaderV2(header({batch: true})), body.subarray(0, body.length - 1)))
    expect(truncated.code).toBe(ResponseCode.MESSAGE_ILLEGAL)
  })

  it('a retry send past maxReconsumeTimes goes to the DLQ', async () => {
    h = await harness()
    const res = await h.call(sendV2({topic: '%RETRY%g', queueId: 0, reconsumeTimes: 3, maxReconsumeTimes: 2}))
    expect(res.code).toBe(ResponseCode.SUCCESS)
    expect(h.store.stored[0]!.topic).toBe('%DLQ%g')
  })
})
