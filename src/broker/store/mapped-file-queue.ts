/**
 * The ordered files of one log (CommitLog, or one ConsumeQueue): find by offset, roll over,
 * write out and flush across files (RocketMQ MappedFileQueue). Offsets here are absolute.
 */
import * as path from 'node:path'
import {StoreCorruptError} from '../../errors.js'
import type {FileIO} from './io/file-io.js'
import {MappedFile} from './mapped-file.js'

const FILE_NAME = /^\d{20}$/
/**
 * Bytes between two ranges that one span read still carries: with 1 KiB messages spread over a few
 * queues the gaps are a few KiB, and copying them costs less than the pread they save.
 */
const MAX_SPAN_GAP_BYTES = 16 * 1024
/** Bound on one span read, and so on the scratch buffer a span with gaps goes through. */
const MAX_SPAN_BYTES = 4 * 1024 * 1024
let scratchBuf = Buffer.alloc(0)

/** The scratch buffer, at least `len` bytes: reads are synchronous, so one per process (kept, ≤ MAX_SPAN_BYTES) is enough. */
function scratch(len: number): Buffer {
  if (scratchBuf.length < len) scratchBuf = Buffer.allocUnsafe(Math.min(MAX_SPAN_BYTES, Math.max(len, 2 * scratchBuf.length)))
  return scratchBuf
}

/** End (exclusive) of the span starting at range i: ranges in order, in the file ending at fileEnd, close together. */
function spanEnd(fileEnd: number, offsets: readonly number[], sizes: readonly number[], i: number): number {
  const start = offsets[i]!
  let end = start + sizes[i]!
  let j = i + 1
  for (; j < offsets.length; j++) {
    const o = offsets[j]!
    const e = o + sizes[j]!
    if (o < end || o - end > MAX_SPAN_GAP_BYTES || e > fileEnd || e - start > MAX_SPAN_BYTES) break
    end = e
  }
  return j
}

export class MappedFileQueue {
  readonly files: MappedFile[] = []
  private flushIndex = 0
  private writeIndex = 0

  constructor(
    private readonly io: FileIO,
    readonly dir: string,
    readonly fileSize: number,
    private readonly chunkBytes: number,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /** Opens the existing files; a file of the wrong size is corruption (a zero-length last file is a crash during creation). */
  async load(): Promise<void> {
    const names = (await this.io.readdir(this.dir)).filter((n) => FILE_NAME.test(n)).sort()
    for (let i = 0; i < names.length; i++) {
      const filePath = path.join(this.dir, names[i]!)
      const fileFromOffset = Number(names[i])
      let size: number
      try {
        const h = await this.io.open(filePath, {create: false})
        size = await h.size()
        await h.close()
      } catch (err) {
        throw new StoreCorruptError(`${filePath}: unreadable (${(err as Error).message})`, {file: filePath, offset: fileFromOffset, cause: err})
      }
      if (size === 0 && i === names.length - 1) {
        this.log(`store: removing empty last file ${filePath} (crash while creating it)`)
        await this.io.unlink(filePath)
        continue
      }
      if (size !== this.fileSize) {
        throw new StoreCorruptError(`${filePath}: size ${size} ≠ configured ${this.fileSize}`, {
          file: filePath, offset: fileFromOffset, hint: 'the file size setting changed or the file was cut; move the store aside',
        })
      }
      const expected = this.files.length === 0 ? fileFromOffset : this.files[this.files.length - 1]!.fileFromOffset + this.fileSize
      if (fileFromOffset !== expected || fileFromOffset % this.fileSize !== 0) {
        throw new StoreCorruptError(`${filePath}: expected a file starting at ${expected}`, {file: filePath, offset: fileFromOffset})
      }
      this.files.push(await MappedFile.load(this.io, filePath, fileFromOffset, this.fileSize, this.chunkBytes))
    }
  }

  lastFile(): MappedFile | undefined {
    return this.files[this.files.length - 1]
  }

  /** The file to append to, rolling over to a new one when the last is full. */
  writableFile(startOffset = 0): MappedFile {
    const last = this.lastFile()
    if (last && !last.isFull()) return last
    const from = last ? last.fileFromOffset + this.fileSize : startOffset - (startOffset % this.fileSize)
    const f = MappedFile.create(this.io, this.dir, from, this.fileSize, this.chunkBytes)
    if (!last && startOffset > from) f.wrotePosition = f.writtenPosition = f.flushedPosition = startOffset - from
    this.files.push(f)
    return f
  }

  findByOffset(offset: number): MappedFile | undefined {
    const first = this.files[0]
    if (!first || offset < first.fileFromOffset) return undefined
    return this.files[Math.floor((offset - first.fileFromOffset) / this.fileSize)]
  }

  minOffset(): number {
    return this.files[0]?.fileFromOffset ?? 0
  }

  maxOffset(): number {
    const last = this.lastFile()
    return last ? last.fileFromOffset + last.wrotePosition : 0
  }

  writtenOffset(): number {
    while (this.writeIndex < this.files.length - 1 && this.files[this.writeIndex]!.writtenPosition >= this.fileSize) this.writeIndex++
    const f = this.files[this.writeIndex]
    return f ? f.fileFromOffset + f.writtenPosition : 0
  }

  flushedOffset(): number {
    while (this.flushIndex < this.files.length - 1 && this.files[this.flushIndex]!.flushedPosition >= this.fileSize) this.flushIndex++
    const f = this.files[this.flushIndex]
    return f ? f.fileFromOffset + f.flushedPosition : 0
  }

  /** RocketMQ MappedFile.isAbleToFlush on the file holding the flush point. */
  isAbleToFlush(leastPages: number): boolean {
    this.flushedOffset()
    const f = this.files[this.flushIndex]
    if (!f) return false
    if (f.isFull() && f.flushedPosition < this.fileSize) return true
    if (this.flushIndex < this.files.length - 1) return true
    if (leastPages > 0) return Math.floor(f.wrotePosition / 4096) - Math.floor(f.flushedPosition / 4096) >= leastPages
    return f.wrotePosition > f.flushedPosition
  }

  /** Hands every staged byte to the FileIO (one writev per file with pending bytes). */
  async writeOut(): Promise<void> {
    this.writtenOffset()
    for (let i = this.writeIndex; i < this.files.length; i++) {
      const f = this.files[i]!
      if (f.writtenPosition < f.wrotePosition) await f.writeOut()
    }
  }

  /** Writes out and syncs everything appended so far; returns fsyncs issued. */
  async flush(): Promise<number> {
    let syncs = 0
    for (let i = this.flushIndex; i < this.files.length; i++) syncs += await this.files[i]!.flush()
    return syncs
  }

  /** The file whose appended bytes hold all of [offset, offset+len), if one does. */
  private fileHolding(offset: number, len: number): MappedFile | undefined {
    const f = this.findByOffset(offset)
    return f && offset - f.fileFromOffset + len <= f.wrotePosition ? f : undefined
  }

  /** Whether read(offset, len) returns the bytes: the range lies inside a single file's appended bytes. */
  holds(offset: number, len: number): boolean {
    return this.fileHolding(offset, len) !== undefined
  }

  /** Bytes [offset, offset+len) of one file; undefined when the range is not inside a single file. */
  read(offset: number, len: number): Buffer | undefined {
    const f = this.fileHolding(offset, len)
    return f ? f.read(offset - f.fileFromOffset, len) : undefined
  }

  /**
   * Copies the ranges [offsets[i], offsets[i]+sizes[i]), each one holds() accepted, back to back into
   * `target`: the same bytes as one read() per range. Ranges close together in one file (ascending, as
   * a ConsumeQueue lists them) share one read, through a scratch buffer when gaps separate them: a pull
   * of a thousand records costs a few preads instead of a thousand.
   */
  readRangesInto(target: Buffer, offsets: readonly number[], sizes: readonly number[]): void {
    let t = 0
    for (let i = 0; i < offsets.length;) {
      const f = this.findByOffset(offsets[i]!)!
      const j = spanEnd(f.fileFromOffset + this.fileSize, offsets, sizes, i)
      const spanStart = offsets[i]!
      const spanLen = offsets[j - 1]! + sizes[j - 1]! - spanStart
      let recordBytes = 0
      for (let k = i; k < j; k++) recordBytes += sizes[k]!
      if (recordBytes === spanLen) {
        f.readInto(target, t, spanStart - f.fileFromOffset, spanLen)
        t += spanLen
      } else {
        const s = scratch(spanLen)
        f.readInto(s, 0, spanStart - f.fileFromOffset, spanLen)
        for (let k = i; k < j; k++) {
          const from = offsets[k]! - spanStart
          t += s.copy(target, t, from, from + sizes[k]!)
        }
      }
      i = j
    }
  }

  /** Recovery: drops everything at and after `offset`. */
  async truncateFrom(offset: number): Promise<void> {
    while (this.files.length > 0 && this.lastFile()!.fileFromOffset >= offset) await this.files.pop()!.destroy()
    const last = this.lastFile()
    if (last && offset < last.fileFromOffset + this.fileSize) await last.truncateTo(offset - last.fileFromOffset)
    this.flushIndex = 0
    this.writeIndex = 0
  }

  async close(): Promise<void> {
    for (const f of this.files) await f.close()
  }
}
