/**
 * Unknown scenarios and malformed scenario files are usage errors (exit 2) with exactly one line and
 * no stack trace. Each test/fixtures/scenarios/<name>.yaml is paired with <name>.expected, the exact
 * message (`<file>` stands for the absolute path of the YAML file).
 */
import {readFileSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {REPO, ensureBuilt, parseJsonOutput, removeDir, runCli, runDirs, tempDir} from '../helpers/cli.js'

const FIXTURES = join(REPO, 'test', 'fixtures', 'scenarios')
const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml')).sort().map((f) => {
  const file = join(FIXTURES, f)
  const expected = readFileSync(file.replace(/\.yaml$/, '.expected'), 'utf8').trimEnd().replaceAll('<file>', file)
  return {name: f.replace(/\.yaml$/, ''), file, expected}
})

let out: string
beforeAll(() => {
  ensureBuilt()
  out = tempDir('scenario-errors')
})
afterAll(() => removeDir(out))

describe('mqbench run: scenario errors', () => {
  it('has a fixture per kind of mistake, each with its expected message', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10)
    for (const f of fixtures) expect(f.expected).not.toContain('\n')
  })

  it('an unknown scenario name → exit 2, lists the built-ins', async () => {
    const r = await runCli(['run', 'no-such-scenario', '--out', out])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/^Error: scenario no-such-scenario: not a built-in scenario or a \.yaml path \(built-in: [a-z-]+(, [a-z-]+)+\)\n$/)
    const json = await runCli(['run', 'no-such-scenario', '--out', out, '--json'])
    expect(json.exitCode).toBe(2)
    expect(parseJsonOutput<{status: number; error: {code: string}}>(json.stdout)).toMatchObject({status: 2, error: {code: 'CONFIG'}})
  })

  it('a missing scenario file → exit 2 with a hint', async () => {
    const r = await runCli(['run', join(out, 'missing.yaml'), '--out', out])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toBe(`Error: scenario ${join(out, 'missing.yaml')}: cannot be read (ENOENT)\n` +
      'Hint: run `mqbench list` for the built-in scenarios, or give a path to a YAML file\n')
  })

  it.each(fixtures)('fixture $name → exit 2 and exactly its one-line error', async ({file, expected}) => {
    const r = await runCli(['run', file, '--out', out])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toBe(`Error: ${expected}\n`)
    expect(r.stdout).toBe('')
    const json = await runCli(['run', file, '--out', out, '--json'])
    expect(json.exitCode).toBe(2)
    expect(parseJsonOutput<{status: number; error: {message: string}}>(json.stdout)).toMatchObject({status: 2, error: {message: expected}})
    // A refused scenario starts nothing and leaves no run directory behind.
    expect(runDirs(out)).toEqual([])
  })
})
