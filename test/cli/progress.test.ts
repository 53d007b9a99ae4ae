/**
 * Issue 18 item 7: the live progress line (drawn only on a TTY, so the CLI runs under `script`, which
 * gives it a pseudo-terminal) prints a second only once every worker reported it: a steady run never
 * shows `send 0/s`. It counts the load phase (not the warm-up) against its length, with an ETA.
 */
import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {CLI, ensureBuilt, removeDir, stopRunningClis, tempDir} from '../helpers/cli.js'

function hasScript(): boolean {
  try {
    execFileSync('script', ['--version'], {stdio: 'ignore'})
    return true
  } catch {
    return false
  }
}

const scriptAvailable = hasScript()
if (!scriptAvailable) console.warn('SKIPPED test/cli/progress.test.ts: `script` (util-linux) is needed to give mqbench a terminal')
const suite = scriptAvailable ? describe : describe.skip

let dir: string
beforeAll(() => {
  ensureBuilt()
  dir = tempDir('progress')
})
afterAll(async () => {
  await stopRunningClis()
  removeDir(dir)
})

suite('mqbench run: live progress on a terminal', () => {
  it('one line per complete second of the load phase, never 0/s in a steady run, with ETA and consume rate', async () => {
    const typescript = join(dir, 'tty.log')
    const command = `${process.execPath} ${CLI} run async-flush --rate 500 --duration 5s --out ${join(dir, 'runs')}`
    // `script` runs the CLI on a pseudo-terminal and writes everything it drew to the log file; on its
    // timeout mqbench gets SIGHUP/SIGTERM like a closed terminal and reaps its own children.
    execFileSync('script', ['-qec', command, typescript], {stdio: 'ignore', timeout: 90_000, env: {...process.env, COLUMNS: '200', NODE_ENV: 'production'}})
    const drawn = readFileSync(typescript, 'utf8').split(/\r|\n/).filter((l) => /^\[load\] \d+s\//.test(l))
    expect(drawn.length).toBeGreaterThanOrEqual(3)
    for (const line of drawn) {
      expect(line).toMatch(/^\[load\] \d+s\/5s {2}ETA \d+s {2}send [\d,]+\/s {2}consume [\d,]+\/s {2}p99 [\d.,]+ms {2}errors \d+/)
      expect(line).not.toMatch(/send 0\/s/)
    }
    const seconds = drawn.map((l) => Number(/^\[load\] (\d+)s/.exec(l)![1]))
    expect(seconds).toEqual([...seconds].sort((a, b) => a - b))
    expect(Math.max(...seconds)).toBeLessThanOrEqual(5)
  }, 120_000)
})
