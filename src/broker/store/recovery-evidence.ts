/**
 * What recovery cuts, it keeps. RocketMQ's abnormal recovery truncates the CommitLog after the first
 * invalid record, and mqbench models that policy; but a cut that zeroes intact acked records behind a
 * 16-byte flip must not be silent. Before the cut this finds every non-zero byte past the valid end,
 * counts the well-formed records among them (resynchronising on records whose PHYSICALOFFSET equals
 * their position, which garbage almost never matches), and copies those bytes into
 * <storePathRootDir>/quarantine/ — the cut itself may then zero or delete the originals.
 */
import * as path from 'node:path'
import {checkRecord, MESSAGE_MAGIC_V1, MESSAGE_MAGIC_V2} from '../../protocol/message/index.js'
import type {CommitLog} from './commit-log.js'
import type {FileIO} from './io/file-io.js'
import type {MappedFile} from './mapped-file.js'

/** Non-zero data of one CommitLog file past the valid end: file bytes [from, end). */
export interface TailExtent {
  file: MappedFile
  from: number
  end: number
}

export interface QuarantinedBytes {
  /** the CommitLog file the bytes came from, and where in it they started */
  source: string
  sourcePosition: number
  path: string
  bytes: number
}

const WINDOW_BYTES = 8 * 1024 * 1024
const SCAN_WINDOW_BYTES = 1024 * 1024
/** A long run of zeros ends the tail scan of a file: preallocated files are zeros past their data. */
const STALE_SCAN_ZERO_WINDOWS = 16

export function quarantineDir(storePathRootDir: string): string {
  return path.join(storePathRootDir, 'quarantine')
}

/** The non-zero bytes after `validEnd`, per file (a lower bound: a scan stops after 16 MiB of zeros). */
export function tailExtents(commitLog: CommitLog, validEnd: number): TailExtent[] {
  const out: TailExtent[] = []
  for (const f of commitLog.queue.files) {
    const from = Math.max(0, validEnd - f.fileFromOffset)
    if (from >= f.fileSize) continue
    let zeroWindows = 0
    let lastNonZero = -1
    for (let pos = from; pos < f.fileSize && zeroWindows < STALE_SCAN_ZERO_WINDOWS; pos += SCAN_WINDOW_BYTES) {
      const buf = f.read(pos, Math.min(SCAN_WINDOW_BYTES, f.fileSize - pos))
      let k = buf.length - 1
      while (k >= 0 && buf[k] === 0) k--
      if (k >= 0) {
        lastNonZero = pos + k
        zeroWindows = 0
      } else zeroWindows++
    }
    if (lastNonZero >= 0) out.push({file: f, from, end: lastNonZero + 1})
  }
  return out
}

/** Well-formed records (magic, layout, CRC, PHYSICALOFFSET == position) inside the extents. */
export function countWellFormed(extents: TailExtent[], checkCrc: boolean): number {
  let count = 0
  for (const {file, from, end} of extents) {
    let winStart = -1
    let win: Buffer = Buffer.alloc(0)
    const ensure = (pos: number, len: number): boolean => {
      if (pos + len > file.fileSize) return false
      if (pos < winStart || pos + len > winStart + win.length) {
        winStart = pos
        win = file.read(pos, Math.min(Math.max(WINDOW_BYTES, len), file.fileSize - pos))
      }
      return true
    }
    let pos = from
    while (pos + 36 <= end) {
      if (!ensure(pos, 36)) break
      const size = recordAt(win, pos - winStart, file.fileFromOffset + pos)
      if (size > 0 && ensure(pos, size)) {
        const at = pos - winStart
        const ok = checkRecord(win, at, at + size, {checkCrc, expectedCommitLogOffset: file.fileFromOffset + pos})
        if (ok.kind === 'message') {
          count++
          pos += size
          continue
        }
      }
      pos++
    }
  }
  return count
}

/** The candidate record size at `at` when magic and PHYSICALOFFSET match, else 0. */
function recordAt(win: Buffer, at: number, phy: number): number {
  const magic = win.readInt32BE(at + 4)
  if (magic !== MESSAGE_MAGIC_V1 && magic !== MESSAGE_MAGIC_V2) return 0
  if (win.readUInt32BE(at + 28) !== Math.floor(phy / 0x1_0000_0000) || win.readUInt32BE(at + 32) !== phy >>> 0) return 0
  const size = win.readInt32BE(at)
  return size >= 36 ? size : 0
}

/** Copies every extent into its own file under quarantine/ and syncs it, before anything is cut. */
export async function quarantineExtents(io: FileIO, storePathRootDir: string, extents: TailExtent[], stampMs: number): Promise<QuarantinedBytes[]> {
  if (extents.length === 0) return []
  const dir = quarantineDir(storePathRootDir)
  await io.mkdir(dir)
  const out: QuarantinedBytes[] = []
  for (const {file, from, end} of extents) {
    const target = path.join(dir, `commitlog-${file.fileName}-from-${from}-${stampMs}.bin`)
    const h = await io.open(target, {create: true})
    try {
      for (let pos = from; pos < end; pos += WINDOW_BYTES) {
        await h.write([file.read(pos, Math.min(WINDOW_BYTES, end - pos))], pos - from)
      }
      await h.sync()
    } finally {
      await h.close()
    }
    out.push({source: file.filePath, sourcePosition: from, path: target, bytes: end - from})
  }
  return out
}
