import {describe, expect, it} from 'vitest'
import {decodeClusterInfo, encodeClusterInfo} from '../../../../src/protocol/bodies/cluster-info.js'
import {expectBadBody} from './body-errors.js'
import {capturedBody} from './captured-frames.js'

// rocketmq-protocol.md §3.10: always written with bare numeric keys.
const FASTJSON =
  '{"brokerAddrTable":{"broker-a":{"brokerAddrs":{0:"127.0.0.1:10911"},"brokerName":"broker-a","cluster":"DefaultCluster"}},"clusterAddrTable":{"DefaultCluster":["broker-a"]}}'

describe('ClusterInfo', () => {
  it('decodes the doc example with unquoted keys', () => {
    expect(decodeClusterInfo(Buffer.from(FASTJSON))).toStrictEqual({
      brokerAddrTable: {'broker-a': {cluster: 'DefaultCluster', brokerName: 'broker-a', brokerAddrs: {0: '127.0.0.1:10911'}}},
      clusterAddrTable: {DefaultCluster: ['broker-a']},
    })
  })

  it('decodes the body a 5.3.3 namesrv sent', () => {
    expect(decodeClusterInfo(capturedBody('java533-cluster-info-json.json'))).toStrictEqual({
      brokerAddrTable: {
        'broker-a': {cluster: 'DefaultCluster', brokerName: 'broker-a', enableActingMaster: false, brokerAddrs: {0: '127.0.0.1:10911'}},
      },
      clusterAddrTable: {DefaultCluster: ['broker-a']},
    })
  })

  it('round-trips', () => {
    const info = decodeClusterInfo(FASTJSON)
    expect(decodeClusterInfo(encodeClusterInfo(info))).toStrictEqual(info)
  })

  it('names the bad field', () => {
    expectBadBody(() => decodeClusterInfo('{"clusterAddrTable":{"c":[1]}}'), 'ClusterInfo.clusterAddrTable.c[0]')
    expectBadBody(() => decodeClusterInfo('{"brokerAddrTable":{"b":{"brokerName":"b"}}}'), 'ClusterInfo.brokerAddrTable.b.cluster')
  })
})
