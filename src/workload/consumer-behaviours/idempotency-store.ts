/**
 * The consumer's durable table of processed message keys (the "idempotent consumer" pattern):
 * an append-only file of 8-byte identity keys shared by every incarnation of the group's workers.
 * A key is appended right after the effect it guards is recorded, so a worker killed and started
 * again skips what it already did instead of doing it twice. The one gap left — a kill between the
 * effect and the key, a few microseconds — can only duplicate, never lose.
 */
import {closeSync, existsSync, openSync, readFileSync, writeSync} from 'node:fs'

const KEY_BYTES = 8

export class IdempotencyStore {
  private readonly keys = new Set<number>()
  private readonly fd: number
  private readonly buf = Buffer.alloc(KEY_BYTES)

  constructor(readonly path: string) {
    if (existsSync(path)) {
      const data = readFileSync(path)
      // A torn last key (killed mid-write) is ignored: its effect is redone at most once.
      for (let pos = 0; pos + KEY_BYTES <= data.length; pos += KEY_BYTES) this.keys.add(data.readDoubleLE(pos))
    }
    this.fd = openSync(path, 'a')
  }

  get size(): number {
    return this.keys.size
  }

  has(key: number): boolean {
    return this.keys.has(key)
  }

  /** writeSync without fsync: a kill -9 keeps the page cache, which is the crash this pattern is about. */
  add(key: number): void {
    if (this.keys.has(key)) return
    this.keys.add(key)
    this.buf.writeDoubleLE(key, 0)
    writeSync(this.fd, this.buf)
  }

  close(): void {
    closeSync(this.fd)
  }
}
