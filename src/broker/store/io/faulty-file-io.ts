/**
 * A FileIO decorator that makes the disk misbehave on demand (issue 7), switched at runtime by the
 * MQBENCH_FAULT admin request. It sits above whatever FileIO the store would use (NodeFileIO or the
 * VolatilePageCache), so faults compose with power cuts.
 *
 * Fault model, one entry per kind (several kinds may be active at once):
 *   eio         write and/or fsync fail with EIO; nothing is written by the failing call
 *   enospc      writes succeed until `bytes` more bytes went through; the write that crosses the
 *               budget writes what still fits (a short write, as a full disk does) and fails ENOSPC
 *   slow-fsync  every fsync first waits delayMs ± jitterMs (seeded), then really syncs
 *   fsync-lie   fsync resolves at once and syncs nothing: over the volatile page cache a power cut
 *               then loses bytes the store was told were durable
 *   torn-write  a write lands only a seeded prefix of its bytes, then fails with EIO
 * Faults act on CommitLog files only by default (`files: 'commitlog'`), or on every store file.
 * Metadata calls (open, truncate, rename, ...) always pass through: we model a failing data path.
 */
import {seededRandom} from '../../../seeded-random.js'
import {type DiskFaultKind, type DiskFaultSpec, type DiskFaultStats} from '../../../protocol/bodies/fault-admin.js'
import type {FileHandle, FileIO} from './file-io.js'

export {DISK_FAULT_KINDS, parseDiskFaultSpec, type DiskFaultKind, type DiskFaultSpec, type DiskFaultStats} from '../../../protocol/bodies/fault-admin.js'

function ioError(code: 'EIO' | 'ENOSPC', syscall: string, path: string): NodeJS.ErrnoException {
  const text = code === 'EIO' ? 'i/o error' : 'no space left on device'
  return Object.assign(new Error(`${code}: ${text} (injected), ${syscall} '${path}'`), {code, errno: code === 'EIO' ? -5 : -28, syscall, path})
}

export class FaultyFileIO implements FileIO {
  private readonly faults = new Map<DiskFaultKind, DiskFaultSpec & {bytesLeft: number}>()
  private readonly counters: DiskFaultStats = {writeErrors: 0, syncErrors: 0, slowSyncs: 0, liedSyncs: 0, tornWrites: 0, bytesWritten: 0}
  readonly random: () => number

  constructor(readonly underlying: FileIO, opts: {seed?: number} = {}) {
    this.random = seededRandom(opts.seed ?? 1)
  }

  /** Activates (or replaces) the fault of spec.kind. */
  set(spec: DiskFaultSpec): void {
    this.faults.set(spec.kind, {...spec, bytesLeft: spec.bytes ?? 0})
  }

  /** Heals one kind, or every kind. */
  clear(kind?: DiskFaultKind): void {
    if (kind) this.faults.delete(kind)
    else this.faults.clear()
  }

  active(): DiskFaultSpec[] {
    return [...this.faults.values()].map(({bytesLeft: _left, ...spec}) => spec)
  }

  stats(): DiskFaultStats {
    return {...this.counters}
  }

  /** The active fault of `kind` if it covers `path`. */
  faultFor(kind: DiskFaultKind, path: string): (DiskFaultSpec & {bytesLeft: number}) | undefined {
    const f = this.faults.get(kind)
    if (!f) return undefined
    if ((f.files ?? 'commitlog') === 'commitlog' && !/[/\\]commitlog[/\\]/.test(path)) return undefined
    return f
  }

  count(key: keyof DiskFaultStats, n = 1): void {
    this.counters[key] += n
  }

  async open(path: string, opts: {create: boolean}): Promise<FileHandle> {
    return new FaultyFileHandle(this, await this.underlying.open(path, opts))
  }

  readdir(dir: string): Promise<string[]> {
    return this.underlying.readdir(dir)
  }

  mkdir(dir: string): Promise<void> {
    return this.underlying.mkdir(dir)
  }

  unlink(path: string): Promise<void> {
    return this.underlying.unlink(path)
  }

  rename(from: string, to: string): Promise<void> {
    return this.underlying.rename(from, to)
  }

  exists(path: string): Promise<boolean> {
    return this.underlying.exists(path)
  }
}

/** The first `n` bytes of a buffer list. */
function prefix(buffers: readonly Uint8Array[], n: number): Uint8Array[] {
  const out: Uint8Array[] = []
  for (const b of buffers) {
    if (n <= 0) break
    out.push(b.length <= n ? b : b.subarray(0, n))
    n -= b.length
  }
  return out
}

class FaultyFileHandle implements FileHandle {
  readonly path: string

  constructor(private readonly io: FaultyFileIO, private readonly inner: FileHandle) {
    this.path = inner.path
  }

  async write(buffers: readonly Uint8Array[], position: number): Promise<void> {
    const io = this.io
    let total = 0
    for (const b of buffers) total += b.length
    const eio = io.faultFor('eio', this.path)
    if (eio && (eio.op ?? 'both') !== 'fsync') {
      io.count('writeErrors')
      throw ioError('EIO', 'write', this.path)
    }
    const torn = io.faultFor('torn-write', this.path)
    if (torn && total > 1) {
      const keep = 1 + Math.floor(io.random() * (total - 1))
      await this.inner.write(prefix(buffers, keep), position)
      io.count('tornWrites')
      io.count('writeErrors')
      io.count('bytesWritten', keep)
      throw ioError('EIO', 'write', this.path)
    }
    const full = io.faultFor('enospc', this.path)
    if (full && total > full.bytesLeft) {
      const keep = full.bytesLeft
      if (keep > 0) await this.inner.write(prefix(buffers, keep), position)
      full.bytesLeft = 0
      io.count('writeErrors')
      io.count('bytesWritten', keep)
      throw ioError('ENOSPC', 'write', this.path)
    }
    await this.inner.write(buffers, position)
    if (full) full.bytesLeft -= total
    io.count('bytesWritten', total)
  }

  read(target: Uint8Array, targetOffset: number, length: number, position: number): number {
    return this.inner.read(target, targetOffset, length, position)
  }

  async sync(): Promise<void> {
    const io = this.io
    const slow = io.faultFor('slow-fsync', this.path)
    if (slow) {
      const jitter = slow.jitterMs ?? 0
      const ms = Math.max(0, (slow.delayMs ?? 0) + (jitter > 0 ? (io.random() * 2 - 1) * jitter : 0))
      io.count('slowSyncs')
      await new Promise((resolve) => setTimeout(resolve, ms))
    }
    const eio = io.faultFor('eio', this.path)
    if (eio && (eio.op ?? 'both') !== 'write') {
      io.count('syncErrors')
      throw ioError('EIO', 'fsync', this.path)
    }
    if (io.faultFor('fsync-lie', this.path)) {
      io.count('liedSyncs')
      return
    }
    await this.inner.sync()
  }

  truncate(size: number): Promise<void> {
    return this.inner.truncate(size)
  }

  size(): Promise<number> {
    return this.inner.size()
  }

  close(): Promise<void> {
    return this.inner.close()
  }
}
