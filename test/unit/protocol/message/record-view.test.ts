/**
 * RecordView reads what decodeMessageExt decodes, in place: the same fields, the same property values
 * (decodeProperties' rules: pair starts only, empty values dropped, the last pair of a name wins), the
 * same errors. Property test over random records; its seed is printed (FC_SEED replays it).
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {decodeMessageExt, decodeMessages, encodeMessageRecord, type MessageRecordInput} from '../../../../src/protocol/message/index.js'
import {forEachRecord, propertyName, RecordView} from '../../../../src/protocol/message/record-view.js'
import {crc32} from '../../../../src/protocol/crc32.js'
import {ProtocolError} from '../../../../src/protocol/protocol-error.js'

const NAMES = ['MQB_RUN', 'MQB_PID', 'MQB_SEQ', 'KEYS', 'UNIQ_KEY', 'A', 'AA']

function record(props: string, over: Partial<MessageRecordInput> = {}): MessageRecordInput {
  return {
    topic: 'TopicTest', queueId: 3, flag: 0, queueOffset: 42, commitLogOffset: 1000, sysFlag: 0, bornTimestamp: 1_700_000_000_000,
    bornHost: '127.0.0.1:54321', storeTimestamp: 1_700_000_000_005, storeHost: '127.0.0.1:10911', reconsumeTimes: 2,
    preparedTransactionOffset: 0, body: Buffer.from('body'), properties: props, ...over,
  }
}

function uint32Of(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,10}$/.test(text) && Number(text) <= 0xffffffff ? Number(text) : undefined
}

describe('RecordView', () => {
  it('reads every field and property as decodeMessageExt does, record after record (property test)', () => {
    const seed = process.env.FC_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FC_SEED)
    console.log('record-view seed', seed)
    const name = fc.constantFrom(...NAMES)
    const value = fc.oneof(fc.constantFrom('', '0', '42', '4294967295', '4294967296', '00012', '12a', '99999999999'), fc.string({unit: 'binary', maxLength: 12}))
    // Raw property text: pairs in any order, names repeated, separators inside values, a name inside a value.
    const pair = fc.tuple(name, value).map(([n, v]) => `${n}\u0001${v}\u0002`)
    const one = fc.record({
      props: fc.array(pair, {maxLength: 8}).map((ps) => ps.join('')),
      queueId: fc.integer({min: 0, max: 1023}), queueOffset: fc.integer({min: 0, max: 2 ** 40}), reconsumeTimes: fc.integer({min: 0, max: 16}),
      bornTimestamp: fc.integer({min: 0, max: 2 ** 45}), storeTimestamp: fc.integer({min: 0, max: 2 ** 45}), body: fc.uint8Array({maxLength: 64}),
    })
    fc.assert(fc.property(fc.array(one, {minLength: 1, maxLength: 5}), (recs) => {
      const body = Buffer.concat(recs.map((r) => encodeMessageRecord(record(r.props, {...r, body: Buffer.from(r.body)}))))
      const decoded = decodeMessages(body)
      let i = 0
      forEachRecord(body, (v) => {
        const m = decoded[i++]!
        expect([v.queueId, v.queueOffset, v.reconsumeTimes, v.bornTimestamp, v.storeTimestamp, v.size]).toEqual(
          [m.queueId, m.queueOffset, m.reconsumeTimes, m.bornTimestamp, m.storeTimestamp, m.storeSize])
        expect(v.bodyCrc32()).toBe(crc32(m.body))
        for (const n of NAMES) {
          expect(v.property(propertyName(n))).toBe(m.properties[n])
          expect(v.propertyUint32(propertyName(n))).toBe(uint32Of(m.properties[n]))
          if (m.properties[n] !== undefined) expect(v.propertyEquals(propertyName(n), Buffer.from(m.properties[n]!))).toBe(true)
        }
      })
      expect(i).toBe(decoded.length)
    }), {seed, numRuns: 300})
  })

  it('refuses a malformed record and a body whose CRC is wrong, with the codes decodeMessageExt uses', () => {
    const rec = encodeMessageRecord(record('KEYS\u0001a\u0002'))
    const bad = Buffer.from(rec)
    bad[bad.length - 20] ^= 0xff // inside the body
    expect(() => new RecordView().at(bad, 0).bodyCrc32()).toThrow(ProtocolError)
    expect(() => decodeMessageExt(bad)).toThrow(/CRC/)
    expect(() => new RecordView().at(rec.subarray(0, 40), 0)).toThrow(ProtocolError)
    const magic = Buffer.from(rec)
    magic.writeInt32BE(0x12345678, 4)
    expect(() => new RecordView().at(magic, 0)).toThrow(/bad magic/)
  })
})
