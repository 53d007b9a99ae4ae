import {describe, expect, it} from 'vitest'
import {
  decodeRegisterBrokerBody, encodeRegisterBrokerBody, type RegisterBrokerBody,
} from '../../../../src/protocol/bodies/register-broker-body.js'
import {expectBadBody} from './body-errors.js'

// rocketmq-protocol.md §4.3 example (5.x broker).
const DOC_EXAMPLE = `{"filterServerList":[],
 "topicConfigSerializeWrapper":{
   "dataVersion":{"counter":3,"stateVersion":0,"timestamp":1700000000000},
   "topicConfigTable":{
     "TopicTest":{"attributes":{},"order":false,"perm":6,"readQueueNums":4,"topicFilterType":"SINGLE_TAG",
                  "topicName":"TopicTest","topicSysFlag":0,"writeQueueNums":4}}}}`

const expected: RegisterBrokerBody = {
  topicConfigSerializeWrapper: {
    topicConfigTable: {
      TopicTest: {
        topicName: 'TopicTest', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicFilterType: 'SINGLE_TAG',
        topicSysFlag: 0, order: false, attributes: {},
      },
    },
    dataVersion: {timestamp: 1_700_000_000_000, counter: 3, stateVersion: 0},
  },
  filterServerList: [],
}

describe('RegisterBrokerBody', () => {
  it('decodes the doc example', () => {
    expect(decodeRegisterBrokerBody(Buffer.from(DOC_EXAMPLE))).toStrictEqual(expected)
  })

  it('round-trips a 4.9.8-style body (no attributes, no stateVersion)', () => {
    const body: RegisterBrokerBody = {
      topicConfigSerializeWrapper: {
        topicConfigTable: {
          TBW102: {topicName: 'TBW102', readQueueNums: 8, writeQueueNums: 8, perm: 7, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false},
        },
        dataVersion: {timestamp: 1, counter: 1},
      },
      filterServerList: ['127.0.0.1:30000'],
    }
    expect(decodeRegisterBrokerBody(encodeRegisterBrokerBody(body))).toStrictEqual(body)
  })

  it('names the bad field', () => {
    expectBadBody(() => decodeRegisterBrokerBody('{"filterServerList":[]}'), 'RegisterBrokerBody.topicConfigSerializeWrapper')
    const badPerm = DOC_EXAMPLE.replace('"perm":6', '"perm":"6"')
    expectBadBody(() => decodeRegisterBrokerBody(badPerm), 'RegisterBrokerBody.topicConfigSerializeWrapper.topicConfigTable.TopicTest.perm')
    const noVersion = DOC_EXAMPLE.replace('"counter":3,', '')
    expectBadBody(() => decodeRegisterBrokerBody(noVersion), 'dataVersion.counter')
  })
})
