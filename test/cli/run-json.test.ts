/**
 * `mqbench run --json`: stdout is exactly one JSON document {status, result, warnings} whose result
 * matches the committed contract test/contract/run-result.schema.json and equals the run's result.json.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {RunResult} from '../../src/report/run-result.js'
import {REPO, ensureBuilt, parseJsonOutput, readOnlyResult, removeDir, runCli, stopRunningClis, tempDir} from '../helpers/cli.js'
import {validate} from '../unit/report/mini-json-schema.js'

let out: string
beforeAll(() => {
  ensureBuilt()
  out = tempDir('run-json')
})
afterAll(async () => {
  await stopRunningClis()
  removeDir(out)
})

describe('mqbench run --json', () => {
  it('prints a result that matches run-result.schema.json; nothing else on stdout', async () => {
    const r = await runCli(['run', 'async-flush', '--rate', '200', '--duration', '1s', '--seed', '5', '--out', out, '--json'], {timeoutMs: 90_000})
    expect(r.exitCode).toBe(0)
    const envelope = parseJsonOutput<{status: number; result: RunResult; warnings: string[]}>(r.stdout)
    expect(envelope.status).toBe(0)
    expect(Array.isArray(envelope.warnings)).toBe(true)
    const schema = JSON.parse(readFileSync(join(REPO, 'test', 'contract', 'run-result.schema.json'), 'utf8')) as Record<string, unknown>
    expect(validate(schema, envelope.result)).toEqual([])
    expect(envelope.result).toEqual(readOnlyResult(out))
    expect(envelope.result).toMatchObject({schema: 'mqbench.result/v1', status: 'completed', target: 'embedded', scenario: {name: 'async-flush'}})
    expect(envelope.result.throughput.targetRate).toBe(200)
    expect(envelope.result.throughput.durationS).toBe(1)
    // --json silences the human output: no phase lines, no tables.
    expect(r.stderr).not.toMatch(/^\[(prepare|cluster|load)\]/m)
  }, 120_000)
})
