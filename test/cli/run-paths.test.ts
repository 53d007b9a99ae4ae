/**
 * Issue 19 items 6 and 7: every path and interval is checked before the run. A path that can never be
 * written (under /proc, under a regular file) is exit 2 with one line naming its flag or key — not a
 * 100 % CPU spin (Node's recursive mkdir on /proc), a raw errno (exit 3), or a JUnit file lost after
 * the whole run. A broker.conf interval beyond a Node timer's 2^31-1 ms, or a non-loopback brokerIP1,
 * is exit 2 naming the key.
 */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ensureBuilt, removeDir, runCli, runDirs, stopRunningClis, tempDir, writeSingleMasterScenario} from '../helpers/cli.js'

let dir: string
let aFile: string
beforeAll(() => {
  ensureBuilt()
  dir = tempDir('run-paths')
  aFile = join(dir, 'plain-file')
  writeFileSync(aFile, 'not a directory')
})
afterAll(async () => {
  await stopRunningClis()
  removeDir(dir)
})

async function expectUsageError(args: string[], names: string): Promise<void> {
  const r = await runCli(args, {timeoutMs: 30_000})
  expect(r.exitCode, r.stderr).toBe(2)
  const lines = r.stderr.trimEnd().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toContain(names)
}

describe('paths are checked before the run', () => {
  it('--out under /proc: exit 2 naming --out (it used to spin at 100 % CPU)', async () => {
    await expectUsageError(['run', 'async-flush', '--out', '/proc/mqbench-no-such-dir'], '--out')
  })

  it('--out under a regular file: exit 2 naming --out, not a raw errno', async () => {
    await expectUsageError(['run', 'async-flush', '--out', join(aFile, 'runs')], '--out')
  })

  it('an unwritable --junit is found before the run, not after it', async () => {
    const out = join(dir, 'junit-out')
    await expectUsageError(['run', 'async-flush', '--out', out, '--junit', join(aFile, 'junit.xml')], '--junit')
    expect(runDirs(out)).toEqual([])
  })

  it('storePathRootDir under /proc: exit 2 naming the key', async () => {
    const file = writeSingleMasterScenario(dir, {name: 'proc-store', rate: 100, duration: '2s', conf: {storePathRootDir: '/proc/mqbench-store'}})
    await expectUsageError(['run', file, '--out', join(dir, 'o1')], 'storePathRootDir')
  })
})

describe('broker.conf intervals and addresses are checked at parse time', () => {
  it('an interval above 2^31-1 ms is exit 2 naming the key (it used to become 1 ms)', async () => {
    const file = writeSingleMasterScenario(dir, {name: 'overflow', rate: 100, duration: '2s', conf: {flushIntervalCommitLog: 2 ** 31}})
    await expectUsageError(['run', file, '--out', join(dir, 'o2')], 'flushIntervalCommitLog')
  })

  it('a non-loopback brokerIP1 is exit 2 naming the key, not exit 3', async () => {
    const file = writeSingleMasterScenario(dir, {name: 'ip', rate: 100, duration: '2s', conf: {brokerIP1: '10.11.12.13'}})
    await expectUsageError(['run', file, '--out', join(dir, 'o3')], 'brokerIP1')
  })
})
