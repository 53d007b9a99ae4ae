import {describe, expect, it} from 'vitest'
import {decodeCreateTopicRequestHeader, encodeCreateTopicRequestHeader} from '../../../../src/protocol/headers/topic.js'
import {headerCases} from './header-cases.js'

const minimal = {
  topic: 'TopicTest', defaultTopic: 'TBW102', readQueueNums: 4, writeQueueNums: 4, perm: 6,
  topicFilterType: 'SINGLE_TAG', order: false,
}

describe('CreateTopicRequestHeader', () => {
  headerCases({
    encode: encodeCreateTopicRequestHeader,
    decode: decodeCreateTopicRequestHeader,
    full: {...minimal, topicSysFlag: 0, order: true},
    minimal,
    mandatory: ['topic', 'defaultTopic', 'readQueueNums', 'writeQueueNums', 'perm', 'topicFilterType', 'order'],
    numeric: ['readQueueNums', 'writeQueueNums', 'perm', 'topicSysFlag'],
  })

  it('writes order as "true"/"false"', () => {
    expect(encodeCreateTopicRequestHeader(minimal).order).toBe('false')
  })
})
