import * as fs from 'node:fs'
import * as path from 'node:path'
import {afterAll, beforeEach, describe, expect, it} from 'vitest'
import {FaultyFileIO, parseDiskFaultSpec} from '../../../../../src/broker/store/io/faulty-file-io.js'
import {NodeFileIO} from '../../../../../src/broker/store/io/node-file-io.js'
import {VolatilePageCache} from '../../../../../src/broker/store/io/volatile-page-cache.js'
import {tempDir} from '../helpers.js'

const tmp = tempDir()
afterAll(() => tmp.cleanup())
let n = 0
let dir: string
beforeEach(async () => {
  dir = path.join(tmp.dir, `c${n++}`, 'commitlog')
  await fs.promises.mkdir(dir, {recursive: true})
})

const bytes = (len: number, fill: number): Buffer => Buffer.alloc(len, fill)
const onDisk = (file: string): Buffer => fs.readFileSync(file)

describe('FaultyFileIO', () => {
  it('passes everything through while no fault is active', async () => {
    const io = new FaultyFileIO(new NodeFileIO())
    const h = await io.open(path.join(dir, 'f'), {create: true})
    await h.write([bytes(10, 1)], 0)
    await h.sync()
    expect(onDisk(h.path).equals(bytes(10, 1))).toBe(true)
    expect(io.stats()).toMatchObject({writeErrors: 0, syncErrors: 0, bytesWritten: 10})
    await h.close()
  })

  it('eio: write and fsync fail with EIO, nothing is written; op narrows it; clear heals', async () => {
    const io = new FaultyFileIO(new NodeFileIO())
    const h = await io.open(path.join(dir, 'f'), {create: true})
    io.set({kind: 'eio'})
    await expect(h.write([bytes(4, 2)], 0)).rejects.toMatchObject({code: 'EIO', syscall: 'write'})
    await expect(h.sync()).rejects.toMatchObject({code: 'EIO', syscall: 'fsync'})
    expect(await h.size()).toBe(0)
    io.set({kind: 'eio', op: 'fsync'})
    await h.write([bytes(4, 2)], 0)
    await expect(h.sync()).rejects.toMatchObject({code: 'EIO'})
    io.set({kind: 'eio', op: 'write'})
    await expect(h.write([bytes(4, 3)], 0)).rejects.toMatchObject({code: 'EIO'})
    await h.sync()
    io.clear()
    await h.write([bytes(4, 4)], 4)
    expect(onDisk(h.path)).toEqual(Buffer.from([2, 2, 2, 2, 4, 4, 4, 4]))
    expect(io.stats()).toMatchObject({writeErrors: 2, syncErrors: 2})
    await h.close()
  })

  it('enospc: writes succeed until the budget, the crossing write is short and fails ENOSPC', async () => {
    const io = new FaultyFileIO(new NodeFileIO())
    const h = await io.open(path.join(dir, 'f'), {create: true})
    io.set({kind: 'enospc', bytes: 10})
    await h.write([bytes(6, 1)], 0)
    await expect(h.write([bytes(3, 2), bytes(3, 3)], 6)).rejects.toMatchObject({code: 'ENOSPC'})
    expect(onDisk(h.path)).toEqual(Buffer.from([1, 1, 1, 1, 1, 1, 2, 2, 2, 3]))
    await expect(h.write([bytes(1, 9)], 10)).rejects.toMatchObject({code: 'ENOSPC'})
    io.clear('enospc')
    await h.write([bytes(2, 5)], 10)
    expect(onDisk(h.path).length).toBe(12)
    await h.close()
  })

  it('slow-fsync delays every fsync by delayMs ± jitterMs, then syncs for real', async () => {
    const io = new FaultyFileIO(new NodeFileIO(), {seed: 5})
    const h = await io.open(path.join(dir, 'f'), {create: true})
    io.set({kind: 'slow-fsync', delayMs: 60, jitterMs: 20})
    const t0 = performance.now()
    await h.sync()
    // A lower bound only (timers never fire early); no upper bound on a shared machine.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(39)
    expect(io.stats().slowSyncs).toBe(1)
    await h.close()
  })

  it('fsync-lie over the volatile page cache: "synced" bytes vanish at a power cut; honest fsync keeps them', async () => {
    const cache = new VolatilePageCache(new NodeFileIO())
    const io = new FaultyFileIO(cache)
    const h = await io.open(path.join(dir, 'f'), {create: true})
    await h.write([bytes(8, 1)], 0)
    await h.sync()
    io.set({kind: 'fsync-lie'})
    await h.write([bytes(8, 2)], 8)
    await h.sync()
    expect(io.stats().liedSyncs).toBe(1)
    expect(cache.dirtyPageCount()).toBe(1)
    cache.powerCut()
    expect(onDisk(h.path)).toEqual(bytes(8, 1))
  })

  it('torn-write lands a seeded prefix and fails EIO; a rewrite at the same position repairs it', async () => {
    const io = new FaultyFileIO(new NodeFileIO(), {seed: 11})
    const h = await io.open(path.join(dir, 'f'), {create: true})
    io.set({kind: 'torn-write'})
    await expect(h.write([bytes(100, 7)], 0)).rejects.toMatchObject({code: 'EIO'})
    const torn = onDisk(h.path).length
    expect(torn).toBeGreaterThan(0)
    expect(torn).toBeLessThan(100)
    io.clear()
    await h.write([bytes(100, 7)], 0)
    expect(onDisk(h.path).equals(bytes(100, 7))).toBe(true)
    expect(io.stats().tornWrites).toBe(1)
    await h.close()
  })

  it("files: 'commitlog' (default) spares other store files; 'all' hits them too", async () => {
    const io = new FaultyFileIO(new NodeFileIO())
    const other = path.join(path.dirname(dir), 'checkpoint')
    const h = await io.open(other, {create: true})
    io.set({kind: 'eio'})
    await h.write([bytes(4, 1)], 0)
    io.set({kind: 'eio', files: 'all'})
    await expect(h.write([bytes(4, 1)], 0)).rejects.toMatchObject({code: 'EIO'})
    expect(io.active()).toEqual([{kind: 'eio', files: 'all'}])
    await h.close()
  })

  it('parseDiskFaultSpec names the bad field', () => {
    expect(parseDiskFaultSpec({kind: 'slow-fsync', delayMs: 10})).toEqual({kind: 'slow-fsync', delayMs: 10})
    expect(parseDiskFaultSpec({kind: 'melt'})).toMatch(/^kind: expected one of eio, enospc/)
    expect(parseDiskFaultSpec({kind: 'enospc', bytes: -1})).toMatch(/^bytes: expected a non-negative integer/)
    expect(parseDiskFaultSpec({kind: 'eio', op: 'read'})).toMatch(/^op: /)
    expect(parseDiskFaultSpec({kind: 'eio', files: 'some'})).toMatch(/^files: /)
    expect(parseDiskFaultSpec(7)).toBe('expected an object')
  })
})
