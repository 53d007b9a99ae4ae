import {describe, expect, it} from 'vitest'
import {
  BLANK_MAGIC, MESSAGE_MAGIC_V1, RECORD_FIXED_BYTES, RecordField, checkRecord, decodeMessageExt, decodeMessages,
  encodeMessageRecord, type MessageRecordInput,
} from '../../../../src/protocol/message/index.js'
import {ProtocolError} from '../../../../src/protocol/protocol-error.js'
import {bodyCrc, crc32} from '../../../../src/protocol/crc32.js'

function input(overrides: Partial<MessageRecordInput> = {}): MessageRecordInput {
  return {
    topic: 'TopicTest', queueId: 3, flag: 7, queueOffset: 42, commitLogOffset: 1_000_000_000_123, sysFlag: 0,
    bornTimestamp: 1_700_000_000_000, bornHost: '127.0.0.1:54321', storeTimestamp: 1_700_000_000_005,
    storeHost: '127.0.0.1:10911', reconsumeTimes: 2, preparedTransactionOffset: 0,
    body: Buffer.from('hello body'), properties: {UNIQ_KEY: 'ABC', TAGS: 'TagA', KEYS: 'k1 k2'},
    ...overrides,
  }
}

describe('stored-message record', () => {
  it('has the 91-byte fixed overhead and the documented field positions', () => {
    const rec = encodeMessageRecord(input({properties: ''}))
    expect(rec.length).toBe(RECORD_FIXED_BYTES + 10 + 9)
    expect(rec.readInt32BE(RecordField.TOTALSIZE)).toBe(rec.length)
    expect(rec.readInt32BE(RecordField.MAGIC)).toBe(MESSAGE_MAGIC_V1)
    expect(rec.readUInt32BE(RecordField.MAGIC)).toBe(0xdaa320a7)
    expect(rec.readInt32BE(RecordField.BODYCRC)).toBe(bodyCrc(Buffer.from('hello body')))
    expect(rec.readInt32BE(RecordField.QUEUEID)).toBe(3)
    expect(rec.readInt32BE(RecordField.FLAG)).toBe(7)
    expect(Number(rec.readBigInt64BE(RecordField.QUEUEOFFSET))).toBe(42)
    expect(Number(rec.readBigInt64BE(RecordField.PHYSICALOFFSET))).toBe(1_000_000_000_123)
    expect(Number(rec.readBigInt64BE(RecordField.STORETIMESTAMP))).toBe(1_700_000_000_005)
    expect(rec.subarray(RecordField.BORNHOST, RecordField.BORNHOST + 8).toString('hex')).toBe('7f0000010000d431')
    expect(rec.subarray(RecordField.STOREHOST, RecordField.STOREHOST + 8).toString('hex')).toBe('7f00000100002a9f')
  })

  it('writes 64-bit fields exactly across the 32-bit boundary and for negatives, and refuses unsafe integers', () => {
    for (const v of [0, 1, 0xffffffff, 0x1_0000_0000, 2 ** 53 - 1, -1, -(2 ** 32), -(2 ** 53 - 1), 1_700_000_000_005]) {
      const rec = encodeMessageRecord(input({queueOffset: v, bornTimestamp: v, preparedTransactionOffset: v}))
      for (const at of [RecordField.QUEUEOFFSET, RecordField.BORNTIMESTAMP, RecordField.PREPAREDTRANSACTIONOFFSET]) {
        expect(rec.readBigInt64BE(at)).toBe(BigInt(v))
      }
    }
    for (const v of [1.5, 2 ** 53, Number.NaN]) {
      expect(() => encodeMessageRecord(input({commitLogOffset: v}))).toThrow(ProtocolError)
    }
  })

  it('round-trips every field', () => {
    const rec = encodeMessageRecord(input())
    const m = decodeMessageExt(rec)
    expect(m).toMatchObject({
      topic: 'TopicTest', queueId: 3, flag: 7, queueOffset: 42, commitLogOffset: 1_000_000_000_123,
      bornHost: '127.0.0.1:54321', storeHost: '127.0.0.1:10911', reconsumeTimes: 2, storeSize: rec.length,
      properties: {UNIQ_KEY: 'ABC', TAGS: 'TagA', KEYS: 'k1 k2'},
    })
    expect(m.body.toString()).toBe('hello body')
  })

  it('splits a pull body into its records', () => {
    const body = Buffer.concat([encodeMessageRecord(input()), encodeMessageRecord(input({topic: 'T2', body: Buffer.alloc(0)}))])
    const msgs = decodeMessages(body)
    expect(msgs.map((m) => m.topic)).toEqual(['TopicTest', 'T2'])
    expect(msgs[1]!.body.length).toBe(0)
  })

  it('rejects bad magic, truncation, CRC mismatch and inconsistent sizes with typed errors', () => {
    const rec = encodeMessageRecord(input())
    const badMagic = Buffer.from(rec)
    badMagic.writeInt32BE(0x12345678, 4)
    expect(() => decodeMessageExt(badMagic)).toThrowError(expect.objectContaining({code: 'BAD_MAGIC'}))
    expect(() => decodeMessageExt(rec.subarray(0, rec.length - 1))).toThrow(ProtocolError)
    const badCrc = Buffer.from(rec)
    badCrc[88] ^= 0xff
    expect(() => decodeMessageExt(badCrc)).toThrowError(expect.objectContaining({code: 'BAD_CRC'}))
    const badSize = Buffer.concat([rec, Buffer.alloc(4)])
    badSize.writeInt32BE(rec.length + 4, 0)
    expect(() => decodeMessageExt(badSize)).toThrowError(expect.objectContaining({code: 'BAD_RECORD'}))
  })

  it('decodes 64-bit fields to the number Number(BigInt) gives, beyond 2^53 and for negatives too', () => {
    const rec = encodeMessageRecord(input())
    for (const v of [0n, 1n, 0xffffffffn, 0x1_0000_0000n, 2n ** 53n - 1n, 2n ** 53n + 1n, 2n ** 62n + 12345n, -1n, -(2n ** 32n), -(2n ** 63n), 2n ** 63n - 1n]) {
      rec.writeBigInt64BE(v, RecordField.QUEUEOFFSET)
      rec.writeBigInt64BE(v, RecordField.BORNTIMESTAMP)
      const m = decodeMessageExt(rec)
      expect([m.queueOffset, m.bornTimestamp]).toEqual([Number(v), Number(v)])
    }
  })

  it('viewBody: the body is a view into the pull buffer with the check\'s CRC-32 kept; a bad BODYCRC still throws', () => {
    const rec = encodeMessageRecord(input())
    const m = decodeMessageExt(rec, 0, {viewBody: true})
    expect(m.body.toString()).toBe('hello body')
    expect(m.body.buffer).toBe(rec.buffer)
    expect(m.bodyCrc32).toBe(crc32(Buffer.from('hello body')))
    expect(decodeMessageExt(rec).bodyCrc32).toBeUndefined()
    expect(decodeMessageExt(rec, 0, {viewBody: true, checkCrc: false}).bodyCrc32).toBeUndefined()
    const badCrc = Buffer.from(rec)
    badCrc[88] ^= 0xff
    expect(() => decodeMessageExt(badCrc, 0, {viewBody: true})).toThrowError(expect.objectContaining({code: 'BAD_CRC'}))
  })

  it('checkRecord classifies records, blanks and garbage without throwing', () => {
    const rec = encodeMessageRecord(input({commitLogOffset: 4096}))
    expect(checkRecord(rec, 0, rec.length, {expectedCommitLogOffset: 4096})).toMatchObject({kind: 'message', size: rec.length, queueOffset: 42})
    expect(checkRecord(rec, 0, rec.length, {expectedCommitLogOffset: 0})).toMatchObject({kind: 'invalid'})
    const blank = Buffer.alloc(8)
    blank.writeInt32BE(100, 0)
    blank.writeInt32BE(BLANK_MAGIC, 4)
    expect(checkRecord(blank, 0, 8)).toEqual({kind: 'blank', size: 100})
    expect(checkRecord(Buffer.alloc(200), 0, 200)).toMatchObject({kind: 'invalid'})
    expect(checkRecord(rec, 0, rec.length - 3)).toMatchObject({kind: 'invalid'})
  })

  it('checkRecord refuses a QUEUEOFFSET no CommitLog position can hold (the body CRC does not cover it)', () => {
    // At CommitLog offset 4096 at most floor(4096 / 91) = 45 whole records lie before this one.
    const at = (queueOffset: number) => {
      const rec = encodeMessageRecord(input({commitLogOffset: 4096, queueOffset}))
      return checkRecord(rec, 0, rec.length, {expectedCommitLogOffset: 4096})
    }
    expect(at(45)).toMatchObject({kind: 'message', queueOffset: 45})
    expect(at(0)).toMatchObject({kind: 'message', queueOffset: 0})
    expect(at(46)).toMatchObject({kind: 'invalid', reason: 'QUEUEOFFSET 46 impossible at CommitLog offset 4096 (at most 45 records lie before it)'})
    expect(at(-1)).toMatchObject({kind: 'invalid'})
    // What a CI seed did: the high byte of queue offset 0 flipped by 100 (7.2e18).
    const flipped = encodeMessageRecord(input({commitLogOffset: 0, queueOffset: 0}))
    flipped[RecordField.QUEUEOFFSET] ^= 100
    expect(checkRecord(flipped, 0, flipped.length, {expectedCommitLogOffset: 0})).toMatchObject({kind: 'invalid'})
    // Without a known position (a pulled record), the offset is not judged.
    expect(checkRecord(flipped, 0, flipped.length)).toMatchObject({kind: 'message'})
  })

  it('refuses topics longer than 127 bytes and non-IPv4 hosts', () => {
    expect(() => encodeMessageRecord(input({topic: 'x'.repeat(128)}))).toThrow(ProtocolError)
    expect(() => encodeMessageRecord(input({bornHost: 'localhost:1'}))).toThrow(ProtocolError)
  })
})
