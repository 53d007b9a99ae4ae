/**
 * The HA stream (rocketmq-protocol.md §8.1): plain TCP on the master's HA port, no remoting frames.
 *   slave → master: 8-byte big-endian offset reports; only the last complete one of a read matters.
 *   master → slave: [8-byte startOffset][4-byte size][size bytes of raw CommitLog]; size 0 = heartbeat.
 * Offsets stay below 2^53 (JS numbers); a negative or oversized field means the peer is not speaking
 * HA (or the stream lost sync), and the connection must be dropped, not repaired.
 */
import {MqbenchError} from '../../errors.js'

export const OFFSET_REPORT_BYTES = 8
export const TRANSFER_HEADER_BYTES = 12
/** Far above haTransferBatchSize (32 KiB); guards the buffer against a corrupt size field. */
export const MAX_TRANSFER_BODY_BYTES = 64 * 1024 * 1024

const TWO_32 = 0x1_0000_0000

export class HaFrameError extends MqbenchError {
  constructor(message: string) {
    super('HA_FRAME', message)
  }
}

function readOffset(buf: Buffer, pos: number): number {
  const hi = buf.readUInt32BE(pos)
  // ≥ 2^31: negative as a Java long; ≥ 2^21: beyond Number.MAX_SAFE_INTEGER.
  if (hi >= 0x20_0000) throw new HaFrameError(`HA offset out of range (high word 0x${hi.toString(16)})`)
  return hi * TWO_32 + buf.readUInt32BE(pos + 4)
}

function writeOffset(buf: Buffer, pos: number, offset: number): void {
  buf.writeUInt32BE(Math.floor(offset / TWO_32), pos)
  buf.writeUInt32BE(offset >>> 0, pos + 4)
}

export function encodeOffsetReport(offset: number): Buffer {
  const buf = Buffer.allocUnsafe(OFFSET_REPORT_BYTES)
  writeOffset(buf, 0, offset)
  return buf
}

export function encodeTransferHeader(startOffset: number, size: number): Buffer {
  const buf = Buffer.allocUnsafe(TRANSFER_HEADER_BYTES)
  writeOffset(buf, 0, startOffset)
  buf.writeInt32BE(size, 8)
  return buf
}

/**
 * Master side: turns the slave's byte stream into its latest report. Like RocketMQ's ReadSocketService
 * it keeps only the last complete 8-byte group of each read; a split group waits for its tail.
 */
export class OffsetReportReader {
  private readonly partial = Buffer.alloc(OFFSET_REPORT_BYTES)
  private partialLen = 0

  /** The last complete report in `chunk` (with any bytes left over from before), or undefined. */
  push(chunk: Buffer): number | undefined {
    let data = chunk
    if (this.partialLen > 0) {
      data = Buffer.concat([this.partial.subarray(0, this.partialLen), chunk])
      this.partialLen = 0
    }
    const complete = data.length - (data.length % OFFSET_REPORT_BYTES)
    const rest = data.length - complete
    if (rest > 0) {
      data.copy(this.partial, 0, complete)
      this.partialLen = rest
    }
    return complete === 0 ? undefined : readOffset(data, complete - OFFSET_REPORT_BYTES)
  }
}

export interface TransferFrame {
  startOffset: number
  /** empty for a heartbeat */
  data: Buffer
}

/** Slave side: splits the master's stream into frames; whole frames inside a chunk are not copied. */
export class TransferFrameDecoder {
  private pending: Buffer[] = []
  private pendingLen = 0
  /** total bytes of the frame being assembled, once its header is in */
  private need = 0

  push(chunk: Buffer): TransferFrame[] {
    let buf = chunk
    if (this.pendingLen > 0) {
      this.pending.push(chunk)
      this.pendingLen += chunk.length
      if (this.pendingLen < this.needed()) return []
      buf = Buffer.concat(this.pending, this.pendingLen)
      this.pending = []
      this.pendingLen = 0
      this.need = 0
    }
    const frames: TransferFrame[] = []
    let pos = 0
    while (buf.length - pos >= TRANSFER_HEADER_BYTES) {
      const size = buf.readInt32BE(pos + 8)
      if (size < 0 || size > MAX_TRANSFER_BODY_BYTES) throw new HaFrameError(`HA transfer size ${size} out of range`)
      const end = pos + TRANSFER_HEADER_BYTES + size
      if (end > buf.length) break
      frames.push({startOffset: readOffset(buf, pos), data: buf.subarray(pos + TRANSFER_HEADER_BYTES, end)})
      pos = end
    }
    if (pos < buf.length) {
      // Copied: the socket may reuse its chunk, and a held subarray would pin the whole chunk anyway.
      this.pending.push(Buffer.from(buf.subarray(pos)))
      this.pendingLen = buf.length - pos
    }
    return frames
  }

  /** Bytes buffered towards an incomplete frame. */
  get buffered(): number {
    return this.pendingLen
  }

  private needed(): number {
    if (this.need > 0) return this.need
    if (this.pendingLen < TRANSFER_HEADER_BYTES) return TRANSFER_HEADER_BYTES
    const head = Buffer.concat(this.pending, this.pendingLen)
    this.pending = [head]
    const size = head.readInt32BE(8)
    if (size < 0 || size > MAX_TRANSFER_BODY_BYTES) throw new HaFrameError(`HA transfer size ${size} out of range`)
    this.need = TRANSFER_HEADER_BYTES + size
    return this.need
  }
}
