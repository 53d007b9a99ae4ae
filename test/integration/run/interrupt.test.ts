/**
 * Ctrl-C during load: `mqbench run` must exit 3, leave a result.json with status "interrupted" in
 * its run directory, and leave no broker, namesrv or worker process behind. Two ways: SIGINT to the
 * mqbench process alone (kill -INT <pid>), and to its whole process group, which is what a terminal's
 * Ctrl-C does — then every broker and worker receives SIGINT at the same moment as the orchestrator.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {RunResult} from '../../../src/report/run-result.js'
import {killLeftovers, running} from '../../helpers/pids.js'
import {descendants, ensureBuilt, removeDir, runDirs, startCli, stopRunningClis, tempDir, writeSingleMasterScenario} from '../../helpers/cli.js'

let work: string
const leftovers = new Map<number, string>()

beforeAll(() => {
  ensureBuilt()
  work = tempDir('interrupt')
})

afterAll(async () => {
  await stopRunningClis()
  killLeftovers(leftovers)
  removeDir(work)
})

describe('mqbench run interrupted with SIGINT during load', () => {
  it.each(['process', 'group'] as const)('SIGINT to the %s: exits 3, writes an interrupted result.json and reaps every child', async (target) => {
    const file = writeSingleMasterScenario(work, {name: `interrupt-${target}`, rate: 1000, duration: '60s', warmup: '500ms', seed: 3})
    const out = `${work}/out-${target}`
    const cli = startCli(['run', file, '--out', out], {timeoutMs: 120_000, detached: target === 'group'})
    let stderr = ''
    const loadStarted = new Promise<void>((resolve, reject) => {
      cli.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString()
        if (/^\[load\] /m.test(stderr)) resolve()
      })
      cli.once('exit', () => reject(new Error(`mqbench exited before the load phase:\n${stderr}`)))
    })
    await loadStarted
    await new Promise((r) => setTimeout(r, 1500))

    const children = descendants(cli.pid!)
    for (const [pid, cmd] of children) leftovers.set(pid, cmd)
    const kinds = [...children.values()]
    expect(kinds.some((c) => c.includes('src/broker/main.js'))).toBe(true)
    expect(kinds.some((c) => c.includes('src/broker/namesrv/main.js'))).toBe(true)
    expect(kinds.filter((c) => c.includes('src/workload/worker-main.js'))).toHaveLength(2)

    if (target === 'group') process.kill(-cli.pid!, 'SIGINT')
    else cli.kill('SIGINT')
    const r = await cli
    console.log(`[interrupt] ${target}: exit ${r.exitCode}; children before SIGINT: ${children.size}; stderr tail: ${String(r.stderr).split('\n').slice(-3).join(' | ')}`)
    expect(r.exitCode).toBe(3)
    expect(String(r.stderr)).toMatch(/^Error: run interrupted; partial result in .*result\.json$/m)
    expect(String(r.stderr)).not.toMatch(/^\s+at /m)

    const dirs = runDirs(out)
    expect(dirs).toHaveLength(1)
    const resultFile = `${dirs[0]}/result.json`
    expect(existsSync(resultFile)).toBe(true)
    const result = JSON.parse(readFileSync(resultFile, 'utf8')) as RunResult
    expect(result.status).toBe('interrupted')
    expect(result.verdict.pass).toBe(false)

    const alive = [...children.keys()].filter(running)
    expect(alive.map((pid) => `${pid} ${children.get(pid)}`)).toEqual([])
    const byRunDir = execFileSync('ps', ['-eo', 'pid=,args='], {encoding: 'utf8'}).split('\n').filter((l) => l.includes(dirs[0]!))
    expect(byRunDir).toEqual([])
  }, 150_000)
})
