import {describe, expect, it} from 'vitest'
import {
  decodeGetBrokerConfigResponseHeader, decodeGetConsumeStatsRequestHeader, decodeTopicRequestHeader,
  encodeGetBrokerConfigResponseHeader, encodeGetConsumeStatsRequestHeader, encodeTopicRequestHeader,
} from '../../../../src/protocol/headers/admin-stats.js'
import {headerCases} from './header-cases.js'

describe('TopicRequestHeader (GET_TOPIC_STATS_INFO, QUERY_TOPIC_CONSUME_BY_WHO, GET_TOPIC_CONFIG)', () => {
  headerCases({
    encode: encodeTopicRequestHeader, decode: decodeTopicRequestHeader,
    full: {topic: 'T', lo: true}, minimal: {topic: 'T'}, mandatory: ['topic'], numeric: [],
  })
})

describe('GetConsumeStatsRequestHeader', () => {
  headerCases({
    encode: encodeGetConsumeStatsRequestHeader, decode: decodeGetConsumeStatsRequestHeader,
    full: {consumerGroup: 'g', topic: 'T', topicList: ['A', 'B']}, minimal: {consumerGroup: 'g'},
    mandatory: ['consumerGroup'], numeric: [],
  })

  it('splits topicList on ";" and drops blanks, as fetchTopicList does', () => {
    expect(encodeGetConsumeStatsRequestHeader({consumerGroup: 'g', topicList: ['A', 'B']}).topicList).toBe('A;B')
    expect(decodeGetConsumeStatsRequestHeader({consumerGroup: 'g', topicList: 'A;; B;'}).topicList).toEqual(['A', ' B'])
  })
})

describe('GetBrokerConfigResponseHeader', () => {
  headerCases({
    encode: encodeGetBrokerConfigResponseHeader, decode: decodeGetBrokerConfigResponseHeader,
    full: {version: '{"counter":1,"stateVersion":0,"timestamp":5}'}, minimal: {version: ''}, mandatory: ['version'], numeric: [],
  })
})
