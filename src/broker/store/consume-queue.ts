/**
 * One topic-queue's index into the CommitLog (RocketMQ ConsumeQueue): 20-byte units
 * [i64 commitLogOffset][i32 size][i64 tagsCode], unit n at byte n*20, files under
 * consumequeue/<topic>/<queueId>/ named by their first byte offset.
 */
import * as path from 'node:path'
import type {FileIO} from './io/file-io.js'
import {MappedFileQueue} from './mapped-file-queue.js'

export const CQ_STORE_UNIT_SIZE = 20
/** Filler for a gap before the first real unit (RocketMQ fills with size Integer.MAX_VALUE). */
export const BLANK_UNIT_SIZE = 0x7fffffff
const CHUNK_BYTES = CQ_STORE_UNIT_SIZE * 1024

export interface ConsumeQueueUnit {
  commitLogOffset: number
  size: number
  tagsCode: number
}

export function consumeQueueDir(rootDir: string, topic: string, queueId: number): string {
  return path.join(rootDir, 'consumequeue', topic, String(queueId))
}

export class ConsumeQueue {
  readonly queue: MappedFileQueue
  /** highest CommitLog end (offset + size) referenced, to skip duplicates when re-dispatching */
  maxPhysicEnd = 0

  constructor(io: FileIO, rootDir: string, readonly topic: string, readonly queueId: number, fileSize: number, log?: (line: string) => void) {
    this.queue = new MappedFileQueue(io, consumeQueueDir(rootDir, topic, queueId), fileSize, CHUNK_BYTES, log)
  }

  async load(): Promise<void> {
    await this.queue.load()
  }

  minOffset(): number {
    return this.queue.minOffset() / CQ_STORE_UNIT_SIZE
  }

  maxOffset(): number {
    return this.queue.maxOffset() / CQ_STORE_UNIT_SIZE
  }

  /** Appends the unit for logical offset `queueOffset`; duplicates are ignored, gaps filled with blanks. */
  putUnit(queueOffset: number, commitLogOffset: number, size: number, tagsCode: number): boolean {
    const max = this.maxOffset()
    if (queueOffset < max) return false
    for (let i = max; i < queueOffset; i++) this.writeUnit(0, BLANK_UNIT_SIZE, 0)
    this.writeUnit(commitLogOffset, size, tagsCode)
    if (commitLogOffset + size > this.maxPhysicEnd) this.maxPhysicEnd = commitLogOffset + size
    return true
  }

  private writeUnit(commitLogOffset: number, size: number, tagsCode: number): void {
    const {buf, pos} = this.queue.writableFile().reserve(CQ_STORE_UNIT_SIZE)
    buf.writeUInt32BE(Math.floor(commitLogOffset / 0x1_0000_0000), pos)
    buf.writeUInt32BE(commitLogOffset >>> 0, pos + 4)
    buf.writeInt32BE(size, pos + 8)
    buf.writeBigInt64BE(BigInt(tagsCode), pos + 12)
  }

  /** Up to `maxCount` units from logical offset `index`, read from one file in one go. */
  readUnits(index: number, maxCount: number): Buffer | undefined {
    const byteOffset = index * CQ_STORE_UNIT_SIZE
    const f = this.queue.findByOffset(byteOffset)
    if (!f) return undefined
    const pos = byteOffset - f.fileFromOffset
    const n = Math.min(maxCount * CQ_STORE_UNIT_SIZE, f.wrotePosition - pos)
    return n > 0 ? f.read(pos, n) : undefined
  }

  unitAt(index: number): ConsumeQueueUnit | undefined {
    const buf = this.readUnits(index, 1)
    return buf ? unitIn(buf, 0) : undefined
  }

  /** The CommitLog offset of the first unit not yet synced, or undefined if all are. */
  firstUnflushedPhyOffset(): number | undefined {
    const flushed = this.queue.flushedOffset() / CQ_STORE_UNIT_SIZE
    if (flushed >= this.maxOffset()) return undefined
    for (let i = Math.ceil(flushed); i < this.maxOffset(); i++) {
      const u = this.unitAt(i)
      if (u && u.size !== BLANK_UNIT_SIZE) return u.commitLogOffset
    }
    return undefined
  }

  /**
   * Recovery: keeps the units that are intact and point below `cutPhyOffset` (everything at or past
   * it is rebuilt from the CommitLog); returns how many units were dropped.
   */
  async recover(cutPhyOffset: number): Promise<number> {
    const count = this.maxOffset()
    let end = this.minOffset()
    for (const f of this.queue.files) {
      const data = f.read(0, f.fileSize)
      let i = 0
      for (; i < f.fileSize; i += CQ_STORE_UNIT_SIZE) {
        const u = unitIn(data, i)
        if (u.size === BLANK_UNIT_SIZE && u.commitLogOffset === 0) continue
        if (u.commitLogOffset < 0 || u.size <= 0 || u.commitLogOffset >= cutPhyOffset) break
        if (u.commitLogOffset + u.size > this.maxPhysicEnd) this.maxPhysicEnd = u.commitLogOffset + u.size
      }
      end = (f.fileFromOffset + i) / CQ_STORE_UNIT_SIZE
      if (i < f.fileSize) break
    }
    await this.queue.truncateFrom(end * CQ_STORE_UNIT_SIZE)
    return Math.max(0, count - end)
  }

  async flush(): Promise<number> {
    return this.queue.flush()
  }

  isAbleToFlush(leastPages: number): boolean {
    return this.queue.isAbleToFlush(leastPages)
  }

  async close(): Promise<void> {
    await this.queue.close()
  }
}

export function unitIn(buf: Buffer, pos: number): ConsumeQueueUnit {
  return {
    commitLogOffset: buf.readUInt32BE(pos) * 0x1_0000_0000 + buf.readUInt32BE(pos + 4),
    size: buf.readInt32BE(pos + 8),
    tagsCode: Number(buf.readBigInt64BE(pos + 12)),
  }
}
