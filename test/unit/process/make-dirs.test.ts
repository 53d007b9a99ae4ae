/** mkdir -p without Node's recursive mkdir, which spins forever at 100 % CPU under /proc (issue 19 item 6). */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {makeDirs, makeDirsSync} from '../../../src/process/make-dirs.js'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mqbench-make-dirs-'))
afterAll(() => fs.rmSync(root, {recursive: true, force: true}))

describe('makeDirs', () => {
  it('creates every missing component and accepts an existing directory', async () => {
    const dir = path.join(root, 'a', 'b', 'c')
    await makeDirs(dir)
    makeDirsSync(dir)
    expect(fs.statSync(dir).isDirectory()).toBe(true)
  })

  it('under /proc: an ENOENT naming the path, at once', async () => {
    expect(() => makeDirsSync('/proc/mqbench-no-such/dir')).toThrow(/ENOENT.*\/proc\/mqbench-no-such/)
    await expect(makeDirs('/proc/mqbench-no-such/dir')).rejects.toMatchObject({code: 'ENOENT'})
  })

  it('under a regular file: ENOTDIR naming it', () => {
    const file = path.join(root, 'plain')
    fs.writeFileSync(file, 'x')
    expect(() => makeDirsSync(path.join(file, 'sub'))).toThrow(/ENOTDIR.*plain/)
  })
})
