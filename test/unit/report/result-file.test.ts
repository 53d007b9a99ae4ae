import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {ConfigError, ExitCode, MqbenchError} from '../../../src/errors.js'
import {INVALID_RESULT_FILE_NAME, readResult, writeResult} from '../../../src/report/result-file.js'
import {sampleRunResult} from './run-result.fixture.js'

describe('result.json', () => {
  let dir: string
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'mqbench-result-')) })
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  it('round-trips a RunResult and leaves no temporary file behind', () => {
    const result = sampleRunResult()
    const path = writeResult(dir, result)
    expect(path).toBe(join(dir, 'result.json'))
    expect(readdirSync(dir)).toEqual(['result.json'])
    expect(readResult(path)).toEqual(result)
  })

  it('keeps an invalid result aside and reports which field is wrong', () => {
    const result = sampleRunResult()
    result.throughput.sendTps = Number.NaN
    let thrown: unknown
    try { writeResult(dir, result) } catch (err) { thrown = err }
    expect(thrown).toBeInstanceOf(MqbenchError)
    expect((thrown as MqbenchError).code).toBe('RESULT_INVALID')
    expect((thrown as Error).message).toContain('throughput.sendTps')
    expect(existsSync(join(dir, 'result.json'))).toBe(false)
    expect(existsSync(join(dir, INVALID_RESULT_FILE_NAME))).toBe(true)
  })

  const cases: Array<[string, string | undefined, RegExp]> = [
    ['a missing file', undefined, /cannot read run result/],
    ['not JSON', '{"schema": ', /is not JSON/],
    ['another schema', JSON.stringify({schema: 'mqbench.result/v0'}), /expected schema "mqbench.result\/v1", got "mqbench.result\/v0"/],
    ['no schema field', JSON.stringify({runId: 'x'}), /got undefined/],
    ['a damaged v1 result', JSON.stringify({...sampleRunResult(), audit: {}}), /audit\.attempted/],
  ]
  it.each(cases)('refuses %s with a ConfigError (exit 2)', (_name, content, message) => {
    const path = join(dir, 'result.json')
    if (content !== undefined) writeFileSync(path, content)
    let thrown: unknown
    try { readResult(path) } catch (err) { thrown = err }
    expect(thrown).toBeInstanceOf(ConfigError)
    expect((thrown as ConfigError).exitCode).toBe(ExitCode.usage)
    expect((thrown as Error).message).toMatch(message)
  })

  it('writes human-readable JSON', () => {
    const path = writeResult(dir, sampleRunResult())
    expect(readFileSync(path, 'utf8')).toMatch(/^\{\n {2}"schema": "mqbench.result\/v1",\n/)
  })
})
