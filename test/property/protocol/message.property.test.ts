import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {checkRecord, decodeMessageExt, encodeMessageRecord} from '../../../src/protocol/message/index.js'
import {ProtocolError} from '../../../src/protocol/protocol-error.js'

const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31)

const key = fc.string({minLength: 1, maxLength: 12}).filter((s) => !/[\u0001\u0002]/.test(s))
const recordArb = fc.record({
  topic: fc.stringMatching(/^[A-Za-z0-9%_|-]{1,60}$/),
  queueId: fc.integer({min: 0, max: 1023}),
  flag: fc.integer({min: -(2 ** 31), max: 2 ** 31 - 1}),
  queueOffset: fc.integer({min: 0, max: 2 ** 40}),
  commitLogOffset: fc.integer({min: 0, max: 2 ** 50}),
  sysFlag: fc.constant(0),
  bornTimestamp: fc.integer({min: 0, max: 2 ** 45}),
  bornHost: fc.tuple(fc.nat(255), fc.nat(255), fc.nat(65535)).map(([a, b, p]) => `10.${a}.${b}.1:${p}`),
  storeTimestamp: fc.integer({min: 0, max: 2 ** 45}),
  storeHost: fc.constant('127.0.0.1:10911'),
  reconsumeTimes: fc.integer({min: 0, max: 100}),
  preparedTransactionOffset: fc.constant(0),
  body: fc.uint8Array({maxLength: 2048}).map((a) => Buffer.from(a)),
  properties: fc.dictionary(key, key, {maxKeys: 6}),
})

describe('message record properties', () => {
  it('encode → decode is the identity', () => {
    console.log('message.property seed', seed)
    fc.assert(
      fc.property(recordArb, (input) => {
        const m = decodeMessageExt(encodeMessageRecord(input))
        expect(m.body.equals(input.body)).toBe(true)
        expect(m.properties).toEqual(input.properties)
        expect({...m, body: 0, properties: 0}).toMatchObject({...input, body: 0, properties: 0})
      }),
      {seed, numRuns: 300},
    )
  })

  it('mutated records never crash the decoder or the checker with anything but ProtocolError', () => {
    fc.assert(
      fc.property(recordArb, fc.array(fc.tuple(fc.nat(), fc.integer({min: 1, max: 255})), {minLength: 1, maxLength: 4}), fc.nat(), (input, flips, cut) => {
        const rec = Buffer.from(encodeMessageRecord(input))
        for (const [at, mask] of flips) rec[at % rec.length] ^= mask
        const truncated = rec.subarray(0, rec.length - (cut % 3 === 0 ? cut % rec.length : 0))
        expect(() => checkRecord(truncated, 0, truncated.length)).not.toThrow()
        try {
          decodeMessageExt(truncated)
        } catch (err) {
          expect(err).toBeInstanceOf(ProtocolError)
        }
      }),
      {seed, numRuns: 2000},
    )
  })
})
