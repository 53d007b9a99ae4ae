/**
 * A page cache of our own, so that killing the broker is a power cut.
 *
 * Fault model: bytes written through this FileIO live in this process's memory as dirty 4 KiB
 * pages until sync() (fdatasync) copies them to the underlying FileIO and syncs it. Reads see the
 * dirty bytes. When the process dies — or powerCut() is called — every dirty page vanishes, exactly
 * as unsynced page-cache pages vanish when power is lost. With `writeback: 'random'`, a seeded PRNG
 * writes a random dirty page back every few milliseconds (as the kernel's flusher threads would), so
 * a cut can leave a torn tail: some later pages on disk, earlier ones lost.
 * Metadata (create, truncate, unlink, rename) passes straight through and is treated as durable.
 */
import {seededRandom} from '../../../seeded-random.js'
import type {FileHandle, FileIO} from './file-io.js'

export const PAGE_BYTES = 4096

export interface VolatilePageCacheOptions {
  writeback?: 'none' | 'random'
  seed?: number
  /** How often one random dirty page is written back (writeback=random). */
  writebackIntervalMs?: number
}

interface Page {
  data: Buffer
  version: number
}

interface FileState {
  pages: Map<number, Page>
  logicalSize: number
  handles: Set<VolatileFileHandle>
  /**
   * Write-backs and truncates of this file, one at a time. Two write-backs of one page in flight at
   * once could land out of order: the first to finish marks the page clean, a later write starts a
   * fresh page from disk and is synced, and then the older write (its page object no longer in the
   * map, without the new bytes) lands on top and takes acknowledged bytes back. Seen as a SYNC_FLUSH
   * power-loss run losing SEND_OK messages behind a zero record header in mid-page.
   */
  queue: Promise<void>
}

export class VolatilePageCache implements FileIO {
  private readonly files = new Map<string, FileState>()
  private readonly timer?: NodeJS.Timeout
  private cut = false
  private readonly random: () => number

  constructor(readonly underlying: FileIO, opts: VolatilePageCacheOptions = {}) {
    this.random = seededRandom(opts.seed ?? 1)
    if (opts.writeback === 'random') {
      this.timer = setInterval(() => this.writeBackOnePage(), opts.writebackIntervalMs ?? 2)
      this.timer.unref()
    }
  }

  /** Power is lost: dirty pages are dropped and every later operation fails. */
  powerCut(): void {
    this.cut = true
    if (this.timer) clearInterval(this.timer)
    for (const state of this.files.values()) state.pages.clear()
  }

  /** Stops random write-back without losing anything (dirty pages stay until sync or powerCut). */
  stopWriteback(): void {
    if (this.timer) clearInterval(this.timer)
  }

  dirtyPageCount(): number {
    let n = 0
    for (const state of this.files.values()) n += state.pages.size
    return n
  }

  assertPowered(): void {
    if (this.cut) throw new Error('volatile page cache: power was cut')
  }

  async open(path: string, opts: {create: boolean}): Promise<FileHandle> {
    this.assertPowered()
    const inner = await this.underlying.open(path, opts)
    let state = this.files.get(path)
    if (!state) {
      state = {pages: new Map(), logicalSize: await inner.size(), handles: new Set(), queue: Promise.resolve()}
      this.files.set(path, state)
    }
    const handle = new VolatileFileHandle(this, state, inner)
    state.handles.add(handle)
    return handle
  }

  readdir(dir: string): Promise<string[]> {
    this.assertPowered()
    return this.underlying.readdir(dir)
  }

  mkdir(dir: string): Promise<void> {
    this.assertPowered()
    return this.underlying.mkdir(dir)
  }

  async unlink(path: string): Promise<void> {
    this.assertPowered()
    this.files.delete(path)
    await this.underlying.unlink(path)
  }

  async rename(from: string, to: string): Promise<void> {
    this.assertPowered()
    const state = this.files.get(from)
    this.files.delete(from)
    if (state) this.files.set(to, state)
    else this.files.delete(to)
    await this.underlying.rename(from, to)
  }

  exists(path: string): Promise<boolean> {
    this.assertPowered()
    return this.underlying.exists(path)
  }

  private writeBackOnePage(): void {
    if (this.cut) return
    const candidates = [...this.files.values()].filter((s) => s.pages.size > 0 && s.handles.size > 0)
    if (candidates.length === 0) return
    const state = candidates[Math.floor(this.random() * candidates.length)]!
    const pageNos = [...state.pages.keys()]
    const pageNo = pageNos[Math.floor(this.random() * pageNos.length)]!
    const handle = state.handles.values().next().value as VolatileFileHandle
    handle.writeBack([pageNo]).catch(() => undefined)
  }
}

class VolatileFileHandle implements FileHandle {
  readonly path: string

  constructor(private readonly cache: VolatilePageCache, private readonly state: FileState, private readonly inner: FileHandle) {
    this.path = inner.path
  }

  write(buffers: readonly Uint8Array[], position: number): Promise<void> {
    try {
      this.cache.assertPowered()
    } catch (err) {
      return Promise.reject(err)
    }
    let pos = position
    for (const src of buffers) {
      this.copyIn(src, pos)
      pos += src.length
    }
    if (pos > this.state.logicalSize) this.state.logicalSize = pos
    return Promise.resolve()
  }

  private copyIn(src: Uint8Array, pos: number): void {
    let off = 0
    while (off < src.length) {
      const pageNo = Math.floor((pos + off) / PAGE_BYTES)
      const inPage = (pos + off) % PAGE_BYTES
      const n = Math.min(PAGE_BYTES - inPage, src.length - off)
      const page = this.dirtyPage(pageNo, n === PAGE_BYTES)
      page.data.set(src.subarray(off, off + n), inPage)
      page.version++
      off += n
    }
  }

  private dirtyPage(pageNo: number, wholePage: boolean): Page {
    let page = this.state.pages.get(pageNo)
    if (!page) {
      const data = Buffer.alloc(PAGE_BYTES)
      if (!wholePage) this.inner.read(data, 0, PAGE_BYTES, pageNo * PAGE_BYTES)
      page = {data, version: 0}
      this.state.pages.set(pageNo, page)
    }
    return page
  }

  read(target: Uint8Array, targetOffset: number, length: number, position: number): number {
    this.cache.assertPowered()
    const n = Math.max(0, Math.min(length, this.state.logicalSize - position))
    let off = 0
    while (off < n) {
      const pos = position + off
      const pageNo = Math.floor(pos / PAGE_BYTES)
      const inPage = pos % PAGE_BYTES
      const page = this.state.pages.get(pageNo)
      if (page) {
        const k = Math.min(PAGE_BYTES - inPage, n - off)
        page.data.copy(target, targetOffset + off, inPage, inPage + k)
        off += k
        continue
      }
      // Coalesce the run of clean pages into one underlying read.
      let end = (pageNo + 1) * PAGE_BYTES
      while (end < position + n && !this.state.pages.has(end / PAGE_BYTES)) end += PAGE_BYTES
      const k = Math.min(end, position + n) - pos
      const got = this.inner.read(target, targetOffset + off, k, pos)
      if (got < k) target.fill(0, targetOffset + off + got, targetOffset + off + k)
      off += k
    }
    return n
  }

  /** Runs `op` after every write-back and truncate of this file queued before it. */
  private serialized(op: () => Promise<void>): Promise<void> {
    const run = this.state.queue.then(op)
    this.state.queue = run.catch(() => undefined)
    return run
  }

  /** Copies the given dirty pages to the underlying file (no sync); pages rewritten meanwhile stay dirty. */
  writeBack(pageNos: number[]): Promise<void> {
    return this.serialized(() => this.writeBackNow(pageNos))
  }

  private async writeBackNow(pageNos: number[]): Promise<void> {
    // Pages an earlier write-back in the queue already wrote (and found unchanged) are clean by now.
    const snapshot = pageNos.filter((no) => this.state.pages.has(no)).sort((a, b) => a - b).map((no) => ({no, page: this.state.pages.get(no)!}))
    const versions = snapshot.map((s) => s.page.version)
    let i = 0
    while (i < snapshot.length) {
      let j = i + 1
      while (j < snapshot.length && snapshot[j]!.no === snapshot[j - 1]!.no + 1) j++
      const start = snapshot[i]!.no * PAGE_BYTES
      const parts = snapshot.slice(i, j).map((s) => s.page.data)
      const end = Math.min(start + parts.length * PAGE_BYTES, this.state.logicalSize)
      const last = parts.length - 1
      parts[last] = parts[last]!.subarray(0, Math.max(0, end - (start + last * PAGE_BYTES)))
      await this.inner.write(parts, start)
      i = j
    }
    snapshot.forEach((s, k) => {
      if (this.state.pages.get(s.no) === s.page && s.page.version === versions[k]) this.state.pages.delete(s.no)
    })
  }

  async sync(): Promise<void> {
    this.cache.assertPowered()
    await this.writeBack([...this.state.pages.keys()])
    this.cache.assertPowered()
    await this.inner.sync()
  }

  truncate(size: number): Promise<void> {
    try {
      this.cache.assertPowered()
    } catch (err) {
      return Promise.reject(err)
    }
    // Queued so that no write-back still in flight can re-extend the file past the cut.
    return this.serialized(() => this.truncateNow(size))
  }

  private async truncateNow(size: number): Promise<void> {
    const boundary = Math.floor(size / PAGE_BYTES)
    for (const [no, page] of this.state.pages) {
      if (no > boundary || (no === boundary && size % PAGE_BYTES === 0)) this.state.pages.delete(no)
      else if (no === boundary) {
        page.data.fill(0, size % PAGE_BYTES)
        page.version++
      }
    }
    this.state.logicalSize = size
    await this.inner.truncate(size)
  }

  async size(): Promise<number> {
    this.cache.assertPowered()
    return this.state.logicalSize
  }

  async close(): Promise<void> {
    this.state.handles.delete(this)
    await this.inner.close()
  }
}
