import {describe} from 'vitest'
import {
  decodeGetConsumerConnectionListRequestHeader, decodeGetProducerConnectionListRequestHeader,
  encodeGetConsumerConnectionListRequestHeader, encodeGetProducerConnectionListRequestHeader,
} from '../../../../src/protocol/headers/connection.js'
import {headerCases} from './header-cases.js'

describe('GetConsumerConnectionListRequestHeader', () => {
  headerCases({
    encode: encodeGetConsumerConnectionListRequestHeader, decode: decodeGetConsumerConnectionListRequestHeader,
    full: {consumerGroup: 'g'}, minimal: {consumerGroup: 'g'}, mandatory: ['consumerGroup'], numeric: [],
  })
})

describe('GetProducerConnectionListRequestHeader', () => {
  headerCases({
    encode: encodeGetProducerConnectionListRequestHeader, decode: decodeGetProducerConnectionListRequestHeader,
    full: {producerGroup: 'p'}, minimal: {producerGroup: 'p'}, mandatory: ['producerGroup'], numeric: [],
  })
})
