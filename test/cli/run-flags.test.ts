/**
 * Bad flag values are usage errors: one line on stderr naming the flag, exit 2, no stack trace;
 * under --json the same error as {status: 2, error: {code, message, ...}} on stdout.
 */
import {beforeAll, describe, expect, it} from 'vitest'
import {ensureBuilt, parseJsonOutput, runCli} from '../helpers/cli.js'

beforeAll(() => ensureBuilt())

const CASES: Array<{args: string[]; flag: string}> = [
  {args: ['--rate', 'fast'], flag: '--rate'},
  {args: ['--duration', 'x'], flag: '--duration'},
  {args: ['--size', 'huge'], flag: '--size'},
  {args: ['--producers', '0'], flag: '--producers'},
  {args: ['--consumers', 'two'], flag: '--consumers'},
  {args: ['--seed', '1.5'], flag: '--seed'},
  {args: ['--flush', 'SOMETIMES'], flag: '--flush'},
  {args: ['--send-mode', 'carrier-pigeon'], flag: '--send-mode'},
  // Flags pass the scenario schema (issue 18): the 4 MiB limit, a positive duration, a unit on every duration.
  {args: ['--size', '10MB'], flag: '--size'},
  {args: ['--size', '5GB'], flag: '--size'},
  {args: ['--duration', '0'], flag: '--duration'},
  {args: ['--duration', '10'], flag: '--duration'},
]

describe('mqbench run: bad flag values', () => {
  it.each(CASES)('$args → exit 2, one line naming $flag', async ({args, flag}) => {
    const r = await runCli(['run', 'async-flush', ...args])
    expect(r.exitCode).toBe(2)
    expect(r.stdout).toBe('')
    const lines = r.stderr.trimEnd().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^Error: /)
    expect(lines[0]).toContain(flag)
  })

  it.each(CASES)('$args --json → exit 2, {status: 2, error} naming $flag', async ({args, flag}) => {
    const r = await runCli(['run', 'async-flush', ...args, '--json'])
    expect(r.exitCode).toBe(2)
    const out = parseJsonOutput<{status: number; error: {code: string; message: string}}>(r.stdout)
    expect(out.status).toBe(2)
    expect(typeof out.error.code).toBe('string')
    expect(out.error.message).toContain(flag)
    expect(out.error.message).not.toContain('\n')
    expect(r.stdout).not.toMatch(/^\s+at /m)
  })

  it('a flag gets the same rule and wording as the scenario key it sets', async () => {
    expect((await runCli(['run', 'async-flush', '--size', '10MB'])).stderr).toBe("Error: --size: expected at most 4MiB (the broker's maxMessageSize), got \"10MB\"\n")
    expect((await runCli(['run', 'async-flush', '--duration', '10'])).stderr)
      .toBe('Error: --duration: expected a duration with a unit like 10s or 10ms, got "10" (a bare number has no unit)\n')
  })

  it('--max-regression renders whole in --help (oclif cuts a placeholder at its first comma or space)', async () => {
    for (const command of ['run', 'compare']) {
      const help = (await runCli([command, '--help'])).stdout
      expect(help).toContain('--max-regression=<percent>')
      expect(help).not.toContain('<percent, e.g.')
    }
  })

  it('an unknown flag and a missing scenario argument are usage errors too', async () => {
    const unknown = await runCli(['run', 'async-flush', '--bogus'])
    expect(unknown.exitCode).toBe(2)
    expect(unknown.stderr).toBe('Error: Nonexistent flag: --bogus\n')
    const missing = await runCli(['run', '--json'])
    expect(missing.exitCode).toBe(2)
    expect(parseJsonOutput<{status: number}>(missing.stdout).status).toBe(2)
  })
})
