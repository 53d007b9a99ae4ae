import {execFile, spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {afterAll, afterEach, describe, expect, it} from 'vitest'

import {RunBrokenError, TimeoutError} from '../../../src/errors.js'
import {ProcessSupervisor} from '../../../src/process/process-supervisor.js'

const node = process.execPath
const IDLE = 'setInterval(() => {}, 1000)'
const tmp = mkdtempSync(join(tmpdir(), 'mqbench-supervisor-'))
const orchestrator = fileURLToPath(new URL('./fixtures/orchestrator.ts', import.meta.url))
let supervisor = new ProcessSupervisor()

/** Gone = no such pid, or a zombie waiting for an init that may never reap it (containers). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH'
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? false
  } catch {
    return true
  }
}

async function waitUntilGone(pid: number, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (isGone(pid)) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return isGone(pid)
}

afterEach(async () => {
  await supervisor.stopAll(500)
  supervisor = new ProcessSupervisor()
})
afterAll(() => rmSync(tmp, {recursive: true, force: true}))

describe('ProcessSupervisor', () => {
  it('waits for a line, tees output to the log file, and kill -9 really kills', async () => {
    const logFile = join(tmp, 'logs', 'one.log')
    const child = supervisor.spawn('one', node, ['-e', `console.log("hello"); console.error("ready 42"); ${IDLE}`], {logFile})
    expect(child.pid).toBeTypeOf('number')
    await expect(child.waitForLine(/^ready (\d+)$/, 10_000)).resolves.toBe('ready 42')
    // A line printed before the call is still found.
    await expect(child.waitForLine(/hello/, 10)).resolves.toBe('hello')
    expect(child.running).toBe(true)
    child.kill('SIGKILL')
    const info = await child.exited
    expect(info.signal).toBe('SIGKILL')
    expect(child.running).toBe(false)
    expect(isGone(child.pid!)).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 50))
    const log = readFileSync(logFile, 'utf8')
    expect(log).toContain('hello\n')
    expect(log).toContain('ready 42\n')
  })

  it('rejects a readiness wait on timeout and when the process exits first', async () => {
    const quiet = supervisor.spawn('quiet', node, ['-e', IDLE])
    await expect(quiet.waitForLine(/never/, 200)).rejects.toBeInstanceOf(TimeoutError)
    const dying = supervisor.spawn('dying', node, ['-e', 'console.log("bye"); process.exit(3)'])
    const err = await dying.waitForLine(/never/, 10_000).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RunBrokenError)
    expect((err as RunBrokenError).message).toContain('code 3')
    expect((err as unknown as {tail: string[]}).tail).toEqual(['bye'])
  })

  it('reports a command that cannot start instead of hanging', async () => {
    const missing = supervisor.spawn('missing', join(tmp, 'no-such-binary'), [])
    expect((await missing.exited).error).toBeDefined()
    await expect(missing.waitForLine(/x/, 10_000)).rejects.toBeInstanceOf(RunBrokenError)
  })

  it('stop() ends a cooperative child with SIGTERM and a stubborn one with SIGKILL after the grace period', async () => {
    const polite = supervisor.spawn('polite', node, ['-e', `process.on("SIGTERM", () => process.exit(7)); console.log("up"); ${IDLE}`])
    const stubborn = supervisor.spawn('stubborn', node, ['-e', `process.on("SIGTERM", () => {}); console.log("up"); ${IDLE}`])
    await Promise.all([polite.waitForLine(/up/, 10_000), stubborn.waitForLine(/up/, 10_000)])
    expect((await polite.stop(5000)).code).toBe(7)
    expect((await stubborn.stop(300)).signal).toBe('SIGKILL')
  })

  it('pause() resolves once the kernel reports the child stopped, resume() once it runs again', async () => {
    const ticker = supervisor.spawn('ticker', node, ['-e', 'let n = 0; setInterval(() => console.log(`tick ${n++}`), 20)'])
    await ticker.waitForLine(/tick 1/, 10_000)
    await ticker.pause()
    expect(readFileSync(`/proc/${ticker.pid}/stat`, 'utf8').split(') ')[1]![0]).toBe('T')
    // Output written just before the stop may still be in the pipe; let it drain, then nothing may follow.
    await new Promise((resolve) => setTimeout(resolve, 100))
    const ticksWhilePaused = ticker.tail(1)[0]
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(ticker.tail(1)[0]).toBe(ticksWhilePaused)
    await ticker.resume()
    expect(readFileSync(`/proc/${ticker.pid}/stat`, 'utf8').split(') ')[1]![0]).not.toBe('T')
    const n = Number(/tick (\d+)/.exec(ticksWhilePaused!)![1])
    await expect(ticker.waitForLine(new RegExp(`tick ${n + 2}$`), 10_000)).resolves.toBe(`tick ${n + 2}`)
  })

  it('stop() also ends a paused (SIGSTOPped) child', async () => {
    const paused = supervisor.spawn('paused', node, ['-e', `console.log("up"); ${IDLE}`])
    await paused.waitForLine(/up/, 10_000)
    paused.kill('SIGSTOP')
    expect((await paused.stop(5000)).signal).toBe('SIGTERM')
  })

  it('stopAll() leaves no pid alive and a name can be reused after exit', async () => {
    const pids = [0, 1, 2].map((i) => supervisor.spawn(`n${i}`, node, ['-e', IDLE]).pid!)
    expect(() => supervisor.spawn('n0', node, ['-e', IDLE])).toThrow(RunBrokenError)
    await supervisor.stopAll(2000)
    for (const pid of pids) expect(isGone(pid)).toBe(true)
    const again = supervisor.spawn('n0', node, ['-e', IDLE])
    expect(again.pid).not.toBe(pids[0])
  })
})

describe('reaping when the orchestrator goes away', () => {
  // Grandchildren the orchestrator failed to reap are killed here, so a failing test leaks nothing.
  const grandchildren: number[] = []
  afterAll(() => {
    for (const pid of grandchildren) if (!isGone(pid)) process.kill(pid, 'SIGKILL')
  })

  function startOrchestrator(mode: string): Promise<{pid: number; orchestratorExit: Promise<number | null>; kill: (s: NodeJS.Signals) => void}> {
    const proc = spawn(node, ['--import', 'tsx', orchestrator, mode], {stdio: ['ignore', 'pipe', 'pipe']})
    const orchestratorExit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)))
    return new Promise((resolve, reject) => {
      let out = ''
      proc.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        const m = /child (\d+)/.exec(out)
        if (!m) return
        grandchildren.push(Number(m[1]))
        resolve({pid: Number(m[1]), orchestratorExit, kill: (s) => proc.kill(s)})
      })
      proc.once('exit', () => reject(new Error(`orchestrator exited before reporting its child; stdout: ${out}`)))
    })
  }

  it.each(['exit', 'throw'])('reaps the child when the orchestrator does %s', async (mode) => {
    const {pid, orchestratorExit} = await startOrchestrator(mode)
    const code = await orchestratorExit
    expect(code).toBe(mode === 'throw' ? 1 : 0)
    expect(await waitUntilGone(pid)).toBe(true)
  })

  it.each(['SIGINT', 'SIGTERM'] as const)('reaps the child and still dies on %s', async (signal) => {
    const {pid, orchestratorExit, kill} = await startOrchestrator('signal')
    expect(isGone(pid)).toBe(false)
    kill(signal)
    await orchestratorExit
    expect(await waitUntilGone(pid)).toBe(true)
  })

  it('has a fixture that runs (sanity: tsx loader available)', async () => {
    const out = await new Promise<string>((resolve, reject) =>
      execFile(node, ['--import', 'tsx', '-e', 'console.log(1)'], (err, stdout) => (err ? reject(err) : resolve(stdout))),
    )
    expect(out.trim()).toBe('1')
  })
})
