import {describe} from 'vitest'
import * as h from '../../../../src/protocol/headers/namesrv.js'
import {headerCases} from './header-cases.js'

describe('GetRouteInfoRequestHeader', () => {
  headerCases({
    encode: h.encodeGetRouteInfoRequestHeader,
    decode: h.decodeGetRouteInfoRequestHeader,
    full: {topic: 'TopicTest', acceptStandardJsonOnly: true},
    minimal: {topic: 'TopicTest'},
    mandatory: ['topic'],
    numeric: [],
  })
})

const broker = {brokerName: 'broker-a', brokerAddr: '127.0.0.1:10911', clusterName: 'DefaultCluster', brokerId: 0}

describe('RegisterBrokerRequestHeader', () => {
  headerCases({
    encode: h.encodeRegisterBrokerRequestHeader,
    decode: h.decodeRegisterBrokerRequestHeader,
    full: {...broker, haServerAddr: '127.0.0.1:10912', brokerId: 1, heartbeatTimeoutMillis: 120000, compressed: false, bodyCrc32: 2147483647},
    minimal: {...broker, haServerAddr: '127.0.0.1:10912'},
    mandatory: ['brokerName', 'brokerAddr', 'clusterName', 'haServerAddr', 'brokerId'],
    numeric: ['brokerId', 'heartbeatTimeoutMillis', 'bodyCrc32'],
  })
})

describe('RegisterBrokerResponseHeader', () => {
  headerCases({
    encode: h.encodeRegisterBrokerResponseHeader,
    decode: h.decodeRegisterBrokerResponseHeader,
    full: {haServerAddr: '127.0.0.1:10912', masterAddr: '127.0.0.1:10911'},
    minimal: {},
    mandatory: [],
    numeric: [],
  })
})

describe('UnregisterBrokerRequestHeader', () => {
  headerCases({
    encode: h.encodeUnregisterBrokerRequestHeader,
    decode: h.decodeUnregisterBrokerRequestHeader,
    full: broker,
    minimal: broker,
    mandatory: ['brokerName', 'brokerAddr', 'clusterName', 'brokerId'],
    numeric: ['brokerId'],
  })
})
