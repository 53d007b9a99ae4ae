import {describe, expect, it} from 'vitest'
import {DEFAULT_MESSAGE_DELAY_LEVEL, delayLevelOf, parseMessageDelayLevel} from '../../../../src/broker/schedule/delay-levels.js'
import {applyDelayLevel} from '../../../../src/broker/schedule/delay-rewrite.js'
import type {MessageToStore} from '../../../../src/broker/store/message-store.js'

function msg(properties: Record<string, string>, sysFlag = 0): MessageToStore {
  return {
    topic: 'T', queueId: 2, flag: 0, sysFlag, bornTimestamp: 1, bornHost: '127.0.0.1:1', body: Buffer.from('x'),
    properties, reconsumeTimes: 0, waitStoreMsgOK: true,
  }
}

describe('delay levels', () => {
  it("parses RocketMQ's default 18 levels in ms", () => {
    const levels = parseMessageDelayLevel(DEFAULT_MESSAGE_DELAY_LEVEL)
    expect(levels).toHaveLength(18)
    expect(levels.slice(0, 5)).toEqual([1000, 5000, 10_000, 30_000, 60_000])
    expect(levels[16]).toBe(3_600_000)
    expect(levels[17]).toBe(7_200_000)
    expect(parseMessageDelayLevel('2d')).toEqual([172_800_000])
  })

  it('delayTimeScale shrinks every level, never below 1 ms', () => {
    expect(parseMessageDelayLevel('1s 10s 1h', 0.001)).toEqual([1, 10, 3600])
    expect(parseMessageDelayLevel('1s', 0.0000001)).toEqual([1])
  })

  it('refuses text without units and non-positive scales', () => {
    expect(() => parseMessageDelayLevel('1 5s')).toThrow(/messageDelayLevel/)
    expect(() => parseMessageDelayLevel('1s', 0)).toThrow(/delayTimeScale/)
  })

  it('DELAY is capped at the highest level; junk and 0 mean not delayed', () => {
    expect(delayLevelOf({DELAY: '3'}, 18)).toBe(3)
    expect(delayLevelOf({DELAY: '40'}, 18)).toBe(18)
    expect(delayLevelOf({DELAY: '0'}, 18)).toBe(0)
    expect(delayLevelOf({DELAY: '-1'}, 18)).toBe(0)
    expect(delayLevelOf({DELAY: 'x'}, 18)).toBe(0)
    expect(delayLevelOf({}, 18)).toBe(0)
  })

  it('the rewrite parks the message in SCHEDULE_TOPIC_XXXX queue level-1 with its real address', () => {
    const m = msg({DELAY: '25', UNIQ_KEY: 'U'})
    expect(applyDelayLevel(m, 18)).toBe(18)
    expect(m.topic).toBe('SCHEDULE_TOPIC_XXXX')
    expect(m.queueId).toBe(17)
    expect(m.properties).toEqual({DELAY: '18', UNIQ_KEY: 'U', REAL_TOPIC: 'T', REAL_QID: '2'})
  })

  it('leaves undelayed messages and transaction prepare records alone', () => {
    const plain = msg({UNIQ_KEY: 'U'})
    expect(applyDelayLevel(plain, 18)).toBe(0)
    expect(plain.topic).toBe('T')
    const prepared = msg({DELAY: '2'}, 0x4)
    expect(applyDelayLevel(prepared, 18)).toBe(0)
    expect(prepared.topic).toBe('T')
  })
})
