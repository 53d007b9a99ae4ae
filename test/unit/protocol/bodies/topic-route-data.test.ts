import {describe, expect, it} from 'vitest'
import {decodeTopicRouteData, encodeTopicRouteData, type TopicRouteData} from '../../../../src/protocol/bodies/topic-route-data.js'
import {expectBadBody} from './body-errors.js'
import {capturedBody} from './captured-frames.js'

// rocketmq-protocol.md §4.1 example (5.x namesrv, standard JSON).
const DOC_EXAMPLE = `{"brokerDatas":[{"brokerAddrs":{"0":"127.0.0.1:10911","1":"127.0.0.1:11911"},
  "brokerName":"broker-a","cluster":"DefaultCluster","enableActingMaster":false}],
 "filterServerTable":{},
 "queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSysFlag":0,"writeQueueNums":4}]}`

const expected: TopicRouteData = {
  queueDatas: [{brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0}],
  brokerDatas: [{
    cluster: 'DefaultCluster', brokerName: 'broker-a', enableActingMaster: false,
    brokerAddrs: {0: '127.0.0.1:10911', 1: '127.0.0.1:11911'},
  }],
  filterServerTable: {},
}

describe('TopicRouteData', () => {
  it('decodes the doc example', () => {
    expect(decodeTopicRouteData(Buffer.from(DOC_EXAMPLE))).toStrictEqual(expected)
  })

  it('decodes fastjson unquoted numeric keys and the old topicSynFlag spelling', () => {
    const old = DOC_EXAMPLE.replace('"0":', '0:').replace('"1":', '1:').replace('topicSysFlag', 'topicSynFlag').replace(',"enableActingMaster":false', '')
    const {enableActingMaster: _, ...broker} = expected.brokerDatas[0]!
    expect(decodeTopicRouteData(old)).toStrictEqual({...expected, brokerDatas: [broker]})
  })

  it('decodes the bodies 5.3.3 and 4.9.7 namesrvs sent, standard and fastjson-style', () => {
    const route: TopicRouteData = {
      queueDatas: [{brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0}],
      brokerDatas: [{cluster: 'DefaultCluster', brokerName: 'broker-a', enableActingMaster: false, brokerAddrs: {0: '127.0.0.1:10911'}}],
      filterServerTable: {},
    }
    expect(capturedBody('java533-route-fastjson-body-json.json').toString()).toContain('{0:"127.0.0.1:10911"}')
    expect(decodeTopicRouteData(capturedBody('java533-route-fastjson-body-json.json'))).toStrictEqual(route)
    expect(decodeTopicRouteData(capturedBody('java533-route-standard-body-json.json'))).toStrictEqual(route)
    expect(decodeTopicRouteData(capturedBody('java533-route-standard-body-rocketmq.json'))).toStrictEqual(route)
    const {enableActingMaster: _, ...broker497} = route.brokerDatas[0]!
    expect(decodeTopicRouteData(capturedBody('java497-route-fastjson-body-json.json'))).toStrictEqual({...route, brokerDatas: [broker497]})
  })

  it('round-trips, including orderTopicConf, zoneName and filter servers', () => {
    const route: TopicRouteData = {
      ...expected,
      orderTopicConf: 'broker-a:4;broker-b:4',
      brokerDatas: [{...expected.brokerDatas[0]!, zoneName: 'zone-1'}],
      filterServerTable: {'127.0.0.1:10911': ['127.0.0.1:30000']},
    }
    expect(decodeTopicRouteData(encodeTopicRouteData(route))).toStrictEqual(route)
  })

  it('names the bad field', () => {
    expectBadBody(() => decodeTopicRouteData('{"queueDatas":[{"brokerName":"b","readQueueNums":"4"}]}'), 'TopicRouteData.queueDatas[0].readQueueNums')
    expectBadBody(() => decodeTopicRouteData('{"brokerDatas":[{"cluster":"c","brokerName":"b","brokerAddrs":{"x":"a"}}]}'), 'TopicRouteData.brokerDatas[0].brokerAddrs')
    expectBadBody(() => decodeTopicRouteData('{"brokerDatas":{}}'), 'TopicRouteData.brokerDatas')
    expectBadBody(() => decodeTopicRouteData('[]'), 'TopicRouteData')
  })
})
