/**
 * The compiled process entries as a supervisor sees them: one ready line on stdout, exit 0 after
 * SIGTERM (broker: clean store shutdown, abort file removed), exit 2 with one stderr line for bad config.
 */
import {execFileSync, spawn, type ChildProcess} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

const repo = join(import.meta.dirname, '..', '..', '..')
const dir = mkdtempSync(join(tmpdir(), 'mqbench-entry-'))
const children: ChildProcess[] = []

function run(script: string, args: string[]): {child: ChildProcess; out: Promise<{code: number | null; stdout: string; stderr: string}>} {
  const child = spawn(process.execPath, [join(repo, 'dist/src/broker', script), ...args], {stdio: ['ignore', 'pipe', 'pipe']})
  children.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()))
  const out = new Promise<{code: number | null; stdout: string; stderr: string}>((resolve) => child.on('close', (code) => resolve({code, stdout, stderr})))
  return {child, out}
}

async function readyLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = ''
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString()
      const line = buf.split('\n').find((l) => l.includes(' ready '))
      if (line) resolve(line)
    })
    child.on('close', () => reject(new Error(`exited before ready: ${buf}`)))
  })
}

beforeAll(() => {
  if (!existsSync(join(repo, 'dist/src/broker/main.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], {cwd: repo, stdio: 'ignore'})
})

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  rmSync(dir, {recursive: true, force: true})
})

describe('process entries', () => {
  it('namesrv: ready line, exit 0 on SIGTERM', async () => {
    const {child, out} = run('namesrv/main.js', ['--port', '0'])
    expect(await readyLine(child)).toMatch(new RegExp(`^mqbench namesrv ready addr=127\\.0\\.0\\.1:\\d+ pid=${child.pid}$`))
    child.kill('SIGTERM')
    expect((await out).code).toBe(0)
  })

  it('namesrv: a bad flag is one stderr line and exit 2', async () => {
    const r = await run('namesrv/main.js', ['--port', 'x']).out
    expect(r.code).toBe(2)
    expect(r.stderr.trim()).toBe('namesrv: --port: expected an integer 0-65535, got "x"')
  })

  it('broker: bad broker.conf value is one stderr line and exit 2', async () => {
    const conf = join(dir, 'bad.conf')
    writeFileSync(conf, 'brokerName=b\nsyncFlushTimeout=5s\n')
    const r = await run('main.js', ['-c', conf]).out
    expect(r.code).toBe(2)
    expect(r.stderr.trim()).toBe('bad.conf: syncFlushTimeout: expected a non-negative integer (ms), got "5s"')
    const missing = await run('main.js', []).out
    expect([missing.code, missing.stderr.trim()]).toEqual([2, 'broker: -c <broker.conf>: expected the path of a broker.conf file'])
  })

  it('broker: ready line with its identity; SIGTERM stops cleanly and removes the abort file', async () => {
    const store = join(dir, 'store')
    const conf = join(dir, 'ok.conf')
    writeFileSync(conf, `brokerName=bx\nlistenPort=0\nstorePathRootDir=${store}\nmappedFileSizeCommitLog=1048576\nflushDiskType=SYNC_FLUSH\n`)
    const {child, out} = run('main.js', ['-c', conf])
    expect(await readyLine(child)).toMatch(new RegExp(`^mqbench broker ready name=bx id=0 addr=127\\.0\\.0\\.1:\\d+ role=ASYNC_MASTER flush=SYNC_FLUSH pid=${child.pid}$`))
    expect(existsSync(join(store, 'abort'))).toBe(true)
    child.kill('SIGTERM')
    expect((await out).code).toBe(0)
    expect(existsSync(join(store, 'abort'))).toBe(false)
    expect(existsSync(join(store, 'config', 'topics.json'))).toBe(true)
  })
})
