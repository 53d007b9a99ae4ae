/**
 * Remoting framing (rocketmq-protocol.md §1.1), big-endian:
 *   totalLength int (excludes itself) | headerInfo int = serializeType << 24 | headerLength
 *   | header bytes | body bytes (totalLength - 4 - headerLength, may be 0)
 * The maximum frame size counts the 4-byte prefix too, as Java's frameMaxLength does.
 */
import {decodeJsonHeader, encodeJsonHeaderText, stageJsonHeader, takeStagedJsonHeader} from './header-json.js'
import {
  asciiRocketmqHeaderLength, decodeRocketmqHeader, encodeRocketmqHeaderInto, measureRocketmqHeader, writeAsciiRocketmqHeader,
} from './header-rocketmq.js'
import {ProtocolError} from './protocol-error.js'
import type {RemotingCommand} from './remoting-command.js'

export const SerializeType = {JSON: 0, ROCKETMQ: 1} as const
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024

const MAX_HEADER_BYTES = 0x00ffffff

export function encodeFrame(cmd: RemotingCommand, serializeType: 0 | 1 = SerializeType.JSON): Buffer {
  return encode(cmd, serializeType, true)
}

/**
 * The frame without its body: the length prefix and the header, the prefix counting cmd.body, which the
 * caller writes right after it as it is — a pull's megabytes of records are not copied into a frame.
 */
export function encodeFrameHead(cmd: RemotingCommand, serializeType: 0 | 1 = SerializeType.JSON): Buffer {
  return encode(cmd, serializeType, false)
}

function encode(cmd: RemotingCommand, serializeType: 0 | 1, withBody: boolean): Buffer {
  const bodyLength = cmd.body === undefined ? 0 : cmd.body.length
  const room = withBody ? bodyLength : 0
  let frame: Buffer
  let headerLength: number
  if (serializeType === SerializeType.ROCKETMQ) {
    // Sized on the assumption that every header string is ASCII, written in one pass that checks it.
    headerLength = asciiRocketmqHeaderLength(cmd)
    frame = allocFrame(headerLength, bodyLength, room)
    if (!writeAsciiRocketmqHeader(cmd, frame, 8)) {
      const measured = measureRocketmqHeader(cmd)
      headerLength = measured.length
      frame = allocFrame(headerLength, bodyLength, room)
      encodeRocketmqHeaderInto(cmd, measured.flat, frame, 8)
    }
  } else {
    headerLength = stageJsonHeader(cmd)
    if (headerLength >= 0) {
      frame = allocFrame(headerLength, bodyLength, room)
      takeStagedJsonHeader(frame, 8, headerLength)
    } else {
      const text = encodeJsonHeaderText(cmd)
      headerLength = Buffer.byteLength(text, 'utf8')
      frame = allocFrame(headerLength, bodyLength, room)
      frame.write(text, 8, 'utf8')
    }
  }
  const totalLength = 4 + headerLength + bodyLength
  frame[0] = totalLength >>> 24
  frame[1] = totalLength >>> 16
  frame[2] = totalLength >>> 8
  frame[3] = totalLength
  frame[4] = serializeType
  frame[5] = headerLength >>> 16
  frame[6] = headerLength >>> 8
  frame[7] = headerLength
  if (room > 0) frame.set(cmd.body!, 8 + headerLength)
  return frame
}

/** Room for the prefix, the header and `room` body bytes, after checking the whole frame (bodyLength) can be framed. */
function allocFrame(headerLength: number, bodyLength: number, room: number): Buffer {
  if (headerLength > MAX_HEADER_BYTES) {
    throw new ProtocolError('FRAME_TOO_LARGE', `header of ${headerLength} bytes exceeds the 24-bit header length`)
  }
  // 2^31 - 1 is what the int length prefix can say; the receiver enforces its own maximum.
  if (8 + headerLength + bodyLength > 0x7fffffff) {
    throw new ProtocolError('FRAME_TOO_LARGE', `frame of ${8 + headerLength + bodyLength} bytes cannot be framed`)
  }
  return Buffer.allocUnsafe(8 + headerLength + room)
}

/**
 * Validates a length prefix before anything is allocated for it.
 * @returns the number of bytes that follow the prefix
 */
function checkTotalLength(totalLength: number, maxFrameBytes: number): number {
  if (totalLength < 4) throw new ProtocolError('BAD_LENGTH', `frame length ${totalLength} is below the 4-byte minimum`)
  if (totalLength > maxFrameBytes - 4) {
    throw new ProtocolError('FRAME_TOO_LARGE', `frame of ${totalLength + 4} bytes exceeds the maximum of ${maxFrameBytes}`)
  }
  return totalLength
}

/** Decodes the bytes after the length prefix: [start, start + length) of `bytes`. */
function decodeFrameContent(bytes: Buffer, start: number, length: number): RemotingCommand {
  const headerInfo = bytes.readUInt32BE(start)
  const serializeType = headerInfo >>> 24
  const headerLength = headerInfo & MAX_HEADER_BYTES
  if (headerLength > length - 4) {
    throw new ProtocolError('BAD_LENGTH', `header length ${headerLength} exceeds the frame's ${length - 4} bytes`)
  }
  const headerStart = start + 4
  const headerEnd = headerStart + headerLength
  let cmd: RemotingCommand
  if (serializeType === SerializeType.JSON) cmd = decodeJsonHeader(bytes, headerStart, headerEnd)
  else if (serializeType === SerializeType.ROCKETMQ) cmd = decodeRocketmqHeader(bytes, headerStart, headerEnd)
  else throw new ProtocolError('BAD_SERIALIZE_TYPE', `serialize type ${serializeType} is neither JSON (0) nor ROCKETMQ (1)`)
  // A view, not a copy: the body is the bulk of a frame (a 1 KiB message, a pull's CommitLog slice).
  if (headerEnd < start + length) cmd.body = bytes.subarray(headerEnd, start + length)
  return cmd
}

/** Decodes exactly one whole frame, including its 4-byte length prefix. */
export function decodeFrame(frame: Buffer, maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES): RemotingCommand {
  if (frame.length < 4) throw new ProtocolError('TRUNCATED', `frame of ${frame.length} bytes has no length prefix`)
  const length = checkTotalLength(frame.readInt32BE(0), maxFrameBytes)
  if (frame.length < 4 + length) {
    throw new ProtocolError('TRUNCATED', `frame says ${length + 4} bytes, got ${frame.length}`)
  }
  if (frame.length > 4 + length) {
    throw new ProtocolError('BAD_LENGTH', `frame says ${length + 4} bytes, got ${frame.length} (trailing bytes)`)
  }
  return decodeFrameContent(frame, 4, length)
}

/** Receives each decoded command and the serialize type (top byte of headerInfo) it was framed with. */
export type FrameSink = (cmd: RemotingCommand, serializeType: 0 | 1) => void

const enum State {
  /** Collecting the 4-byte length prefix, possibly split across chunks. */
  Length,
  /** Collecting the bytes after the prefix into one buffer sized by the prefix. */
  Content,
  /** A ProtocolError was thrown; the stream is out of sync and the connection must close. */
  Failed,
}

/**
 * Splits a TCP byte stream into commands. Bytes of a frame that spans chunks are copied once into
 * a buffer of exactly the announced size, so accumulation is linear; a frame that lies whole
 * inside one chunk is decoded in place. The announced size is checked before that allocation.
 */
export class FrameDecoder {
  private readonly maxFrameBytes: number
  private state: State = State.Length
  private readonly prefix = Buffer.alloc(4)
  private prefixFilled = 0
  private content: Buffer | undefined
  private contentFilled = 0
  private failure: unknown

  constructor(opts: {maxFrameBytes?: number} = {}) {
    this.maxFrameBytes = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES
  }

  /** Commands completed by this chunk. After it throws, every later call throws the same error. */
  push(chunk: Buffer): RemotingCommand[] {
    const out: RemotingCommand[] = []
    this.pushEach(chunk, (cmd) => out.push(cmd))
    return out
  }

  /**
   * Hands each command completed by this chunk to `onFrame` with the serialize type it came in,
   * which a server needs to answer in kind. Commands before a bad frame are still delivered;
   * then it throws, and every later call throws the same error.
   */
  pushEach(chunk: Buffer, onFrame: FrameSink): void {
    if (this.state === State.Failed) throw this.failure
    try {
      this.consume(chunk, onFrame)
    } catch (err) {
      // Not wrapped: anything but a ProtocolError is a bug here, and the fuzz test must see it.
      this.state = State.Failed
      this.content = undefined
      this.failure = err
      throw err
    }
  }

  private consume(chunk: Buffer, onFrame: FrameSink): void {
    let p = 0
    while (p < chunk.length) {
      if (this.state === State.Length) {
        if (this.prefixFilled === 0 && chunk.length - p >= 4) {
          const length = checkTotalLength(chunk.readInt32BE(p), this.maxFrameBytes)
          p += 4
          if (chunk.length - p >= length) {
            const cmd = decodeFrameContent(chunk, p, length)
            onFrame(cmd, chunk[p] as 0 | 1)
            p += length
          } else {
            p = this.startContent(length, p)
          }
        } else {
          p = this.fillPrefix(chunk, p)
        }
      } else {
        p = this.fillContent(chunk, p, onFrame)
      }
    }
  }

  private fillPrefix(chunk: Buffer, p: number): number {
    const n = Math.min(4 - this.prefixFilled, chunk.length - p)
    chunk.copy(this.prefix, this.prefixFilled, p, p + n)
    this.prefixFilled += n
    p += n
    if (this.prefixFilled < 4) return p
    this.prefixFilled = 0
    return this.startContent(checkTotalLength(this.prefix.readInt32BE(0), this.maxFrameBytes), p)
  }

  private startContent(length: number, p: number): number {
    this.content = Buffer.allocUnsafe(length)
    this.contentFilled = 0
    this.state = State.Content
    return p
  }

  private fillContent(chunk: Buffer, p: number, onFrame: FrameSink): number {
    const content = this.content!
    const n = Math.min(content.length - this.contentFilled, chunk.length - p)
    chunk.copy(content, this.contentFilled, p, p + n)
    this.contentFilled += n
    if (this.contentFilled === content.length) {
      this.content = undefined
      this.state = State.Length
      onFrame(decodeFrameContent(content, 0, content.length), content[0] as 0 | 1)
    }
    return p + n
  }
}
