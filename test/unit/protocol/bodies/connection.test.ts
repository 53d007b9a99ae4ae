import {describe, expect, it} from 'vitest'
import {
  decodeConsumerConnection, decodeProducerConnection, encodeConsumerConnection, encodeProducerConnection,
} from '../../../../src/protocol/bodies/connection.js'
import {decodeGroupList, decodeTopicList, encodeGroupList, encodeTopicList} from '../../../../src/protocol/bodies/name-lists.js'
import {expectBadBody} from './body-errors.js'

const conn = {clientAddr: '127.0.0.1:50000', clientId: '127.0.0.1@1#2', language: 'JAVA', version: 479}

describe('ConsumerConnection / ProducerConnection', () => {
  it('round-trip the Java field names', () => {
    const cc = {
      connectionSet: [conn], consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET', consumeType: 'CONSUME_PASSIVELY' as const,
      messageModel: 'CLUSTERING' as const,
      subscriptionTable: {T: {classFilterMode: false, topic: 'T', subString: '*', tagsSet: [], codeSet: [], subVersion: 5, expressionType: 'TAG'}},
    }
    const text = encodeConsumerConnection(cc).toString()
    expect(text).toContain('"connectionSet":[{"clientAddr":"127.0.0.1:50000","clientId":"127.0.0.1@1#2","language":"JAVA","version":479}]')
    expect(decodeConsumerConnection(text)).toStrictEqual(cc)
    expect(decodeProducerConnection(encodeProducerConnection({connectionSet: [conn]}))).toStrictEqual({connectionSet: [conn]})
  })

  it('names a bad connection field', () => {
    expectBadBody(() => decodeProducerConnection('{"connectionSet":[{"clientId":"x"}]}'), 'ProducerConnection.connectionSet[0].clientAddr')
  })
})

describe('TopicList / GroupList', () => {
  it('write a namesrv TopicList without brokerAddr and round-trip', () => {
    expect(encodeTopicList({topicList: ['A', '%RETRY%g']}).toString()).toBe('{"topicList":["A","%RETRY%g"]}')
    expect(decodeTopicList(encodeTopicList({topicList: ['A'], brokerAddr: '1.2.3.4:5'}))).toStrictEqual({topicList: ['A'], brokerAddr: '1.2.3.4:5'})
    expect(decodeGroupList(encodeGroupList({groupList: ['g1', 'g2']}))).toStrictEqual({groupList: ['g1', 'g2']})
    expectBadBody(() => decodeGroupList('{"groupList":[1]}'), 'GroupList.groupList[0]')
  })
})
