import {describe, expect, it} from 'vitest'
import {
  decodeQueryMessageRequestHeader, decodeQueryMessageResponseHeader, decodeViewMessageRequestHeader,
  encodeQueryMessageRequestHeader, encodeQueryMessageResponseHeader, encodeViewMessageRequestHeader,
} from '../../../../src/protocol/headers/query-message.js'
import {expectBadField, headerCases} from './header-cases.js'

const query = {topic: 'T', key: 'order-1', maxNum: 32, beginTimestamp: 1_700_000_000_000, endTimestamp: 1_800_000_000_000}

describe('QueryMessageRequestHeader', () => {
  headerCases({
    encode: encodeQueryMessageRequestHeader,
    decode: decodeQueryMessageRequestHeader,
    full: {...query, uniqueKeyQuery: true},
    minimal: query,
    mandatory: ['topic', 'key', 'maxNum', 'beginTimestamp', 'endTimestamp'],
    numeric: ['maxNum', 'beginTimestamp', 'endTimestamp'],
  })

  it('reads the extField the Java client adds for a unique-key query', () => {
    const ext = {...encodeQueryMessageRequestHeader(query), _UNIQUE_KEY_QUERY: 'true'}
    expect(decodeQueryMessageRequestHeader(ext).uniqueKeyQuery).toBe(true)
  })

  it('accepts Long.MAX_VALUE as the end bound (what queryMsgById sends) and saturates it', () => {
    const ext = {...encodeQueryMessageRequestHeader(query), endTimestamp: '9223372036854775807', beginTimestamp: '-9223372036854775808'}
    const h = decodeQueryMessageRequestHeader(ext)
    expect(h.endTimestamp).toBe(Number.MAX_SAFE_INTEGER)
    expect(h.beginTimestamp).toBe(Number.MIN_SAFE_INTEGER)
    expectBadField(() => decodeQueryMessageRequestHeader({...ext, endTimestamp: '9223372036854775808'}), 'endTimestamp')
  })
})

describe('QueryMessageResponseHeader', () => {
  headerCases({
    encode: encodeQueryMessageResponseHeader,
    decode: decodeQueryMessageResponseHeader,
    full: {indexLastUpdateTimestamp: 1_700_000_000_000, indexLastUpdatePhyoffset: 4096},
    minimal: {indexLastUpdateTimestamp: 0, indexLastUpdatePhyoffset: 0},
    mandatory: ['indexLastUpdateTimestamp', 'indexLastUpdatePhyoffset'],
    numeric: ['indexLastUpdateTimestamp', 'indexLastUpdatePhyoffset'],
  })
})

describe('ViewMessageRequestHeader', () => {
  headerCases({
    encode: encodeViewMessageRequestHeader,
    decode: decodeViewMessageRequestHeader,
    full: {topic: 'T', offset: 123456},
    minimal: {offset: 0},
    mandatory: ['offset'],
    numeric: ['offset'],
  })
})
