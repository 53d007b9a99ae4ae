import * as path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {NodeFileIO} from '../../../../../src/broker/store/io/node-file-io.js'
import {PAGE_BYTES, VolatilePageCache} from '../../../../../src/broker/store/io/volatile-page-cache.js'
import {tempDir} from '../helpers.js'
import {DeferredDisk, settle} from './deferred-disk.js'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

function readAll(file: string, len: number): Promise<Buffer> {
  return new NodeFileIO().open(file, {create: false}).then(async (h) => {
    const out = Buffer.alloc(len)
    h.read(out, 0, len, 0)
    await h.close()
    return out
  })
}

describe('VolatilePageCache', () => {
  it('keeps unsynced bytes in memory: readers see them, the disk does not, a power cut drops them', async () => {
    const file = path.join(tmp.dir, 'a')
    const cache = new VolatilePageCache(new NodeFileIO())
    const h = await cache.open(file, {create: true})
    await h.truncate(3 * PAGE_BYTES)
    await h.write([Buffer.alloc(PAGE_BYTES, 1)], 0)
    await h.sync()
    await h.write([Buffer.alloc(PAGE_BYTES, 2)], PAGE_BYTES)
    const seen = Buffer.alloc(2 * PAGE_BYTES)
    h.read(seen, 0, seen.length, 0)
    expect(seen[PAGE_BYTES]).toBe(2)
    expect(cache.dirtyPageCount()).toBe(1)
    expect((await readAll(file, 2 * PAGE_BYTES))[PAGE_BYTES]).toBe(0)
    cache.powerCut()
    await expect(h.write([Buffer.from('x')], 0)).rejects.toThrow(/power/)
    await h.close()
    const disk = await readAll(file, 3 * PAGE_BYTES)
    expect(disk.subarray(0, PAGE_BYTES).every((b) => b === 1)).toBe(true)
    expect(disk.subarray(PAGE_BYTES).every((b) => b === 0)).toBe(true)
  })

  it('a partial-page write keeps the rest of the page as it was on disk', async () => {
    const file = path.join(tmp.dir, 'b')
    const cache = new VolatilePageCache(new NodeFileIO())
    const h = await cache.open(file, {create: true})
    await h.write([Buffer.alloc(PAGE_BYTES, 9)], 0)
    await h.sync()
    await h.write([Buffer.from('ab')], 100)
    await h.sync()
    const disk = await readAll(file, PAGE_BYTES)
    expect(disk.subarray(100, 102).toString()).toBe('ab')
    expect(disk[99]).toBe(9)
    expect(disk[102]).toBe(9)
    await h.close()
  })

  it('random write-back (seeded) moves dirty pages to disk without a sync, leaving a torn tail possible', async () => {
    const file = path.join(tmp.dir, 'c')
    const cache = new VolatilePageCache(new NodeFileIO(), {writeback: 'random', seed: 42, writebackIntervalMs: 1})
    const h = await cache.open(file, {create: true})
    await h.truncate(64 * PAGE_BYTES)
    for (let i = 0; i < 64; i++) await h.write([Buffer.alloc(PAGE_BYTES, i + 1)], i * PAGE_BYTES)
    const deadline = Date.now() + 5000
    while (cache.dirtyPageCount() > 48 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5))
    cache.powerCut()
    await h.close()
    const disk = await readAll(file, 64 * PAGE_BYTES)
    let written = 0
    for (let i = 0; i < 64; i++) {
      const first = disk[i * PAGE_BYTES]!
      // Each page is either wholly the new content or wholly the old (zero) content.
      expect(first === 0 || first === i + 1).toBe(true)
      expect(disk.subarray(i * PAGE_BYTES, (i + 1) * PAGE_BYTES).every((b) => b === first)).toBe(true)
      if (first !== 0) written++
    }
    expect(written).toBeGreaterThanOrEqual(16)
    expect(written).toBeLessThan(64)
  })

  it('two write-backs of one page never land out of order: a synced write cannot be taken back by an older one', async () => {
    const disk = new DeferredDisk(4 * PAGE_BYTES)
    const cache = new VolatilePageCache(disk.io())
    const h = await cache.open('f', {create: true})
    await h.write([Buffer.alloc(54, 0x61)], 0)
    let synced = 0
    const s1 = h.sync().then(() => synced++)
    const s2 = h.sync().then(() => synced++)
    await settle()
    disk.land(0) // the first write-back lands; the second (if any) is still queued
    await settle()
    expect(synced).toBeGreaterThanOrEqual(1)
    await h.write([Buffer.alloc(54, 0x62)], 54) // page 0 again: what was written is clean, so it starts from disk
    let thirdDone = false
    const s3 = h.sync().then(() => (thirdDone = true))
    while (!thirdDone) {
      disk.land(-1) // newest first: the adversarial order
      await settle()
    }
    disk.landAll()
    await Promise.all([s1, s2, s3])
    cache.powerCut()
    expect(disk.bytes.subarray(0, 54).every((b) => b === 0x61)).toBe(true)
    expect(disk.bytes.subarray(54, 108).every((b) => b === 0x62), 'the synced second write is still on disk').toBe(true)
  })
})
