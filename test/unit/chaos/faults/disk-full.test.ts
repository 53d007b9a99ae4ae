/**
 * disk-full against a fake cluster on a real loop-mounted ext4 image (root with loop devices only;
 * skipped loudly otherwise): inject leaves the store on a full file system (the kernel answers
 * ENOSPC), heal brings back everything written there, and a failed inject undoes itself. No mount
 * or loop device may outlive a test.
 */
import {execFileSync} from 'node:child_process'
import {appendFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, beforeEach, describe, expect, it} from 'vitest'
import {faultAction} from '../../../../src/chaos/faults/index.js'
import {activeLoopMounts, loopImageProblems, unmountLoopImage} from '../../../../src/chaos/faults/loop-image.js'
import {broker, brokerTarget, FakeCluster, fakeContext} from './fake-context.js'

const problems = loopImageProblems()
if (problems.length > 0) console.warn(`\n!!!!! [disk-full unit] loop-image tests SKIPPED: ${problems.join('; ')} !!!!!\n`)

const action = faultAction('disk-full')!
const params = action.params.parse({size: '32MiB', resumeWithin: '300ms'})

function mountedUnder(dir: string): boolean {
  return readFileSync('/proc/mounts', 'utf8').includes(dir) || execFileSync('losetup', ['-a'], {encoding: 'utf8'}).includes(dir)
}

describe.skipIf(problems.length > 0)('disk-full on a loop-mounted image (fake cluster)', {timeout: 60_000}, () => {
  let dir: string
  let storeDir: string
  let cluster: FakeCluster

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mqbench-disk-full-unit-'))
    storeDir = join(dir, 'broker-a-0', 'store')
    mkdirSync(join(storeDir, 'commitlog'), {recursive: true})
    writeFileSync(join(storeDir, 'commitlog', '00000000000000000000'), 'before the fault\n')
    cluster = new FakeCluster([broker('broker-a-0', 0)], () => ({storeDir}))
  })

  afterEach(async () => {
    // Whatever a failing test left: unmount first, so the recursive delete never crosses into an image.
    for (const m of activeLoopMounts()) if (m.mountPoint.startsWith(dir)) await unmountLoopImage(m).catch(() => undefined)
    if (!mountedUnder(dir)) rmSync(dir, {recursive: true, force: true})
  })

  afterAll(() => {
    expect(activeLoopMounts()).toEqual([])
  })

  it('inject: broker stopped, store on a full ext4 (ENOSPC), restarted there; heal: writes made on the image come back, no mount left', async () => {
    let storeAtRestart: string | undefined
    cluster.onRestart = () => {
      storeAtRestart = lstatSync(storeDir).isSymbolicLink() ? 'link' : 'dir'
    }
    const ctx = fakeContext({cluster})
    const h = await action.inject(ctx, brokerTarget('broker-a-0'), params)
    expect(cluster.calls).toEqual(['kill:SIGTERM broker-a-0', 'restart broker-a-0'])
    expect(storeAtRestart).toBe('link')
    expect(readFileSync(join(storeDir, 'commitlog', '00000000000000000000'), 'utf8')).toBe('before the fault\n')
    expect(mountedUnder(dir)).toBe(true)
    // The kernel itself refuses a new block (a sparse CommitLog grows into holes the same way).
    expect(() => writeFileSync(join(storeDir, 'commitlog', 'new-file'), Buffer.alloc(64 * 1024))).toThrow(/ENOSPC/)
    expect(ctx.lines.some((l) => /^disk-full: broker-a-0's store is on \/dev\/loop\d+ \(33554432 bytes ext4\), filled with \d+ bytes/.test(l))).toBe(true)

    // A "broker" that keeps appending: refused while full, lands once heal deletes the filler.
    let appended = 0
    const writer = setInterval(() => {
      try {
        // A record's worth of bytes, so each append needs new blocks (heal watches the free space shrink).
        appendFileSync(join(storeDir, 'commitlog', '00000000000000000000'), `after ${appended} ${'x'.repeat(4096)}\n`)
        appended++
      } catch {
        // ENOSPC while full
      }
    }, 10)
    try {
      await action.heal(ctx, h, params)
    } finally {
      clearInterval(writer)
    }
    expect(cluster.calls).toEqual(['kill:SIGTERM broker-a-0', 'restart broker-a-0', 'kill:SIGTERM broker-a-0', 'restart broker-a-0'])
    expect(ctx.lines.some((l) => /^disk-full: broker-a-0 writes again \d+ ms after the filler was deleted/.test(l))).toBe(true)
    expect(appended).toBeGreaterThan(0)
    expect(lstatSync(storeDir).isDirectory()).toBe(true)
    const log = readFileSync(join(storeDir, 'commitlog', '00000000000000000000'), 'utf8')
    expect(log.startsWith(`before the fault\nafter 0 ${'x'.repeat(4096)}\nafter 1 `)).toBe(true)
    expect(readdirSync(join(dir, 'broker-a-0'))).toEqual(['store'])
    expect(mountedUnder(dir)).toBe(false)
    expect(activeLoopMounts()).toEqual([])
  })

  it('a failed inject (the broker does not start on the image) puts the store back, unmounts and restarts it on the real disk', async () => {
    let restarts = 0
    cluster.onRestart = () => {
      if (restarts++ === 0) throw new Error('broker did not come up')
    }
    const ctx = fakeContext({cluster})
    await expect(action.inject(ctx, brokerTarget('broker-a-0'), params)).rejects.toThrow('broker did not come up')
    expect(cluster.calls).toEqual(['kill:SIGTERM broker-a-0', 'restart broker-a-0', 'restart broker-a-0'])
    expect(lstatSync(storeDir).isDirectory()).toBe(true)
    expect(readFileSync(join(storeDir, 'commitlog', '00000000000000000000'), 'utf8')).toBe('before the fault\n')
    expect(readdirSync(join(dir, 'broker-a-0'))).toEqual(['store'])
    expect(mountedUnder(dir)).toBe(false)
  })

  it('an image too small for the store is refused before the broker is touched', async () => {
    writeFileSync(join(storeDir, 'commitlog', 'big'), Buffer.alloc(12 << 20, 1))
    await expect(action.inject(fakeContext({cluster}), brokerTarget('broker-a-0'), params)).rejects.toThrow(/store already holds \d+ bytes; size 33554432 is too small/)
    expect(cluster.calls).toEqual([])
    expect(existsSync(join(dir, 'broker-a-0', 'disk-full.img'))).toBe(false)
  })
})
