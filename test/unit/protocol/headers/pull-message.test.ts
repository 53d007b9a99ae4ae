import {describe, expect, it} from 'vitest'
import {
  decodePullMessageRequestHeader, decodePullMessageResponseHeader, encodePullMessageRequestHeader,
  encodePullMessageResponseHeader, PullSysFlag, type PullMessageRequestHeader,
} from '../../../../src/protocol/headers/pull-message.js'
import {headerCases} from './header-cases.js'

const minimal: PullMessageRequestHeader = {
  consumerGroup: 'cg', topic: 'TopicTest', queueId: 0, queueOffset: 0, maxMsgNums: 32, sysFlag: 0,
  commitOffset: 0, suspendTimeoutMillis: 15000, subVersion: 0,
}

describe('PullMessageRequestHeader', () => {
  headerCases({
    encode: encodePullMessageRequestHeader,
    decode: decodePullMessageRequestHeader,
    minimal,
    full: {
      ...minimal, queueOffset: 2 ** 40, sysFlag: PullSysFlag.SUBSCRIPTION | PullSysFlag.SUSPEND | PullSysFlag.COMMIT_OFFSET,
      commitOffset: 17, subscription: 'TagA || TagB', subVersion: 1_700_000_000_000, expressionType: 'TAG',
      maxMsgBytes: 262144, bname: 'broker-a',
    },
    mandatory: ['consumerGroup', 'topic', 'queueId', 'queueOffset', 'maxMsgNums', 'sysFlag', 'commitOffset', 'suspendTimeoutMillis', 'subVersion'],
    numeric: ['queueId', 'queueOffset', 'maxMsgNums', 'sysFlag', 'commitOffset', 'suspendTimeoutMillis', 'subVersion', 'maxMsgBytes'],
  })

  it('has the PullSysFlag bits of §3.3', () => {
    expect(PullSysFlag).toStrictEqual({COMMIT_OFFSET: 1, SUSPEND: 2, SUBSCRIPTION: 4, CLASS_FILTER: 8, LITE_PULL: 16})
  })
})

describe('PullMessageResponseHeader', () => {
  const h = {suggestWhichBrokerId: 1, nextBeginOffset: 33, minOffset: 0, maxOffset: 2 ** 45}
  headerCases({
    encode: encodePullMessageResponseHeader,
    decode: decodePullMessageResponseHeader,
    full: h,
    minimal: h,
    mandatory: ['suggestWhichBrokerId', 'nextBeginOffset', 'minOffset', 'maxOffset'],
    numeric: ['suggestWhichBrokerId', 'nextBeginOffset', 'minOffset', 'maxOffset'],
  })
})
