import {describe, expect, it} from 'vitest'
import {
  createUniqIdGenerator, decodeOffsetMsgId, decodeProperties, encodeOffsetMsgId, encodeProperties, tagsHashCode,
} from '../../../../src/protocol/message/index.js'

describe('properties', () => {
  it('uses 0x01 between name and value and ends every pair with 0x02', () => {
    expect(encodeProperties({A: '1', B: 'two'})).toBe('A\u00011\u0002B\u0001two\u0002')
    expect(decodeProperties('A\u00011\u0002B\u0001two\u0002')).toEqual({A: '1', B: 'two'})
  })
  it('drops empty keys and values, as Java does', () => {
    expect(decodeProperties('\u0001x\u0002K\u0001\u0002Z\u0001v\u0002')).toEqual({Z: 'v'})
    expect(decodeProperties('')).toEqual({})
  })
})

describe('tag hash', () => {
  it('matches Java String.hashCode test vectors', () => {
    expect(tagsHashCode('TagA')).toBe(2598919)
    expect(tagsHashCode('*')).toBe(42)
    expect(tagsHashCode('some-longer-tag-value-xyz')).toBe(-1233760929)
    expect(tagsHashCode(undefined)).toBe(0)
  })
})

describe('message ids', () => {
  it('encodes the offset msgId of the doc example', () => {
    expect(encodeOffsetMsgId('127.0.0.1:10911', 300)).toBe('7F00000100002A9F000000000000012C')
    expect(decodeOffsetMsgId('7F00000100002A9F000000000000012C')).toEqual({storeHost: '127.0.0.1:10911', physicalOffset: 300})
  })
  it('makes 32-char upper-case UNIQ_KEYs with a fixed 20-char prefix and no repeats', () => {
    const gen = createUniqIdGenerator({ip: '127.0.0.1', pid: 0x1234, random: 0x0a0b0c0d})
    const ids = new Set<string>()
    for (let i = 0; i < 10_000; i++) ids.add(gen.next())
    expect(ids.size).toBe(10_000)
    for (const id of [...ids].slice(0, 5)) {
      expect(id).toMatch(/^[0-9A-F]{32}$/)
      expect(id.slice(0, 20)).toBe('7F00000112340A0B0C0D')
    }
  })
})

describe('hostile property names', () => {
  it('keeps "__proto__" as an ordinary key (found by the property test, seed 286866802)', () => {
    const props = decodeProperties('__proto__\u0001x\u0002')
    expect(Object.getPrototypeOf(props)).toBe(Object.prototype)
    expect(Object.keys(props)).toEqual(['__proto__'])
    expect(props['__proto__']).toBe('x')
  })
})
