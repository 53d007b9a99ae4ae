/**
 * One fixed-size store file named by the 20-digit offset of its first byte (RocketMQ MappedFile).
 *
 * RocketMQ appends into an mmap; we append into in-memory staging chunks instead and let one
 * writev carry everything staged since the last round (group commit). Positions, all relative
 * to the file start:
 *   flushedPosition ≤ writtenPosition ≤ stagedEnd ≤ wrotePosition ≤ fileSize
 * wrote = appended and readable; written = handed to the FileIO and completed (in the page cache);
 * flushed = synced. wrotePosition jumps past stagedEnd only when the file is closed by an
 * end-of-file blank: the rest of the file is never written.
 */
import * as path from 'node:path'
import type {FileHandle, FileIO} from './io/file-io.js'

interface Chunk {
  start: number
  buf: Buffer
  len: number
}

export function fileNameOf(offset: number): string {
  return String(offset).padStart(20, '0')
}

export class MappedFile {
  wrotePosition = 0
  writtenPosition = 0
  flushedPosition = 0
  private stagedEnd = 0
  private chunks: Chunk[] = []
  private handle?: FileHandle
  private opening?: Promise<FileHandle>
  private writing?: Promise<void>

  private constructor(
    private readonly io: FileIO,
    readonly filePath: string,
    readonly fileFromOffset: number,
    readonly fileSize: number,
    private readonly chunkBytes: number,
  ) {}

  get fileName(): string {
    return path.basename(this.filePath)
  }

  /** A new file: appends are accepted at once, the file itself is created by the first write. */
  static create(io: FileIO, dir: string, fileFromOffset: number, fileSize: number, chunkBytes: number): MappedFile {
    return new MappedFile(io, path.join(dir, fileNameOf(fileFromOffset)), fileFromOffset, fileSize, chunkBytes)
  }

  /** An existing file; positions say "full" until recovery sets the real end. */
  static async load(io: FileIO, filePath: string, fileFromOffset: number, fileSize: number, chunkBytes: number): Promise<MappedFile> {
    const f = new MappedFile(io, filePath, fileFromOffset, fileSize, chunkBytes)
    f.handle = await io.open(filePath, {create: false})
    f.wrotePosition = f.writtenPosition = f.flushedPosition = f.stagedEnd = fileSize
    return f
  }

  isFull(): boolean {
    return this.wrotePosition >= this.fileSize
  }

  /** Reserves `size` contiguous bytes at wrotePosition; the caller fills buf[pos, pos+size). */
  reserve(size: number): {buf: Buffer; pos: number} {
    let chunk = this.chunks[this.chunks.length - 1]
    if (!chunk || chunk.start + chunk.len !== this.wrotePosition || chunk.buf.length - chunk.len < size) {
      chunk = {start: this.wrotePosition, buf: Buffer.allocUnsafe(Math.max(this.chunkBytes, size)), len: 0}
      this.chunks.push(chunk)
    }
    const pos = chunk.len
    chunk.len += size
    this.wrotePosition += size
    this.stagedEnd = this.wrotePosition
    return {buf: chunk.buf, pos}
  }

  /** Closes the file for appends (after the end-of-file blank). */
  markFull(): void {
    this.wrotePosition = this.fileSize
  }

  /** Resolves when every byte appended before the call is in the FileIO. */
  async writeOut(): Promise<void> {
    const target = this.stagedEnd
    while (this.writtenPosition < target || (this.isFull() && this.writtenPosition < this.fileSize)) {
      if (this.writing) {
        await this.writing
        continue
      }
      this.writing = this.writeRound()
      await this.writing
    }
  }

  private async writeRound(): Promise<void> {
    try {
      const handle = this.handle ?? (await this.openHandle())
      const from = this.writtenPosition
      const end = this.stagedEnd
      const parts: Buffer[] = []
      for (const c of this.chunks) {
        const s = Math.max(from, c.start)
        const e = Math.min(end, c.start + c.len)
        if (e > s) parts.push(c.buf.subarray(s - c.start, e - c.start))
      }
      if (parts.length > 0) await handle.write(parts, from)
      this.writtenPosition = end === this.stagedEnd && this.isFull() ? this.fileSize : end
      this.releaseWrittenChunks()
    } finally {
      this.writing = undefined
    }
  }

  private releaseWrittenChunks(): void {
    let keep = 0
    while (keep < this.chunks.length - 1 && this.chunks[keep]!.start + this.chunks[keep]!.len <= this.writtenPosition) keep++
    if (keep > 0) this.chunks = this.chunks.slice(keep)
    if (this.isFull() && this.writtenPosition >= this.stagedEnd) this.chunks = []
  }

  private openHandle(): Promise<FileHandle> {
    this.opening ??= (async () => {
      await this.io.mkdir(path.dirname(this.filePath))
      const h = await this.io.open(this.filePath, {create: true})
      // Fixed size from the start, as RocketMQ preallocates: recovery rejects files of any other size.
      await h.truncate(this.fileSize)
      this.handle = h
      return h
    })()
    return this.opening
  }

  /** Writes out, then syncs; returns how many fsyncs it issued (0 or 1). */
  async flush(): Promise<number> {
    await this.writeOut()
    const upTo = this.writtenPosition
    if (upTo <= this.flushedPosition || !this.handle) return 0
    await this.handle.sync()
    if (upTo > this.flushedPosition) this.flushedPosition = upTo
    return 1
  }

  /** Copies file bytes [pos, pos+len) into target: from the file, staging, or zeros past stagedEnd. */
  readInto(target: Buffer, targetOffset: number, pos: number, len: number): void {
    let p = pos
    let t = targetOffset
    const end = pos + len
    if (p < this.writtenPosition && this.handle) {
      const n = Math.min(end, this.writtenPosition) - p
      const got = this.handle.read(target, t, n, p)
      if (got < n) target.fill(0, t + got, t + n)
      p += n
      t += n
    }
    for (const c of this.chunks) {
      if (p >= end) break
      const cEnd = c.start + c.len
      if (cEnd <= p) continue
      if (c.start > p) {
        const gap = Math.min(c.start, end) - p
        target.fill(0, t, t + gap)
        p += gap
        t += gap
        if (p >= end) break
      }
      const n = Math.min(end, cEnd) - p
      c.buf.copy(target, t, p - c.start, p - c.start + n)
      p += n
      t += n
    }
    if (p < end) target.fill(0, t, t + (end - p))
  }

  read(pos: number, len: number): Buffer {
    const out = Buffer.allocUnsafe(len)
    this.readInto(out, 0, pos, len)
    return out
  }

  /**
   * Recovery: the valid data ends at `pos`. The stale tail is cut and re-extended as a hole, so an
   * old record can never reappear behind a later, shorter write.
   */
  async truncateTo(pos: number): Promise<void> {
    this.chunks = []
    this.wrotePosition = this.writtenPosition = this.flushedPosition = this.stagedEnd = pos
    if (!this.handle || pos >= this.fileSize) return
    await this.handle.truncate(pos)
    await this.handle.truncate(this.fileSize)
    await this.handle.sync()
  }

  async close(): Promise<void> {
    const h = this.handle ?? (this.opening ? await this.opening.catch(() => undefined) : undefined)
    this.handle = undefined
    if (h) await h.close()
  }

  async destroy(): Promise<void> {
    await this.close()
    if (await this.io.exists(this.filePath)) await this.io.unlink(this.filePath)
  }
}
