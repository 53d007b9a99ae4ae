import {describe, expect, it} from 'vitest'
import {decodeHeartbeatData, encodeHeartbeatData, type HeartbeatData} from '../../../../src/protocol/bodies/heartbeat-data.js'
import {expectBadBody} from './body-errors.js'

// rocketmq-protocol.md §4.2 example (a 5.x push consumer).
const DOC_EXAMPLE = `{"clientID":"127.0.0.1@4242#7730218791","heartbeatFingerprint":0,"withoutSub":false,
 "producerDataSet":[{"groupName":"p-group"}],
 "consumerDataSet":[{"groupName":"c-group","consumeType":"CONSUME_PASSIVELY","messageModel":"CLUSTERING",
   "consumeFromWhere":"CONSUME_FROM_FIRST_OFFSET","unitMode":false,
   "subscriptionDataSet":[
     {"classFilterMode":false,"topic":"T","subString":"*","tagsSet":[],"codeSet":[],"subVersion":1700000000000,"expressionType":"TAG"},
     {"classFilterMode":false,"topic":"%RETRY%c-group","subString":"*","tagsSet":[],"codeSet":[],"subVersion":1700000000000,"expressionType":"TAG"}]}]}`

describe('HeartbeatData', () => {
  it('decodes the doc example', () => {
    const data = decodeHeartbeatData(Buffer.from(DOC_EXAMPLE))
    expect(data.clientID).toBe('127.0.0.1@4242#7730218791')
    expect(data.producerDataSet).toStrictEqual([{groupName: 'p-group'}])
    expect(data.consumerDataSet[0]!.subscriptionDataSet.map((s) => s.topic)).toEqual(['T', '%RETRY%c-group'])
    expect(data).toMatchObject({heartbeatFingerprint: 0, withoutSub: false})
  })

  it('round-trips a 4.9.8-style heartbeat without the 5.x fields', () => {
    const data: HeartbeatData = {
      clientID: '10.0.0.1@DEFAULT',
      producerDataSet: [],
      consumerDataSet: [{
        groupName: 'cg', consumeType: 'CONSUME_ACTIVELY', messageModel: 'BROADCASTING',
        consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET', unitMode: false,
        subscriptionDataSet: [{
          classFilterMode: false, topic: 'T', subString: 'A || B', tagsSet: ['A', 'B'], codeSet: [65, 66],
          subVersion: 1, expressionType: 'TAG',
        }],
      }],
    }
    expect(decodeHeartbeatData(encodeHeartbeatData(data))).toStrictEqual(data)
  })

  it('names the bad field', () => {
    expectBadBody(() => decodeHeartbeatData('{"producerDataSet":[]}'), 'HeartbeatData.clientID')
    const badEnum = DOC_EXAMPLE.replace('"CLUSTERING"', '"SOMETIMES"')
    expectBadBody(() => decodeHeartbeatData(badEnum), 'HeartbeatData.consumerDataSet[0].messageModel')
    const badCode = DOC_EXAMPLE.replace('"codeSet":[]', '"codeSet":["x"]')
    expectBadBody(() => decodeHeartbeatData(badCode), 'HeartbeatData.consumerDataSet[0].subscriptionDataSet[0].codeSet[0]')
  })
})
