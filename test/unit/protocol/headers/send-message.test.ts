import {describe, expect, it} from 'vitest'
import {RequestCode} from '../../../../src/protocol/request-code.js'
import {
  decodeSendMessageRequestHeader, decodeSendMessageResponseHeader, encodeSendMessageRequestHeader,
  encodeSendMessageRequestHeaderV2, encodeSendMessageResponseHeader, type SendMessageRequestHeader,
} from '../../../../src/protocol/headers/send-message.js'
import {expectBadField, headerCases} from './header-cases.js'

const minimal: SendMessageRequestHeader = {
  producerGroup: 'pg', topic: 'TopicTest', defaultTopic: 'TBW102', defaultTopicQueueNums: 4,
  queueId: -1, sysFlag: 0, bornTimestamp: 1_700_000_000_123, flag: 0,
}
const full: SendMessageRequestHeader = {
  ...minimal, queueId: 3, properties: 'WAIT\u0001true\u0002', reconsumeTimes: 2, unitMode: false,
  maxReconsumeTimes: 16, batch: true, bname: 'broker-a',
}

describe('SendMessageRequestHeader V1 (code 10)', () => {
  headerCases({
    encode: encodeSendMessageRequestHeader,
    decode: (ext) => decodeSendMessageRequestHeader(ext, RequestCode.SEND_MESSAGE),
    full, minimal,
    mandatory: ['producerGroup', 'topic', 'defaultTopic', 'defaultTopicQueueNums', 'queueId', 'sysFlag', 'bornTimestamp', 'flag'],
    numeric: ['defaultTopicQueueNums', 'queueId', 'sysFlag', 'bornTimestamp', 'flag', 'reconsumeTimes', 'maxReconsumeTimes'],
  })
})

for (const code of [RequestCode.SEND_MESSAGE_V2, RequestCode.SEND_BATCH_MESSAGE]) {
  describe(`SendMessageRequestHeader V2 (code ${code})`, () => {
    headerCases({
      encode: encodeSendMessageRequestHeaderV2,
      decode: (ext) => decodeSendMessageRequestHeader(ext, code),
      full, minimal,
      mandatory: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
      numeric: ['d', 'e', 'f', 'g', 'h', 'j', 'l'],
    })
  })
}

describe('SendMessageRequestHeader naming', () => {
  it('maps long names to the short names a..n', () => {
    expect(encodeSendMessageRequestHeaderV2(full)).toStrictEqual({
      a: 'pg', b: 'TopicTest', c: 'TBW102', d: '4', e: '3', f: '0', g: '1700000000123', h: '0',
      i: 'WAIT\u0001true\u0002', j: '2', k: 'false', l: '16', m: 'true', n: 'broker-a',
    })
  })

  it('picks the naming by request code, not by which keys are present', () => {
    expectBadField(() => decodeSendMessageRequestHeader(encodeSendMessageRequestHeader(full), RequestCode.SEND_MESSAGE_V2), 'a')
    expectBadField(() => decodeSendMessageRequestHeader(encodeSendMessageRequestHeaderV2(full), RequestCode.SEND_MESSAGE), 'producerGroup')
  })

  it('reads booleans as Java does: case-insensitive "true", anything else false', () => {
    const ext = {...encodeSendMessageRequestHeaderV2(full), k: 'TRUE', m: 'yes'}
    expect(decodeSendMessageRequestHeader(ext, 310)).toMatchObject({unitMode: true, batch: false})
  })
})

describe('SendMessageResponseHeader', () => {
  headerCases({
    encode: encodeSendMessageResponseHeader,
    decode: decodeSendMessageResponseHeader,
    full: {msgId: '7F00000100002A9F0000000000000000', queueId: 1, queueOffset: 42, transactionId: 'AC11000100002A9F'},
    minimal: {msgId: '7F00000100002A9F0000000000000000', queueId: 0, queueOffset: 0},
    mandatory: ['msgId', 'queueId', 'queueOffset'],
    numeric: ['queueId', 'queueOffset'],
  })

  it('always adds MSG_REGION and TRACE_ON, which Java clients read unconditionally', () => {
    expect(encodeSendMessageResponseHeader({msgId: 'x', queueId: 0, queueOffset: 0})).toMatchObject({
      MSG_REGION: 'DefaultRegion', TRACE_ON: 'true',
    })
  })
})
