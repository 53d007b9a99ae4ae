import * as path from 'node:path'
import {afterAll, beforeEach, describe, expect, it} from 'vitest'
import type {FileIO} from '../../../../../src/broker/store/io/file-io.js'
import {FaultyFileIO} from '../../../../../src/broker/store/io/faulty-file-io.js'
import {NodeFileIO} from '../../../../../src/broker/store/io/node-file-io.js'
import {VolatilePageCache} from '../../../../../src/broker/store/io/volatile-page-cache.js'
import {tempDir} from '../helpers.js'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

const implementations: [string, () => FileIO][] = [
  ['NodeFileIO', () => new NodeFileIO()],
  ['VolatilePageCache', () => new VolatilePageCache(new NodeFileIO())],
  ['FaultyFileIO with no fault active', () => new FaultyFileIO(new VolatilePageCache(new NodeFileIO()))],
  ['VolatilePageCache with random write-back', () => new VolatilePageCache(new NodeFileIO(), {writeback: 'random', seed: 7, writebackIntervalMs: 1})],
]

let n = 0
describe.each(implementations)('FileIO contract: %s', (_name, make) => {
  let io: FileIO
  let dir: string
  beforeEach(async () => {
    io = make()
    dir = path.join(tmp.dir, `case-${n++}`)
    await io.mkdir(path.join(dir, 'sub'))
  })

  it('reads back what was written at any position, across 4 KiB pages, with zeros in holes', async () => {
    const h = await io.open(path.join(dir, 'f'), {create: true})
    await h.truncate(20_000)
    const a = Buffer.alloc(5000, 0xab)
    await h.write([a, Buffer.from('xyz')], 4000)
    const out = Buffer.alloc(9000, 0xff)
    expect(h.read(out, 0, 9000, 0)).toBe(9000)
    expect(out.subarray(0, 4000).every((b) => b === 0)).toBe(true)
    expect(out.subarray(4000, 9000).equals(a)).toBe(true)
    expect(h.read(out, 0, 3, 9000)).toBe(3)
    expect(out.subarray(0, 3).toString()).toBe('xyz')
    expect(await h.size()).toBe(20_000)
    await h.close()
  })

  it('reads fewer bytes at end of file; writes past the end extend it', async () => {
    const h = await io.open(path.join(dir, 'g'), {create: true})
    await h.write([Buffer.from('hello')], 10)
    expect(await h.size()).toBe(15)
    const out = Buffer.alloc(100)
    expect(h.read(out, 0, 100, 8)).toBe(7)
    expect(out.subarray(2, 7).toString()).toBe('hello')
    await h.sync()
    await h.close()
  })

  it('truncate cuts and re-extends with zeros (the stale-tail rule)', async () => {
    const h = await io.open(path.join(dir, 't'), {create: true})
    await h.write([Buffer.alloc(10_000, 7)], 0)
    await h.truncate(5000)
    await h.truncate(10_000)
    const out = Buffer.alloc(10_000)
    h.read(out, 0, 10_000, 0)
    expect(out.subarray(0, 5000).every((b) => b === 7)).toBe(true)
    expect(out.subarray(5000).every((b) => b === 0)).toBe(true)
    await h.close()
  })

  it('synced data is visible through a fresh FileIO over the same files', async () => {
    const h = await io.open(path.join(dir, 's'), {create: true})
    await h.write([Buffer.from('durable')], 0)
    await h.sync()
    await h.close()
    const h2 = await new NodeFileIO().open(path.join(dir, 's'), {create: false})
    const out = Buffer.alloc(7)
    h2.read(out, 0, 7, 0)
    expect(out.toString()).toBe('durable')
    await h2.close()
  })

  it('lists, renames and unlinks files; readdir of a missing dir is empty', async () => {
    const h = await io.open(path.join(dir, 'sub', 'a'), {create: true})
    await h.close()
    expect(await io.readdir(path.join(dir, 'sub'))).toEqual(['a'])
    await io.rename(path.join(dir, 'sub', 'a'), path.join(dir, 'sub', 'b'))
    expect(await io.exists(path.join(dir, 'sub', 'a'))).toBe(false)
    expect(await io.exists(path.join(dir, 'sub', 'b'))).toBe(true)
    await io.unlink(path.join(dir, 'sub', 'b'))
    expect(await io.readdir(path.join(dir, 'sub'))).toEqual([])
    expect(await io.readdir(path.join(dir, 'nope'))).toEqual([])
    await expect(io.open(path.join(dir, 'missing'), {create: false})).rejects.toThrow()
  })
})
