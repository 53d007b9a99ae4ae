import {describe} from 'vitest'
import * as h from '../../../../src/protocol/headers/client-manage.js'
import {headerCases} from './header-cases.js'

describe('UnregisterClientRequestHeader', () => {
  headerCases({
    encode: h.encodeUnregisterClientRequestHeader,
    decode: h.decodeUnregisterClientRequestHeader,
    full: {clientID: '127.0.0.1@4242#1', producerGroup: 'pg', consumerGroup: 'cg'},
    minimal: {clientID: '127.0.0.1@4242#1'},
    mandatory: ['clientID'],
    numeric: [],
  })
})

describe('GetConsumerListByGroupRequestHeader', () => {
  headerCases({
    encode: h.encodeGetConsumerListByGroupRequestHeader,
    decode: h.decodeGetConsumerListByGroupRequestHeader,
    full: {consumerGroup: 'cg'},
    minimal: {consumerGroup: 'cg'},
    mandatory: ['consumerGroup'],
    numeric: [],
  })
})

describe('NotifyConsumerIdsChangedRequestHeader', () => {
  headerCases({
    encode: h.encodeNotifyConsumerIdsChangedRequestHeader,
    decode: h.decodeNotifyConsumerIdsChangedRequestHeader,
    full: {consumerGroup: 'cg'},
    minimal: {consumerGroup: 'cg'},
    mandatory: ['consumerGroup'],
    numeric: [],
  })
})
