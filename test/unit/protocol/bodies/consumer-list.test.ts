import {describe, expect, it} from 'vitest'
import {decodeConsumerList, encodeConsumerList} from '../../../../src/protocol/bodies/consumer-list.js'
import {expectBadBody} from './body-errors.js'

describe('ConsumerList', () => {
  it('encodes the §3.6 shape and round-trips', () => {
    const list = {consumerIdList: ['127.0.0.1@1#2', '127.0.0.1@3#4']}
    expect(encodeConsumerList(list).toString()).toBe('{"consumerIdList":["127.0.0.1@1#2","127.0.0.1@3#4"]}')
    expect(decodeConsumerList(encodeConsumerList(list))).toStrictEqual(list)
  })

  it('rejects a non-string id', () => {
    expectBadBody(() => decodeConsumerList('{"consumerIdList":[1]}'), 'ConsumerList.consumerIdList[0]')
  })
})
