import {describe, expect, it} from 'vitest'

import {crc32} from '../../../src/protocol/crc32.js'
import {decodeMessageExt, encodeMessageRecord} from '../../../src/protocol/message/index.js'
import {
  bodyMatches, buildMessageBody, identityKey, identityProperties, readBodyPrefix, readIdentity, recordIdentityReader,
} from '../../../src/workload/message-identity.js'
import {RecordView} from '../../../src/protocol/message/record-view.js'
import {createSeededRandom} from '../../../src/workload/seeded-random.js'

function storedRecord(body: Buffer, properties: Record<string, string>) {
  return decodeMessageExt(recordBytes(body, properties))
}

function recordBytes(body: Buffer, properties: Record<string, string>): Buffer {
  return encodeMessageRecord({
    topic: 'T', queueId: 1, flag: 0, queueOffset: 7, commitLogOffset: 1024, sysFlag: 0, bornTimestamp: 1, bornHost: '127.0.0.1:1',
    storeTimestamp: 2, storeHost: '127.0.0.1:10911', reconsumeTimes: 0, preparedTransactionOffset: 0, body, properties,
  })
}

describe('message identity', () => {
  it('round-trips through a stored record (properties, KEYS, body prefix, CRC)', () => {
    const rng = createSeededRandom(42)
    const intendedMs = 1_700_000_000_123.456
    const body = buildMessageBody(300, 3, 4_000_000_000, intendedMs, rng)
    expect(body.length).toBe(300)
    const id = {runId: 'r1', producerId: 3, seq: 4_000_000_000, bodyCrc: crc32(body), intendedMs}
    const msg = storedRecord(body, {...identityProperties(id), UNIQ_KEY: 'X'})
    expect(readIdentity(msg)).toEqual(id)
    expect(msg.properties.KEYS).toBe('3:4000000000')
    expect(bodyMatches(msg.body, id)).toBe(true)
    expect(readBodyPrefix(msg.body)).toEqual({producerId: 3, seq: 4_000_000_000, intendedMs})
  })

  it('detects a flipped body byte', () => {
    const body = buildMessageBody(64, 0, 1, 5, createSeededRandom(1))
    const id = {runId: 'r', producerId: 0, seq: 1, bodyCrc: crc32(body), intendedMs: 5}
    body[40] = body[40]! ^ 0x01
    expect(bodyMatches(body, id)).toBe(false)
  })

  it('is deterministic per seed and varies the payload per message', () => {
    const a = buildMessageBody(1024, 1, 0, 0, createSeededRandom(7))
    const b = buildMessageBody(1024, 1, 0, 0, createSeededRandom(7))
    expect(a.equals(b)).toBe(true)
    const rng = createSeededRandom(7)
    const c1 = buildMessageBody(1024, 1, 0, 0, rng)
    const c2 = buildMessageBody(1024, 1, 0, 0, rng)
    expect(c1.subarray(16).equals(c2.subarray(16))).toBe(false)
  })

  it('returns undefined for messages that are not ours or malformed', () => {
    expect(readIdentity({properties: {}})).toBeUndefined()
    expect(readIdentity({properties: {MQB_RUN: 'r', MQB_PID: 'x', MQB_SEQ: '1', MQB_CRC: '1', MQB_T: '1'}})).toBeUndefined()
    expect(readIdentity({properties: {MQB_RUN: 'r', MQB_PID: '1', MQB_SEQ: '4294967296', MQB_CRC: '1', MQB_T: '1'}})).toBeUndefined()
    expect(readIdentity({properties: {MQB_RUN: 'r', MQB_PID: '1', MQB_SEQ: '1', MQB_CRC: '1'}})).toBeUndefined()
  })

  it('recordIdentityReader answers as readIdentity does for its run, read from the record in place', () => {
    const body = buildMessageBody(64, 3, 9, 5, createSeededRandom(1))
    const good = {MQB_RUN: 'r1', MQB_PID: '3', MQB_SEQ: '9', MQB_CRC: String(crc32(body)), MQB_T: '5.25'}
    const cases: Array<Record<string, string>> = [
      good, {...good, MQB_RUN: 'r2'}, {...good, MQB_RUN: 'r10'}, {...good, MQB_PID: 'x'}, {...good, MQB_SEQ: '4294967296'},
      {...good, MQB_T: 'soon'}, {MQB_RUN: 'r1', MQB_PID: '3', MQB_SEQ: '9', MQB_CRC: '1'}, {}, {...good, KEYS: 'MQB_RUN\u0001r1'},
      // intendedMs: digits are read in place, anything else as Number() reads it (1e3 finite, 400 nines Infinity).
      {...good, MQB_T: '1765000000000'}, {...good, MQB_T: '1e3'}, {...good, MQB_T: '9'.repeat(25)}, {...good, MQB_T: '9'.repeat(400)},
    ]
    const read = recordIdentityReader('r1')
    for (const props of cases) {
      const rec = recordBytes(body, props)
      const id = readIdentity(decodeMessageExt(rec))
      const expected = id && id.runId === 'r1' ? {producerId: id.producerId, seq: id.seq, bodyCrc: id.bodyCrc} : undefined
      // The reader reuses its answer: compare a copy.
      const got = read(new RecordView().at(rec, 0))
      expect(got && {...got}, JSON.stringify(props)).toEqual(expected)
    }
    expect(read(new RecordView().at(recordBytes(body, good), 0))).toEqual({producerId: 3, seq: 9, bodyCrc: crc32(body)})
  })

  it('refuses bodies too small for the prefix', () => {
    expect(() => buildMessageBody(15, 0, 0, 0, createSeededRandom(1))).toThrow(/≥ 16/)
  })

  it('identityKey is unique and exact', () => {
    expect(identityKey(0, 0)).toBe(0)
    expect(identityKey(1, 0)).toBe(2 ** 32)
    expect(identityKey(1, 0)).toBe(identityKey(0, 0xffffffff) + 1)
    expect(identityKey(0xfffff, 0xffffffff)).toBe(0xfffff * 2 ** 32 + 0xffffffff)
    expect(Number.isSafeInteger(identityKey(0x1fffff, 0xffffffff))).toBe(true)
  })
})
