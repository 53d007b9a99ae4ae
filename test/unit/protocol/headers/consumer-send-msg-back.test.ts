import {describe} from 'vitest'
import {
  decodeConsumerSendMsgBackRequestHeader, encodeConsumerSendMsgBackRequestHeader,
} from '../../../../src/protocol/headers/consumer-send-msg-back.js'
import {headerCases} from './header-cases.js'

describe('ConsumerSendMsgBackRequestHeader', () => {
  headerCases({
    encode: encodeConsumerSendMsgBackRequestHeader,
    decode: decodeConsumerSendMsgBackRequestHeader,
    full: {
      offset: 2 ** 33, group: 'cg', delayLevel: -1, originMsgId: 'AC11000100002A9F', originTopic: 'TopicTest',
      unitMode: false, maxReconsumeTimes: 16,
    },
    minimal: {offset: 0, group: 'cg', delayLevel: 0},
    mandatory: ['offset', 'group', 'delayLevel'],
    numeric: ['offset', 'delayLevel', 'maxReconsumeTimes'],
  })
})
