/**
 * faultfs's contract, driven by a plain test process through Node's fs (open/write/fsync/rename/unlink,
 * as a broker does) against a real mount, plus the Go suite (`go test`), whose mount tests add the
 * mmap + msync checks Node cannot make. Needs root, /dev/fuse and the built helper; without them the
 * suite skips LOUDLY.
 */
import {execFileSync, spawn} from 'node:child_process'
import {closeSync, existsSync, fdatasyncSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync} from 'node:fs'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {faultfsBinary, faultfsProblems} from '../../../src/cluster/faultfs/faultfs-binary.js'
import {clearStaleMounts, FaultFsMount, faultfsMountsUnder} from '../../../src/cluster/faultfs/faultfs-mount.js'

const problems = faultfsProblems()
if (problems.length > 0) console.warn(`faultfs contract tests SKIPPED: ${problems.join('; ')}`)
const suite = problems.length > 0 ? describe.skip : describe

let work: string
let mounts: FaultFsMount[] = []

function fresh(name: string): {m: FaultFsMount; p: (f: string) => string; disk: (f: string) => string | undefined} {
  const dir = join(work, name)
  const m = new FaultFsMount({backing: join(dir, 'disk'), mountPoint: join(dir, 'mnt'), logFile: join(dir, 'faultfs.log'), control: join(dir, 'c.sock'), seed: 5})
  mounts.push(m)
  return {
    m,
    p: (f) => join(dir, 'mnt', f),
    disk: (f) => (existsSync(join(dir, 'disk', f)) ? readFileSync(join(dir, 'disk', f), 'utf8') : undefined),
  }
}

function write(path: string, text: string, how: 'none' | 'fsync' | 'fdatasync' = 'none', flags = 'w'): void {
  const fd = openSync(path, flags)
  try {
    writeSync(fd, text)
    if (how === 'fsync') fsyncSync(fd)
    if (how === 'fdatasync') fdatasyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

function syncDir(path: string): void {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

function errno(fn: () => void): string | undefined {
  try {
    fn()
    return undefined
  } catch (err) {
    return (err as NodeJS.ErrnoException).code
  }
}

suite('faultfs through a real mount', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'faultfs-contract-'))
  })
  afterEach(async () => {
    for (const m of mounts) await m.unmount()
    mounts = []
  })
  afterAll(() => {
    expect(faultfsMountsUnder(work)).toEqual([])
    rmSync(work, {recursive: true, force: true})
  })

  it('written-unsynced data is readable before the cut and gone after it; fsynced and fdatasynced data survive', async () => {
    const {m, p, disk} = fresh('cut')
    await m.mount()
    write(p('synced'), 'kept', 'fsync')
    write(p('datasynced'), 'kept too', 'fdatasync')
    write(p('synced'), '+lost', 'none', 'a')
    write(p('never'), 'lost', 'none')
    expect(readFileSync(p('synced'), 'utf8')).toBe('kept+lost')
    expect(readFileSync(p('never'), 'utf8')).toBe('lost')
    expect((await m.stats()).dirtyFiles).toBe(2)
    const r = await m.cut()
    expect(r.droppedFiles).toBe(2)
    expect(r.droppedBytes).toBeGreaterThan(0)
    expect(disk('synced')).toBe('kept')
    expect(disk('datasynced')).toBe('kept too')
    expect(disk('never')).toBeUndefined()
    expect(faultfsMountsUnder(join(work, 'cut'))).toEqual([])
  })

  it('a clean unmount lands every unsynced byte, as a kernel does', async () => {
    const {m, p, disk} = fresh('clean')
    await m.mount()
    write(p('f'), 'unsynced but cleanly unmounted')
    await m.unmount()
    expect(disk('f')).toBe('unsynced but cleanly unmounted')
  })

  it('rename and unlink vanish at a cut unless the directory was fsynced', async () => {
    const {m, p, disk} = fresh('meta')
    await m.mount()
    mkdirSync(p('d'))
    syncDir(p(''))
    write(p('d/ckpt'), 'v1', 'fsync')
    write(p('d/gone'), 'x', 'fsync')
    syncDir(p('d'))
    write(p('d/ckpt.tmp'), 'v2', 'fsync')
    renameSync(p('d/ckpt.tmp'), p('d/ckpt'))
    unlinkSync(p('d/gone'))
    expect(readFileSync(p('d/ckpt'), 'utf8')).toBe('v2')
    expect(existsSync(p('d/gone'))).toBe(false)
    await m.cut()
    expect(disk('d/ckpt')).toBe('v1')
    expect(disk('d/gone')).toBe('x')
    await m.mount()
    renameSync(p('d/ckpt.tmp'), p('d/ckpt'))
    unlinkSync(p('d/gone'))
    syncDir(p('d'))
    await m.cut()
    expect(disk('d/ckpt')).toBe('v2')
    expect(disk('d/gone')).toBeUndefined()
  })

  it('each disk fault fails what it should until heal; fsync-lie persists nothing', async () => {
    const {m, p, disk} = fresh('faults')
    await m.mount()
    mkdirSync(p('commitlog'))
    write(p('commitlog/0'), 'base', 'fsync')
    syncDir(p('commitlog'))
    syncDir(p(''))
    const fd = openSync(p('commitlog/0'), 'r+')
    const w = (): void => void writeSync(fd, 'w', 0)
    const s = (): void => fsyncSync(fd)
    const cases: Array<[string, () => void, string]> = [
      ['eio op=write match=commitlog/', w, 'EIO'], ['eio op=fsync', s, 'EIO'], ['enospc', w, 'ENOSPC'], ['torn-write', () => void writeSync(fd, 'x'.repeat(100), 0), 'EIO'],
    ]
    for (const [cmd, op, code] of cases) {
      await m.command(cmd)
      expect(errno(op), cmd).toBe(code)
      await m.command('heal')
      expect(errno(op), `${cmd} after heal`).toBeUndefined()
    }
    await m.command('eio op=both match=consumequeue/')
    expect(errno(w), 'a fault matching another directory').toBeUndefined()
    await m.command('heal')
    await expect(m.command('eio op=read')).rejects.toThrow(/op=read/)
    await m.command('slow-fsync delayMs=80')
    const start = performance.now()
    s()
    expect(performance.now() - start).toBeGreaterThanOrEqual(80)
    await m.command('heal')
    writeSync(fd, 'LIED', 0)
    await m.command('fsync-lie')
    s()
    closeSync(fd)
    await m.cut()
    expect(disk('commitlog/0')?.startsWith('LIED')).toBe(false)
  })

  it('a torn cut keeps a seeded random subset of unsynced pages and prints its seed', async () => {
    const {m, p} = fresh('torn')
    await m.mount()
    write(p('f'), '', 'fsync')
    syncDir(p(''))
    const pages = 64
    const data = Buffer.alloc(pages * 4096)
    for (let i = 0; i < pages; i++) data.fill(65 + (i % 26), i * 4096, (i + 1) * 4096)
    writeFileSync(p('f'), data)
    const seed = Date.now() % 2 ** 31
    console.log(`faultfs torn cut: seed ${seed}`)
    const r = await m.cut(seed)
    expect(r.seed).toBe(seed)
    expect(r.keptBytes, `seed ${seed}`).toBeGreaterThan(0)
    expect(r.droppedBytes, `seed ${seed}`).toBeGreaterThan(0)
    expect(readFileSync(m.opts.logFile, 'utf8')).toContain(`"seed":${seed}`)
  })

  it('a mount whose helper died is found and cleared by clearStaleMounts; a live one is left alone', async () => {
    const dir = join(work, 'stale')
    mkdirSync(join(dir, 'disk'), {recursive: true})
    mkdirSync(join(dir, 'mnt'), {recursive: true})
    const live = fresh('stale-live')
    await live.m.mount()
    const child = spawn(faultfsBinary(), ['-backing', join(dir, 'disk'), '-mountpoint', join(dir, 'mnt'), '-control', join(dir, 'c.sock')], {stdio: 'pipe'})
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (b: Buffer) => b.toString().includes('faultfs ready') && resolve())
        child.once('exit', () => reject(new Error('faultfs exited before ready')))
      })
    } finally {
      child.kill('SIGKILL')
    }
    await new Promise((r) => child.once('exit', r))
    expect(faultfsMountsUnder(dir)).toEqual([join(dir, 'mnt')])
    expect(clearStaleMounts(work)).toEqual([join(dir, 'mnt')])
    expect(faultfsMountsUnder(dir)).toEqual([])
    expect(faultfsMountsUnder(join(work, 'stale-live'))).toHaveLength(1)
  })
})

const goProblem = (() => {
  try {
    execFileSync('go', ['version'], {stdio: 'ignore'})
    return undefined
  } catch {
    return '`go` is not on PATH'
  }
})()
if (goProblem) console.warn(`faultfs Go suite SKIPPED: ${goProblem}`)

;(goProblem ? describe.skip : describe)('faultfs Go suite (unit tests; mount tests with mmap + msync when root)', () => {
  it('go test passes', () => {
    const out = execFileSync('go', ['test', '-count=1', '-v', '.'], {cwd: join(import.meta.dirname, '..', '..', '..', 'faultfs'), encoding: 'utf8', timeout: 300_000})
    const lines = out.split('\n').filter((l) => /^(--- |ok|FAIL|.*seed)/.test(l))
    console.log(lines.join('\n'))
    expect(out).toMatch(/^ok\s/m)
    expect(out).not.toMatch(/--- FAIL/)
  }, 320_000)
})
