/**
 * The producer's local outbox (the transactional-outbox pattern): a durable table where a message
 * is written PENDING before it is sent and marked SUCCESS once the broker answered SEND_OK. After
 * a crash, whatever is still PENDING is exactly what may never have reached the broker, and the
 * compensator sends it again (compensator.ts). Append-only, little-endian records:
 *
 *   0 u8 state (1 PENDING, 2 SUCCESS) | 1 u8 0 | 2 u16 0 | 4 u32 producerId | 8 u32 seq
 *   12 f64 intendedMs | 20 u32 bodyLength | 24 body (PENDING only; SUCCESS has length 0)
 *
 * Writes are writeSync without fsync: a kill -9 keeps the page cache, and the producer crash is the
 * failure this pattern answers. A torn last record (killed mid-write) is ignored on read; its send
 * had not started, since the send is issued only after the write returns.
 */
import {closeSync, existsSync, openSync, readFileSync, writeSync} from 'node:fs'

export const OutboxState = {PENDING: 1, SUCCESS: 2} as const
const HEADER_BYTES = 24

export interface OutboxEntry {
  producerId: number
  seq: number
  intendedMs: number
  body: Buffer
}

const keyOf = (producerId: number, seq: number): number => producerId * 2 ** 32 + seq

export class OutboxTable {
  private readonly fd: number
  private readonly header = Buffer.alloc(HEADER_BYTES)

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a')
  }

  /** Before the send: the message itself goes into the table, so a re-send is byte-identical. */
  pending(e: OutboxEntry): void {
    this.writeHeader(OutboxState.PENDING, e.producerId, e.seq, e.intendedMs, e.body.length)
    writeSync(this.fd, Buffer.concat([this.header, e.body]))
  }

  /** After SEND_OK. */
  success(producerId: number, seq: number): void {
    this.writeHeader(OutboxState.SUCCESS, producerId, seq, 0, 0)
    writeSync(this.fd, this.header)
  }

  close(): void {
    closeSync(this.fd)
  }

  private writeHeader(state: number, producerId: number, seq: number, intendedMs: number, bodyLength: number): void {
    const h = this.header
    h.fill(0, 0, 4)
    h.writeUInt8(state, 0)
    h.writeUInt32LE(producerId, 4)
    h.writeUInt32LE(seq, 8)
    h.writeDoubleLE(intendedMs, 12)
    h.writeUInt32LE(bodyLength, 20)
  }

  /** The entries still PENDING (no SUCCESS after them), in the order they were written. */
  static readPending(path: string): OutboxEntry[] {
    if (!existsSync(path)) return []
    const data = readFileSync(path)
    const pending = new Map<number, OutboxEntry>()
    for (let pos = 0; pos + HEADER_BYTES <= data.length;) {
      const state = data.readUInt8(pos)
      const producerId = data.readUInt32LE(pos + 4)
      const seq = data.readUInt32LE(pos + 8)
      const bodyLength = data.readUInt32LE(pos + 20)
      const end = pos + HEADER_BYTES + bodyLength
      if (end > data.length || (state !== OutboxState.PENDING && state !== OutboxState.SUCCESS)) break
      if (state === OutboxState.PENDING) {
        const body = Buffer.from(data.subarray(pos + HEADER_BYTES, end))
        pending.set(keyOf(producerId, seq), {producerId, seq, intendedMs: data.readDoubleLE(pos + 12), body})
      } else {
        pending.delete(keyOf(producerId, seq))
      }
      pos = end
    }
    return [...pending.values()]
  }
}
