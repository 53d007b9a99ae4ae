import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {
  encodeOffsetReport, encodeTransferHeader, HaFrameError, MAX_TRANSFER_BODY_BYTES, OffsetReportReader, TransferFrameDecoder,
} from '../../../../src/broker/ha/ha-frame.js'

function frame(start: number, data: Buffer): Buffer {
  return Buffer.concat([encodeTransferHeader(start, data.length), data])
}

describe('offset reports (slave → master)', () => {
  it('are 8-byte big-endian longs, as Java writes them', () => {
    expect(encodeOffsetReport(0x0102_0304_0506).toString('hex')).toBe('0000010203040506')
    const big = Number.MAX_SAFE_INTEGER
    expect(encodeOffsetReport(big).readBigInt64BE(0)).toBe(BigInt(big))
  })

  it('the reader keeps only the last complete report of a read and waits for a split one', () => {
    const r = new OffsetReportReader()
    expect(r.push(Buffer.concat([encodeOffsetReport(10), encodeOffsetReport(20)]))).toBe(20)
    const third = encodeOffsetReport(4_294_967_296 + 7)
    expect(r.push(third.subarray(0, 3))).toBeUndefined()
    expect(r.push(third.subarray(3))).toBe(4_294_967_296 + 7)
    // A split group followed by a complete one: the complete one wins.
    expect(r.push(Buffer.concat([encodeOffsetReport(30), encodeOffsetReport(40)]).subarray(0, 12))).toBe(30)
    expect(r.push(Buffer.concat([encodeOffsetReport(40).subarray(4), encodeOffsetReport(50)]))).toBe(50)
  })

  it('rejects negative offsets (a peer that is not speaking HA)', () => {
    const neg = Buffer.alloc(8)
    neg.writeBigInt64BE(-1n)
    expect(() => new OffsetReportReader().push(neg)).toThrow(HaFrameError)
  })
})

describe('transfer frames (master → slave)', () => {
  it('header is [8-byte startOffset][4-byte size]; size 0 is a heartbeat', () => {
    expect(encodeTransferHeader(0x1_0000_0002, 0).toString('hex')).toBe('000000010000000200000000')
    const frames = new TransferFrameDecoder().push(Buffer.concat([encodeTransferHeader(512, 0), frame(512, Buffer.from('abc'))]))
    expect(frames.map((f) => [f.startOffset, f.data.toString()])).toEqual([[512, ''], [512, 'abc']])
  })

  it('reassembles any split of the stream into the same frames', () => {
    const seed = Date.now() % 1_000_000
    console.log(`ha-frame split property seed=${seed}`)
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.nat({max: 2 ** 40}), fc.uint8Array({maxLength: 300})), {minLength: 1, maxLength: 12}),
      fc.array(fc.nat({max: 400}), {maxLength: 20}),
      (items, cuts) => {
        const stream = Buffer.concat(items.map(([s, d]) => frame(s, Buffer.from(d))))
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b)
        const dec = new TransferFrameDecoder()
        const out: Array<[number, string]> = []
        let prev = 0
        for (const p of [...points, stream.length]) {
          // Copies, so that a decoder holding a view into a reused socket chunk would show up.
          for (const f of dec.push(Buffer.from(stream.subarray(prev, p)))) out.push([f.startOffset, f.data.toString('hex')])
          prev = p
        }
        expect(out).toEqual(items.map(([s, d]) => [s, Buffer.from(d).toString('hex')]))
        expect(dec.buffered).toBe(0)
      },
    ), {seed, numRuns: 200})
  })

  it('rejects a size field that is negative or beyond the bound, even before the body arrives', () => {
    const bad = encodeTransferHeader(0, 0)
    bad.writeInt32BE(-5, 8)
    expect(() => new TransferFrameDecoder().push(bad)).toThrow(HaFrameError)
    const huge = encodeTransferHeader(0, MAX_TRANSFER_BODY_BYTES + 1)
    const dec = new TransferFrameDecoder()
    expect(dec.push(huge.subarray(0, 5))).toEqual([])
    expect(() => dec.push(huge.subarray(5))).toThrow(HaFrameError)
  })
})
