import {describe, expect, it} from 'vitest'

import {crc32} from '../../../src/protocol/crc32.js'
import {decodeMessageExt, encodeMessageRecord} from '../../../src/protocol/message/index.js'
import {
  bodyMatches, buildMessageBody, identityKey, identityProperties, readBodyPrefix, readIdentity,
} from '../../../src/workload/message-identity.js'
import {createSeededRandom} from '../../../src/workload/seeded-random.js'

function storedRecord(body: Buffer, properties: Record<string, string>) {
  const rec = encodeMessageRecord({
    topic: 'T', queueId: 1, flag: 0, queueOffset: 7, commitLogOffset: 1024, sysFlag: 0, bornTimestamp: 1, bornHost: '127.0.0.1:1',
    storeTimestamp: 2, storeHost: '127.0.0.1:10911', reconsumeTimes: 0, preparedTransactionOffset: 0, body, properties,
  })
  return decodeMessageExt(rec)
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
