/**
 * FileIO over the real file system. Writes and syncs use the callback API (cheaper than
 * fs.promises per call); batching many records into one writev happens above this layer.
 */
import {makeDirs} from '../../../process/make-dirs.js'
import * as fs from 'node:fs'
import type {FileHandle, FileIO} from './file-io.js'

function call<T>(fn: (cb: (err: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))))
}

class NodeFileHandle implements FileHandle {
  constructor(readonly path: string, private readonly fd: number) {}

  async write(buffers: readonly Uint8Array[], position: number): Promise<void> {
    let parts = buffers.filter((b) => b.length > 0)
    let pos = position
    while (parts.length > 0) {
      const written = await call<number>((cb) => fs.writev(this.fd, parts as Uint8Array[], pos, cb))
      pos += written
      parts = skipBytes(parts, written)
    }
  }

  read(target: Uint8Array, targetOffset: number, length: number, position: number): number {
    let done = 0
    while (done < length) {
      const n = fs.readSync(this.fd, target, targetOffset + done, length - done, position + done)
      if (n === 0) break
      done += n
    }
    return done
  }

  sync(): Promise<void> {
    return call<void>((cb) => fs.fdatasync(this.fd, (err) => cb(err, undefined)))
  }

  truncate(size: number): Promise<void> {
    return call<void>((cb) => fs.ftruncate(this.fd, size, (err) => cb(err, undefined)))
  }

  async size(): Promise<number> {
    return (await call<fs.Stats>((cb) => fs.fstat(this.fd, cb))).size
  }

  close(): Promise<void> {
    return call<void>((cb) => fs.close(this.fd, (err) => cb(err, undefined)))
  }
}

/** Drops the first `n` bytes from a buffer list (a short writev is legal, if rare on files). */
function skipBytes(parts: Uint8Array[], n: number): Uint8Array[] {
  let i = 0
  while (i < parts.length && n >= parts[i]!.length) n -= parts[i++]!.length
  const rest = parts.slice(i)
  if (rest.length > 0 && n > 0) rest[0] = rest[0]!.subarray(n)
  return rest
}

export class NodeFileIO implements FileIO {
  async open(path: string, opts: {create: boolean}): Promise<FileHandle> {
    const fd = await call<number>((cb) => fs.open(path, opts.create ? 'a+' : 'r+', cb))
    if (opts.create) {
      // 'a+' would force appends; reopen r+ so positional writes land where asked.
      await call<void>((cb) => fs.close(fd, (err) => cb(err, undefined)))
      return new NodeFileHandle(path, await call<number>((cb) => fs.open(path, 'r+', cb)))
    }
    return new NodeFileHandle(path, fd)
  }

  async readdir(dir: string): Promise<string[]> {
    try {
      return await fs.promises.readdir(dir)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw err
    }
  }

  async mkdir(dir: string): Promise<void> {
    await makeDirs(dir)
  }

  unlink(path: string): Promise<void> {
    return fs.promises.unlink(path)
  }

  rename(from: string, to: string): Promise<void> {
    return fs.promises.rename(from, to)
  }

  async exists(path: string): Promise<boolean> {
    try {
      await fs.promises.access(path)
      return true
    } catch {
      return false
    }
  }
}
