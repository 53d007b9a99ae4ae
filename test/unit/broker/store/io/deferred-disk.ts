/**
 * An in-memory disk whose writes land only when a test says so, with the source bytes as they are at
 * that moment — as a pwrite queued in libuv's thread pool does — so write-backs can be made to land
 * out of order. sync() and metadata calls complete at once.
 */
import type {FileIO} from '../../../../../src/broker/store/io/file-io.js'

export class DeferredDisk {
  readonly bytes: Buffer
  /** Writes handed to the disk and not landed yet, oldest first. */
  readonly pending: Array<() => void> = []

  constructor(size: number) {
    this.bytes = Buffer.alloc(size)
  }

  /** Lands the pending write at `index` (negative counts from the newest). */
  land(index: number): void {
    const i = index < 0 ? this.pending.length + index : index
    const [write] = this.pending.splice(i, 1)
    write?.()
  }

  landAll(): void {
    while (this.pending.length > 0) this.land(0)
  }

  io(): FileIO {
    const disk = this
    return {
      open: async (p) => ({
        path: p,
        write: (buffers, position) => new Promise<void>((resolve) => disk.pending.push(() => {
          let pos = position
          for (const b of buffers) {
            disk.bytes.set(b, pos)
            pos += b.length
          }
          resolve()
        })),
        read: (target, off, len, pos) => disk.bytes.copy(target, off, pos, pos + len),
        sync: async () => undefined, truncate: async () => undefined, size: async () => disk.bytes.length, close: async () => undefined,
      }),
      readdir: async () => [], mkdir: async () => undefined, unlink: async () => undefined, rename: async () => undefined, exists: async () => true,
    }
  }
}

/** Lets promise chains and setImmediate callbacks run. */
export const settle = (): Promise<void> => new Promise((r) => setImmediate(r))
