import {describe, expect, it} from 'vitest'
import {IndexService, MAX_MSGS_NUM_BATCH} from '../../../../src/broker/store/index-service.js'

const msg = (commitLogOffset: number, extra: {keys?: string; uniqKey?: string; topic?: string; storeTimestamp?: number} = {}) => ({
  topic: 'T', commitLogOffset, storeTimestamp: 1000 + commitLogOffset, ...extra,
})

describe('IndexService', () => {
  it('finds a message by unique key and by each of its KEYS, newest first, within the time range', () => {
    const idx = new IndexService()
    idx.buildIndex(msg(0, {uniqKey: 'U0', keys: 'a b'}))
    idx.buildIndex(msg(100, {uniqKey: 'U1', keys: 'b'}))
    idx.buildIndex(msg(200, {uniqKey: 'U2', keys: 'b', topic: 'Other'}))
    expect(idx.queryOffset('T', 'U1', 32, 0, Number.MAX_SAFE_INTEGER).commitLogOffsets).toEqual([100])
    expect(idx.queryOffset('T', 'a', 32, 0, Number.MAX_SAFE_INTEGER).commitLogOffsets).toEqual([0])
    expect(idx.queryOffset('T', 'b', 32, 0, Number.MAX_SAFE_INTEGER).commitLogOffsets).toEqual([100, 0])
    expect(idx.queryOffset('T', 'b', 32, 1050, Number.MAX_SAFE_INTEGER).commitLogOffsets).toEqual([100])
    expect(idx.queryOffset('T', 'b', 1, 0, Number.MAX_SAFE_INTEGER).commitLogOffsets).toEqual([100])
    expect(idx.queryOffset('T', 'missing', 32, 0, Number.MAX_SAFE_INTEGER)).toEqual({
      commitLogOffsets: [], indexLastUpdateTimestamp: 1200, indexLastUpdatePhyoffset: 200,
    })
  })

  it('returns at most maxMsgsNumBatch offsets whatever maxNum asks', () => {
    const idx = new IndexService()
    for (let i = 0; i < 100; i++) idx.buildIndex(msg(i, {keys: 'hot'}))
    expect(idx.queryOffset('T', 'hot', 1000, 0, Number.MAX_SAFE_INTEGER).commitLogOffsets).toHaveLength(MAX_MSGS_NUM_BATCH)
  })

  it('holds the newest maxEntries messages, dropping the oldest first', () => {
    const idx = new IndexService(4)
    for (let i = 0; i < 10; i++) idx.buildIndex(msg(i, {uniqKey: `U${i}`, keys: i % 2 === 0 ? 'even' : undefined}))
    expect(idx.size).toBe(4)
    expect(idx.queryOffset('T', 'U0', 32, 0, Number.MAX_SAFE_INTEGER).commitLogOffsets).toEqual([])
    expect(idx.queryOffset('T', 'U9', 32, 0, Number.MAX_SAFE_INTEGER).commitLogOffsets).toEqual([9])
    expect(idx.queryOffset('T', 'even', 32, 0, Number.MAX_SAFE_INTEGER).commitLogOffsets).toEqual([8, 6])
    expect(() => new IndexService(0)).toThrow(RangeError)
  })

  it('matches a whole KEYS entry only, never a part of one', () => {
    const idx = new IndexService()
    idx.buildIndex(msg(0, {keys: 'order-1 order-10  x'}))
    idx.buildIndex(msg(1, {keys: 'order-100', uniqKey: 'order'}))
    const q = (key: string) => idx.queryOffset('T', key, 32, 0, Number.MAX_SAFE_INTEGER).commitLogOffsets
    expect(q('order-1')).toEqual([0])
    expect(q('order-10')).toEqual([0])
    expect(q('order-100')).toEqual([1])
    expect(q('x')).toEqual([0])
    expect(q('order')).toEqual([1])
    expect(q('rder-1')).toEqual([])
    expect(q('')).toEqual([])
  })
})

describe('IndexService with one hot key', () => {
  it('keeps answering the newest entries while evicting the oldest of the same key', () => {
    const idx = new IndexService(2000)
    for (let i = 0; i < 50_000; i++) idx.buildIndex(msg(i, {keys: 'hot'}))
    expect(idx.size).toBe(2000)
    const newest = idx.queryOffset('T', 'hot', 64, 0, Number.MAX_SAFE_INTEGER).commitLogOffsets
    expect(newest).toEqual(Array.from({length: 64}, (_, k) => 49_999 - k))
    const older = idx.queryOffset('T', 'hot', 64, 0, 1000 + 48_999).commitLogOffsets
    expect(older[0]).toBe(48_999)
    // The 2000 kept are 48,000..49,999: anything older was evicted.
    expect(idx.queryOffset('T', 'hot', 64, 0, 1000 + 48_001).commitLogOffsets).toEqual([48_001, 48_000])
  })
})
