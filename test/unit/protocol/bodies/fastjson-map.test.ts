/** fastjson's object-keyed maps; the property part prints its seed (FC_SEED replays it). */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {encodeObjectKeyedMap, mapEntries, ObjectKeyedMap, parseFastjson} from '../../../../src/protocol/bodies/fastjson-map.js'
import {ProtocolError} from '../../../../src/protocol/protocol-error.js'
import {expectBadBody} from './body-errors.js'

const seed = process.env.FC_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FC_SEED)
console.log('seed', seed)

describe('parseFastjson', () => {
  it('reads standard JSON exactly as JSON.parse does', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      const text = JSON.stringify(v)
      expect(parseFastjson(text, 'X')).toStrictEqual(JSON.parse(text))
    }), {seed, numRuns: 300})
  })

  it('reads object keys back as an ObjectKeyedMap in order', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.record({topic: fc.string(), queueId: fc.integer()}), fc.integer()), {maxLength: 8}), (generated) => {
      // Plain copies: fast-check's values carry extra symbols that toStrictEqual would compare.
      const entries: Array<[object, number]> = generated.map(([k, v]) => [{topic: k.topic, queueId: k.queueId}, v])
      const parsed = parseFastjson(`{"t":${encodeObjectKeyedMap(entries)}}`, 'X') as {t: unknown}
      expect(mapEntries(parsed.t, 't')).toStrictEqual(entries)
    }), {seed, numRuns: 200})
  })

  it('fails with BAD_BODY only, whatever the input', () => {
    fc.assert(fc.property(fc.string({maxLength: 60}), (text) => {
      try {
        parseFastjson(text, 'X')
      } catch (err) {
        expect(err).toBeInstanceOf(ProtocolError)
      }
    }), {seed, numRuns: 500})
  })

  it('bounds nesting and names the problem', () => {
    expectBadBody(() => parseFastjson('['.repeat(100) + ']'.repeat(100), 'Deep'), 'nested too deeply')
    expectBadBody(() => parseFastjson('{"a":1} x', 'Trail'), 'trailing characters')
    // Found by the property above (seed 1307668784): tokens the scanner passed but JSON refuses.
    expectBadBody(() => parseFastjson('00', 'Zeros'), 'trailing characters')
    expectBadBody(() => parseFastjson('"\\x"', 'Escape'), 'invalid token')
    expectBadBody(() => parseFastjson('', 'Empty'), 'empty body')
    expect(parseFastjson('{{"k":1}:2}', 'X')).toBeInstanceOf(ObjectKeyedMap)
  })

  it('keeps "__proto__" as data', () => {
    const o = parseFastjson('{"__proto__":1}', 'X') as Record<string, unknown>
    expect(Object.keys(o)).toEqual(['__proto__'])
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype)
  })
})
