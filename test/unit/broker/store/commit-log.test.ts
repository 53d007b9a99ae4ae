import {afterEach, describe, expect, it} from 'vitest'
import {CommitLog} from '../../../../src/broker/store/commit-log.js'
import {NodeFileIO} from '../../../../src/broker/store/io/node-file-io.js'
import {decodeOffsetMsgId, encodeOffsetMsgId} from '../../../../src/protocol/message/index.js'
import {message, tempDir} from './helpers.js'

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

function commitLog(storeHost = '10.1.2.3:10911'): CommitLog {
  const {dir, cleanup} = tempDir('mqbench-commitlog-')
  cleanups.push(cleanup)
  return new CommitLog(new NodeFileIO(), dir, 64 * 1024, storeHost)
}

describe('CommitLog', () => {
  it('offsetMsgId is encodeOffsetMsgId, across the 32-bit boundary and up to 2^53', () => {
    const log = commitLog()
    for (const offset of [0, 1, 0xabc, 0xffffffff, 0x1_0000_0000, 0x1234_5678_9abc, 2 ** 53 - 1]) {
      expect(log.offsetMsgId(offset)).toBe(encodeOffsetMsgId('10.1.2.3:10911', offset))
      expect(decodeOffsetMsgId(log.offsetMsgId(offset))).toEqual({storeHost: '10.1.2.3:10911', physicalOffset: offset})
    }
  })

  it('assigns consecutive queue offsets per topic and queue', () => {
    const log = commitLog()
    const offsets = (topic: string, queueId: number): number => {
      const out = log.append([message(topic, queueId, 'x')])
      if (out.status !== 'PUT_OK') throw new Error(out.status)
      return out.result.queueOffset
    }
    expect([offsets('A', 0), offsets('A', 0), offsets('A', 1), offsets('B', 0), offsets('A', 0), offsets('A-0', 0)]).toEqual([0, 1, 0, 0, 2, 0])
    expect(log.topicQueueTable.get('A-0')).toBe(3)
  })
})
