import {describe, expect, it} from 'vitest'
import * as h from '../../../../src/protocol/headers/consumer-offset.js'
import {expectBadField, headerCases} from './header-cases.js'

describe('QueryConsumerOffsetRequestHeader', () => {
  headerCases({
    encode: h.encodeQueryConsumerOffsetRequestHeader,
    decode: h.decodeQueryConsumerOffsetRequestHeader,
    full: {consumerGroup: 'cg', topic: 'T', queueId: 2, setZeroIfNotFound: false},
    minimal: {consumerGroup: 'cg', topic: 'T', queueId: 0},
    mandatory: ['consumerGroup', 'topic', 'queueId'],
    numeric: ['queueId'],
  })
})

describe('UpdateConsumerOffsetRequestHeader', () => {
  const v = {consumerGroup: 'cg', topic: 'T', queueId: 1, commitOffset: 123456789012}
  headerCases({
    encode: h.encodeUpdateConsumerOffsetRequestHeader,
    decode: h.decodeUpdateConsumerOffsetRequestHeader,
    full: v,
    minimal: v,
    mandatory: ['consumerGroup', 'topic', 'queueId', 'commitOffset'],
    numeric: ['queueId', 'commitOffset'],
  })
})

describe('GetMaxOffsetRequestHeader', () => {
  headerCases({
    encode: h.encodeGetMaxOffsetRequestHeader,
    decode: h.decodeGetMaxOffsetRequestHeader,
    full: {topic: 'T', queueId: 3, committed: true},
    minimal: {topic: 'T', queueId: 3},
    mandatory: ['topic', 'queueId'],
    numeric: ['queueId'],
  })
})

describe('GetMinOffsetRequestHeader', () => {
  headerCases({
    encode: h.encodeGetMinOffsetRequestHeader,
    decode: h.decodeGetMinOffsetRequestHeader,
    full: {topic: 'T', queueId: 7},
    minimal: {topic: 'T', queueId: 0},
    mandatory: ['topic', 'queueId'],
    numeric: ['queueId'],
  })
})

describe('SearchOffsetRequestHeader', () => {
  headerCases({
    encode: h.encodeSearchOffsetRequestHeader,
    decode: h.decodeSearchOffsetRequestHeader,
    full: {topic: 'T', queueId: 1, timestamp: 1_700_000_000_000, boundaryType: 'upper'},
    minimal: {topic: 'T', queueId: 1, timestamp: 0},
    mandatory: ['topic', 'queueId', 'timestamp'],
    numeric: ['queueId', 'timestamp'],
  })

  it('reads boundaryType case-insensitively and rejects other values', () => {
    const ext = {topic: 'T', queueId: '1', timestamp: '5'}
    expect(h.decodeSearchOffsetRequestHeader({...ext, boundaryType: 'LOWER'}).boundaryType).toBe('lower')
    expectBadField(() => h.decodeSearchOffsetRequestHeader({...ext, boundaryType: 'middle'}), 'boundaryType')
  })
})

describe('OffsetResponseHeader', () => {
  headerCases({
    encode: h.encodeOffsetResponseHeader,
    decode: h.decodeOffsetResponseHeader,
    full: {offset: 2 ** 50},
    minimal: {offset: -1},
    mandatory: ['offset'],
    numeric: ['offset'],
  })
})
