import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {encodeFrame} from '../../../src/protocol/frame.js'
import {decodeJsonHeader, encodeJsonHeader, encodeJsonHeaderText} from '../../../src/protocol/header-json.js'
import {ProtocolError} from '../../../src/protocol/protocol-error.js'
import type {RemotingCommand} from '../../../src/protocol/remoting-command.js'

// rocketmq-protocol.md §1.2 test vector: 131 header bytes, frame prefix 00000087 00000083.
const VECTOR =
  '{"code":105,"extFields":{"topic":"TopicTest"},"flag":0,"language":"JAVA","opaque":1,"serializeTypeCurrentRPC":"JSON","version":479}'
const ROUTE_REQUEST: RemotingCommand = {code: 105, language: 'JAVA', version: 479, opaque: 1, flag: 0, extFields: {topic: 'TopicTest'}}

function decodeText(text: string): RemotingCommand {
  return decodeJsonHeader(Buffer.from(text))
}

function errorOf(text: string): ProtocolError {
  try {
    decodeText(text)
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError)
    return err as ProtocolError
  }
  throw new Error(`expected BAD_JSON for ${text}`)
}

/** The header bytes encodeFrame wrote (the fast writer when it applies). */
function frameHeader(cmd: RemotingCommand): string {
  const frame = encodeFrame(cmd, 0)
  return frame.toString('utf8', 8, 8 + (frame.readInt32BE(4) & 0xffffff))
}

describe('JSON header', () => {
  it('frames write exactly encodeJsonHeaderText, on the fast path and off it', () => {
    const seed = process.env.FC_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FC_SEED)
    console.log('header-json frame writer seed', seed)
    const text = fc.oneof(fc.string({unit: 'binary-ascii', maxLength: 30}), fc.string({unit: 'binary', maxLength: 30}))
    const num = fc.oneof(fc.integer({min: -(2 ** 31), max: 2 ** 31 - 1}), fc.double(), fc.constant(-0), fc.constant(2 ** 53))
    const cmd = fc.record(
      {
        code: num, language: text, version: num, opaque: num, flag: num, remark: text,
        extFields: fc.dictionary(text, fc.oneof(text, fc.constant(undefined)), {maxKeys: 6, noNullPrototype: true}),
      },
      {requiredKeys: ['code', 'language', 'version', 'opaque', 'flag']},
    )
    fc.assert(
      fc.property(cmd, (c) => {
        expect(frameHeader(c as RemotingCommand)).toBe(encodeJsonHeaderText(c as RemotingCommand))
      }),
      {seed, numRuns: 2000},
    )
    const huge: RemotingCommand = {...ROUTE_REQUEST, extFields: {big: '\u0001'.repeat(20_000)}}
    expect(frameHeader(huge)).toBe(encodeJsonHeaderText(huge))
    expect(frameHeader(ROUTE_REQUEST)).toBe(VECTOR)
  })

  it('encodes the doc test vector byte for byte (Java key order)', () => {
    expect(encodeJsonHeaderText(ROUTE_REQUEST)).toBe(VECTOR)
    expect(encodeJsonHeader(ROUTE_REQUEST).length).toBe(131)
  })

  it('decodes the doc test vector', () => {
    expect(decodeText(VECTOR)).toStrictEqual(ROUTE_REQUEST)
  })

  it('decodes a slice of a larger buffer', () => {
    const buf = Buffer.concat([Buffer.from('xx'), Buffer.from(VECTOR), Buffer.from('yy')])
    expect(decodeJsonHeader(buf, 2, 2 + VECTOR.length)).toStrictEqual(ROUTE_REQUEST)
  })

  it('omits absent remark and extFields, keeps an empty extFields as Java does, writes the remark when set', () => {
    const bare = {code: 0, language: 'JAVA', version: 479, opaque: 3, flag: 1}
    expect(encodeJsonHeaderText(bare)).toBe(
      '{"code":0,"flag":1,"language":"JAVA","opaque":3,"serializeTypeCurrentRPC":"JSON","version":479}',
    )
    expect(encodeJsonHeaderText({...bare, extFields: {}})).toBe(
      '{"code":0,"extFields":{},"flag":1,"language":"JAVA","opaque":3,"serializeTypeCurrentRPC":"JSON","version":479}',
    )
    expect(decodeJsonHeader(encodeJsonHeader({...bare, extFields: {}}))).toStrictEqual({...bare, version: 479, extFields: {}})
    expect(encodeJsonHeaderText({...bare, remark: 'a "quoted"\nremark'})).toContain('"remark":"a \\"quoted\\"\\nremark"')
  })

  it('escapes the 0x01/0x02 property separators as fastjson does and reads them back', () => {
    const c: RemotingCommand = {code: 310, language: 'JAVA', version: 479, opaque: 1, flag: 0, extFields: {i: 'WAIT\u0001true\u0002'}}
    expect(encodeJsonHeaderText(c)).toContain('"i":"WAIT\\u0001true\\u0002"')
    expect(decodeJsonHeader(encodeJsonHeader(c))).toStrictEqual(c)
  })

  it('round-trips non-ASCII text', () => {
    const c: RemotingCommand = {code: 1, language: 'JAVA', version: 1, opaque: -1, flag: 1, remark: 'Überlast 🚦', extFields: {k: '值'}}
    expect(decodeJsonHeader(encodeJsonHeader(c))).toStrictEqual(c)
  })

  it('accepts any key order, nulls, unknown keys, and defaults language and version', () => {
    expect(decodeText('{"opaque":2,"flag":0,"code":34,"remark":null,"extFields":null,"future":[1]}')).toStrictEqual({
      code: 34, language: 'JAVA', version: 0, opaque: 2, flag: 0,
    })
  })

  it('rejects what is not a header with BAD_JSON naming the field', () => {
    expect(errorOf('{"code":1,').code).toBe('BAD_JSON')
    expect(errorOf('[1,2]').message).toMatch(/not a JSON object/)
    expect(errorOf('{"opaque":1,"flag":0}').message).toMatch(/"code"/)
    expect(errorOf('{"code":"1","opaque":1,"flag":0}').message).toMatch(/"code"/)
    expect(errorOf('{"code":1.5,"opaque":1,"flag":0}').message).toMatch(/"code"/)
    expect(errorOf('{"code":1,"opaque":4294967296,"flag":0}').message).toMatch(/"opaque"/)
    expect(errorOf('{"code":1,"opaque":1}').message).toMatch(/"flag"/)
    expect(errorOf('{"code":1,"opaque":1,"flag":0,"language":7}').message).toMatch(/"language"/)
    expect(errorOf('{"code":1,"opaque":1,"flag":0,"remark":5}').message).toMatch(/"remark"/)
    expect(errorOf('{"code":1,"opaque":1,"flag":0,"extFields":[]}').message).toMatch(/"extFields"/)
    expect(errorOf('{"code":1,"opaque":1,"flag":0,"extFields":{"queueId":3}}').message).toMatch(/queueId/)
  })
})
