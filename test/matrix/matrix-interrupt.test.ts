/**
 * Ctrl-C during a matrix keeps every finished cell: result.json, report.html and a partial table are
 * written, the unfinished cell is marked interrupted, exit 3.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {MatrixResult} from '../../src/matrix/matrix-result.js'
import {ensureBuilt, processesWith, removeDir, startCli, stopRunningClis, tempDir} from '../helpers/cli.js'

let work: string
beforeAll(() => {
  ensureBuilt()
  work = tempDir('matrix-interrupt')
})
afterAll(async () => {
  await stopRunningClis()
  removeDir(work)
})

describe('mqbench matrix: Ctrl-C', () => {
  it('keeps the finished cell and writes a partial table', async () => {
    const out = join(work, 'out')
    const marker = `interrupt-${process.pid}`
    const child = startCli(['matrix', '--cells', 'SYNC_FLUSH/single,ASYNC_FLUSH/single', '--budget', '1s', '--max-p99', '500ms', '--seed', '5', '--out', out],
      {timeoutMs: 300_000, env: {MQBENCH_CHAOS_TEST: marker}})
    let stderr = ''
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString()
        // The first cell is finished once the second one's power cut starts.
        if (/\[matrix\] ASYNC_FLUSH\/single: power cut/.test(stderr)) resolve()
      })
      void child.then(() => reject(new Error(`matrix ended before the second cell's power cut:\n${stderr}`)))
    })
    child.kill('SIGINT')
    const r = await child
    expect(r.exitCode).toBe(3)
    expect(processesWith(`MQBENCH_CHAOS_TEST=${marker}`)).toEqual([])
    expect(String(r.stdout)).toContain('mqbench matrix (interrupted')
    const dir = join(out, readdirSync(out)[0]!)
    const m = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as MatrixResult
    expect(m.status).toBe('interrupted')
    expect(m.cells[0]!.status).toBe('completed')
    expect(m.cells[0]!.powerCut.verdict).toBe('PASS')
    expect(m.cells[1]!.status).toBe('interrupted')
    expect(m.cells[1]!.powerCut.verdict).toBe('NOT-RUN')
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('SYNC_FLUSH/single')
  }, 320_000)
})
