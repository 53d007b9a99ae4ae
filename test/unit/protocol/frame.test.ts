import {afterEach, describe, expect, it, vi} from 'vitest'
import {decodeFrame, encodeFrame, encodeFrameHead, FrameDecoder, SerializeType, DEFAULT_MAX_FRAME_BYTES} from '../../../src/protocol/frame.js'
import {ProtocolError} from '../../../src/protocol/protocol-error.js'
import {newRequest, type RemotingCommand} from '../../../src/protocol/remoting-command.js'

function cmd(opaque: number, bodyBytes = 0): RemotingCommand {
  const c = newRequest(310, {a: 'pg', b: 'T', i: 'K\u0001V\u0002'}, bodyBytes > 0 ? Buffer.alloc(bodyBytes, opaque & 0xff) : undefined)
  c.opaque = opaque
  return c
}

function protocolError(fn: () => unknown): ProtocolError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError)
    return err as ProtocolError
  }
  throw new Error('expected a ProtocolError')
}

function lengthPrefix(n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeInt32BE(n)
  return b
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('encodeFrame / decodeFrame', () => {
  it('writes totalLength and headerInfo as §1.1 says', () => {
    for (const type of [SerializeType.JSON, SerializeType.ROCKETMQ]) {
      const frame = encodeFrame(cmd(1, 10), type)
      const headerLength = frame.readUInt32BE(4) & 0xffffff
      expect(frame.readInt32BE(0)).toBe(frame.length - 4)
      expect(frame[4]).toBe(type)
      expect(frame.length).toBe(8 + headerLength + 10)
    }
  })

  it('defaults to the JSON header', () => {
    expect(encodeFrame(cmd(1))[4]).toBe(0)
  })

  it('round-trips with and without a body in both header types', () => {
    for (const type of [0, 1] as const) {
      for (const c of [cmd(5), cmd(6, 1024)]) expect(decodeFrame(encodeFrame(c, type))).toStrictEqual(c)
    }
  })

  it('a frame head followed by the body is the whole frame, byte for byte, in both header types', () => {
    for (const type of [0, 1] as const) {
      for (const c of [cmd(5), cmd(6, 1024), {...cmd(7), i: 'n\u00e9'} as RemotingCommand]) {
        expect(Buffer.concat([encodeFrameHead(c, type), c.body ?? Buffer.alloc(0)]).equals(encodeFrame(c, type))).toBe(true)
      }
    }
  })

  it('treats a zero-length body as no body', () => {
    const c = cmd(1)
    c.body = Buffer.alloc(0)
    expect(decodeFrame(encodeFrame(c)).body).toBeUndefined()
  })

  it('rejects truncated, trailing, negative and oversize frames with typed errors', () => {
    const frame = encodeFrame(cmd(1, 100))
    expect(protocolError(() => decodeFrame(frame.subarray(0, 3))).code).toBe('TRUNCATED')
    expect(protocolError(() => decodeFrame(frame.subarray(0, frame.length - 1))).code).toBe('TRUNCATED')
    expect(protocolError(() => decodeFrame(Buffer.concat([frame, Buffer.from([0])]))).code).toBe('BAD_LENGTH')
    expect(protocolError(() => decodeFrame(lengthPrefix(-1))).code).toBe('BAD_LENGTH')
    expect(protocolError(() => decodeFrame(lengthPrefix(2))).code).toBe('BAD_LENGTH')
    expect(protocolError(() => decodeFrame(frame, frame.length - 1)).code).toBe('FRAME_TOO_LARGE')
    expect(decodeFrame(frame, frame.length).opaque).toBe(1)
  })

  it('rejects a header length beyond the frame and an unknown serialize type', () => {
    const frame = encodeFrame(cmd(1))
    const longHeader = Buffer.from(frame)
    longHeader.writeUInt32BE(frame.length - 7, 4)
    expect(protocolError(() => decodeFrame(longHeader)).code).toBe('BAD_LENGTH')
    const badType = Buffer.from(frame)
    badType[4] = 2
    expect(protocolError(() => decodeFrame(badType)).code).toBe('BAD_SERIALIZE_TYPE')
  })

  it('refuses to encode a ROCKETMQ header for codes beyond a short', () => {
    expect(protocolError(() => encodeFrame(newRequest(200050), SerializeType.ROCKETMQ)).code).toBe('BAD_HEADER')
    expect(decodeFrame(encodeFrame(newRequest(200050))).code).toBe(200050)
  })
})

describe('FrameDecoder', () => {
  const frames = [cmd(1), cmd(2, 3000), cmd(3, 17), cmd(4)]
  const stream = Buffer.concat(frames.map((c, i) => encodeFrame(c, (i % 2) as 0 | 1)))

  it('decodes a stream split at every possible chunk size', () => {
    for (let size = 1; size <= 64; size++) {
      const decoder = new FrameDecoder()
      const out: RemotingCommand[] = []
      for (let p = 0; p < stream.length; p += size) out.push(...decoder.push(stream.subarray(p, p + size)))
      expect(out.map((c) => c.opaque)).toEqual([1, 2, 3, 4])
      expect(out).toStrictEqual(frames)
    }
  })

  it('pushEach reports the header type each frame came in, across chunk splits', () => {
    for (const size of [1, 7, stream.length]) {
      const decoder = new FrameDecoder()
      const seen: Array<[number, 0 | 1]> = []
      for (let p = 0; p < stream.length; p += size) decoder.pushEach(stream.subarray(p, p + size), (c, type) => seen.push([c.opaque, type]))
      expect(seen).toEqual([[1, 0], [2, 1], [3, 0], [4, 1]])
    }
  })

  it('decodes many frames from one chunk and keeps a partial one for the next', () => {
    const decoder = new FrameDecoder()
    expect(decoder.push(stream.subarray(0, stream.length - 5)).map((c) => c.opaque)).toEqual([1, 2, 3])
    expect(decoder.push(stream.subarray(stream.length - 5)).map((c) => c.opaque)).toEqual([4])
    expect(decoder.push(Buffer.alloc(0))).toEqual([])
  })

  it('copies a frame split across chunks once into a buffer of its own size', () => {
    const big = encodeFrame(cmd(9, 100_000))
    const spy = vi.spyOn(Buffer, 'allocUnsafe')
    const decoder = new FrameDecoder()
    const out: RemotingCommand[] = []
    for (let p = 0; p < big.length; p += 1000) out.push(...decoder.push(big.subarray(p, p + 1000)))
    expect(out).toHaveLength(1)
    expect(out[0]!.body!.length).toBe(100_000)
    expect(spy.mock.calls).toEqual([[big.length - 4]])
  })

  it('rejects an oversize length before allocating for it', () => {
    const spy = vi.spyOn(Buffer, 'allocUnsafe')
    const decoder = new FrameDecoder({maxFrameBytes: 1024})
    expect(protocolError(() => decoder.push(lengthPrefix(1021))).code).toBe('FRAME_TOO_LARGE')
    const split = new FrameDecoder()
    split.push(lengthPrefix(DEFAULT_MAX_FRAME_BYTES).subarray(0, 2))
    expect(protocolError(() => split.push(lengthPrefix(DEFAULT_MAX_FRAME_BYTES).subarray(2))).code).toBe('FRAME_TOO_LARGE')
    expect(protocolError(() => new FrameDecoder().push(lengthPrefix(-8))).code).toBe('BAD_LENGTH')
    expect(spy).not.toHaveBeenCalled()
  })

  it('stays failed after an error: the stream is out of sync', () => {
    const decoder = new FrameDecoder()
    const bad = Buffer.from(encodeFrame(cmd(1)))
    bad[4] = 7
    const first = protocolError(() => decoder.push(bad))
    expect(first.code).toBe('BAD_SERIALIZE_TYPE')
    expect(protocolError(() => decoder.push(encodeFrame(cmd(2))))).toBe(first)
  })

  it('throws BAD_JSON for a garbage header inside a well-formed frame', () => {
    const header = Buffer.from('{"code":1,')
    const frame = Buffer.concat([lengthPrefix(4 + header.length), lengthPrefix(header.length), header])
    expect(protocolError(() => new FrameDecoder().push(frame)).code).toBe('BAD_JSON')
  })
})
