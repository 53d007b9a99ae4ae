import {describe, expect, it} from 'vitest'
import {decodeFrame, encodeFrame} from '../../../src/protocol/frame.js'
import {
  decodeRocketmqHeader, encodeRocketmqHeader, encodeRocketmqHeaderInto, languageCode, LanguageCode, languageName,
  measureRocketmqHeader,
} from '../../../src/protocol/header-rocketmq.js'
import {ProtocolError} from '../../../src/protocol/protocol-error.js'
import type {RemotingCommand} from '../../../src/protocol/remoting-command.js'

// rocketmq-protocol.md §1.3 test vector without the 8-byte frame prefix (0000002d 01000029).
const VECTOR = '0069' + '00' + '01df' + '00000001' + '00000000' + '00000000' + '00000014' + '0005' + '746f706963' + '00000009' + '546f70696354657374'
const ROUTE_REQUEST: RemotingCommand = {code: 105, language: 'JAVA', version: 479, opaque: 1, flag: 0, extFields: {topic: 'TopicTest'}}

function errorCode(hex: string): string {
  try {
    decodeRocketmqHeader(Buffer.from(hex, 'hex'))
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError)
    return (err as ProtocolError).code
  }
  throw new Error('expected a ProtocolError')
}

describe('ROCKETMQ header', () => {
  it('encodes the doc test vector byte for byte', () => {
    expect(encodeRocketmqHeader(ROUTE_REQUEST).toString('hex')).toBe(VECTOR)
  })

  it('decodes the doc test vector', () => {
    expect(decodeRocketmqHeader(Buffer.from(VECTOR, 'hex'))).toStrictEqual(ROUTE_REQUEST)
  })

  it('maps every language byte to its name and back (JAVA 0 … NODE_JS 13)', () => {
    expect(LanguageCode.JAVA).toBe(0)
    expect(LanguageCode.OTHER).toBe(7)
    expect(LanguageCode.RUST).toBe(12)
    expect(LanguageCode.NODE_JS).toBe(13)
    for (let b = 0; b < 256; b++) expect(languageCode(languageName(b))).toBe(b)
    expect(languageName(9)).toBe('GO')
    expect(languageName(99)).toBe('99')
    expect(() => languageCode('COBOL')).toThrow(ProtocolError)
  })

  it('round-trips remark, negative opaque, non-ASCII keys and values', () => {
    const c: RemotingCommand = {
      code: 17, language: 'NODE_JS', version: -2, opaque: -2147483648, flag: 3,
      remark: 'näive ☃', extFields: {ключ: 'значение', a: 'b'},
    }
    expect(decodeRocketmqHeader(encodeRocketmqHeader(c))).toStrictEqual(c)
  })

  it('drops an empty remark and entries with an empty value, as Java reads them as null', () => {
    const c: RemotingCommand = {code: 1, language: 'JAVA', version: 1, opaque: 1, flag: 0, remark: '', extFields: {a: '', b: 'x'}}
    expect(decodeRocketmqHeader(encodeRocketmqHeader(c))).toStrictEqual({
      code: 1, language: 'JAVA', version: 1, opaque: 1, flag: 0, extFields: {b: 'x'},
    })
  })

  it('keeps a "__proto__" key as data', () => {
    const c: RemotingCommand = {code: 1, language: 'JAVA', version: 1, opaque: 1, flag: 0, extFields: JSON.parse('{"__proto__":"x"}')}
    const decoded = decodeRocketmqHeader(encodeRocketmqHeader(c))
    expect(Object.getPrototypeOf(decoded.extFields)).toBe(Object.prototype)
    expect(Object.keys(decoded.extFields!)).toEqual(['__proto__'])
  })

  it('rejects fields that overrun the header', () => {
    expect(errorCode(VECTOR.slice(0, 20))).toBe('BAD_HEADER') // fixed part cut
    expect(errorCode(VECTOR.slice(0, -2))).toBe('BAD_HEADER') // value cut
    expect(errorCode(VECTOR.slice(0, 26) + 'ffffffff' + VECTOR.slice(34))).toBe('BAD_HEADER') // remark length -1
    expect(errorCode(VECTOR.slice(0, 34) + '00000015' + VECTOR.slice(42))).toBe('BAD_HEADER') // ext length too long
    expect(errorCode(VECTOR.slice(0, 42) + '7fff' + VECTOR.slice(46))).toBe('BAD_HEADER') // key length
  })

  it('falls back to the exact encoder when non-ASCII text shows up late, byte for byte', () => {
    const commands: RemotingCommand[] = [
      {code: 1, language: 'JAVA', version: 1, opaque: 1, flag: 0, remark: 'ok', extFields: {a: 'x', b: 'y', c: 'zü'}},
      {code: 1, language: 'JAVA', version: 1, opaque: 1, flag: 0, remark: 'é', extFields: {a: 'x'}},
      {code: 1, language: 'GO', version: 1, opaque: 1, flag: 0, extFields: {a: 'x', ключ: 'v'}},
    ]
    for (const c of commands) {
      const {length, flat} = measureRocketmqHeader(c)
      const exact = Buffer.alloc(length)
      encodeRocketmqHeaderInto(c, flat, exact, 0)
      expect(encodeRocketmqHeader(c).toString('hex')).toBe(exact.toString('hex'))
      const frame = encodeFrame({...c, body: Buffer.from('body')}, 1)
      expect(frame.subarray(8, 8 + length).toString('hex')).toBe(exact.toString('hex'))
      expect(decodeFrame(frame)).toStrictEqual({...c, body: Buffer.from('body')})
    }
  })

  it('decodes keys right whatever the key cache holds (thousands of distinct keys, colliding slots)', () => {
    const keys = Array.from({length: 3000}, (_, i) => `k${i.toString(36)}${'x'.repeat(i % 7)}`)
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < keys.length; i += 10) {
        const extFields = Object.fromEntries(keys.slice(i, i + 10).map((k) => [k, `v-${k}`]))
        const c: RemotingCommand = {code: 1, language: 'JAVA', version: 1, opaque: i, flag: 0, extFields}
        expect(decodeRocketmqHeader(encodeRocketmqHeader(c))).toStrictEqual(c)
      }
    }
  })

  it('refuses values that do not fit the binary fields', () => {
    expect(() => encodeRocketmqHeader({...ROUTE_REQUEST, code: 40000})).toThrow(ProtocolError)
    expect(() => encodeRocketmqHeader({...ROUTE_REQUEST, version: 70000})).toThrow(ProtocolError)
    expect(() => encodeRocketmqHeader({...ROUTE_REQUEST, opaque: 2 ** 31})).toThrow(ProtocolError)
  })
})
