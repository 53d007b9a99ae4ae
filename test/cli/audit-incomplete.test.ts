/**
 * Issue 19 item 9: a final read that runs out of time used to end the run as "broken" (exit 3), or
 * worse, kill it before result.json. It is now a completed run whose verdict has a failing
 * audit-complete row ("audit incomplete: …"), exit 1, with its result.json. The drain's deadline is
 * forced to pass by a drainTimeout of 1 ms plus the floor-rate budget of the acked entries: ~15 sends
 * (10 msg/s) at 10k/s add ~1.5 ms, less than the drain's own connection, route lookup and first pulls take.
 * (With 250 sends the budget was 26 ms, and a drain asking 1024 messages per pull finished inside it.)
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parse, stringify} from 'yaml'
import type {RunResult} from '../../src/report/run-result.js'
import {ensureBuilt, removeDir, runCli, runDirs, stopRunningClis, tempDir, writeSingleMasterScenario} from '../helpers/cli.js'

let dir: string
beforeAll(() => {
  ensureBuilt()
  dir = tempDir('audit-incomplete')
})
afterAll(async () => {
  await stopRunningClis()
  removeDir(dir)
})

describe('a drain that runs out of time', () => {
  it('is an "audit incomplete" verdict row in a written result, exit 1 — not a broken run', async () => {
    const file = writeSingleMasterScenario(dir, {name: 'short-drain', rate: 10, duration: '1s', warmup: '500ms', consumers: 0, seed: 9})
    const scenario = parse(readFileSync(file, 'utf8')) as {workload: Record<string, unknown>}
    scenario.workload['drainTimeout'] = '1ms'
    writeFileSync(file, stringify(scenario))
    const out = join(dir, 'out')
    const r = await runCli(['run', file, '--out', out], {timeoutMs: 120_000})
    expect(r.exitCode, r.stderr).toBe(1)
    const [runDir] = runDirs(out)
    const result = JSON.parse(readFileSync(join(runDir!, 'result.json'), 'utf8')) as RunResult
    expect(result.status).toBe('completed')
    expect(result.audit.valid).toBe('unknown')
    const row = result.verdict.checks.find((c) => c.name === 'audit-complete')!
    expect(row.pass).toBe(false)
    expect(row.observed).toMatch(/audit incomplete: drain deadline passed/)
  }, 150_000)
})
