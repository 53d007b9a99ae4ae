import {createHash} from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {commitLogDigest} from '../../../../src/broker/ha/commit-log-digest.js'
import {StoreCorruptError} from '../../../../src/errors.js'
import {tempDir} from '../store/helpers.js'

const tmp = tempDir('mqbench-digest-')
afterAll(() => tmp.cleanup())
const FILE = 1000
const name = (offset: number) => String(offset).padStart(20, '0')

/** A commitlog dir with the given files (start offset → content, zero-padded to FILE bytes). */
function storeWith(dir: string, files: Record<number, Buffer>): string {
  const root = path.join(tmp.dir, dir)
  fs.mkdirSync(path.join(root, 'commitlog'), {recursive: true})
  for (const [off, data] of Object.entries(files)) {
    fs.writeFileSync(path.join(root, 'commitlog', name(Number(off))), Buffer.concat([data, Buffer.alloc(FILE - data.length)]))
  }
  return root
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

describe('commitLogDigest', () => {
  it('hashes exactly the bytes [from, max) across files', async () => {
    const a = Buffer.alloc(FILE, 1)
    const b = Buffer.from('second file head')
    const root = storeWith('two', {0: a, [FILE]: b})
    expect(await commitLogDigest(root, FILE + 6)).toBe(sha(Buffer.concat([a, b.subarray(0, 6)])))
    expect(await commitLogDigest(root, FILE + 6, {fromOffset: FILE})).toBe(sha(b.subarray(0, 6)))
    expect(await commitLogDigest(root, 0)).toBe(sha(Buffer.alloc(0)))
  })

  it('tells two logs apart by a single byte below max, and ignores bytes at or past it', async () => {
    const x = storeWith('x', {0: Buffer.from('abcdef')})
    const y = storeWith('y', {0: Buffer.from('abcdeX')})
    expect(await commitLogDigest(x, 5)).toBe(await commitLogDigest(y, 5))
    expect(await commitLogDigest(x, 6)).not.toBe(await commitLogDigest(y, 6))
  })

  it('a range no file holds is StoreCorruptError', async () => {
    const root = storeWith('gap', {[FILE]: Buffer.from('x')})
    await expect(commitLogDigest(root, 10)).rejects.toBeInstanceOf(StoreCorruptError)
    await expect(commitLogDigest(storeWith('short', {0: Buffer.from('x')}), 2 * FILE + 1)).rejects.toBeInstanceOf(StoreCorruptError)
    await expect(commitLogDigest(path.join(tmp.dir, 'none'), 1)).rejects.toBeInstanceOf(StoreCorruptError)
  })
})
