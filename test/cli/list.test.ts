/**
 * `mqbench list`: every scenario file in scenarios/ (at least the six flush × role built-ins of issue 4),
 * one line each with its description; --json as data.
 */
import {readdirSync} from 'node:fs'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {REPO, ensureBuilt, parseJsonOutput, runCli} from '../helpers/cli.js'

const SIX = ['async-flush', 'async-flush-async-master', 'async-flush-sync-master', 'sync-flush', 'sync-flush-async-master', 'sync-flush-sync-master']
const BUILTINS = readdirSync(join(REPO, 'scenarios')).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort()

beforeAll(() => ensureBuilt())

describe('mqbench list', () => {
  it('the six flush × role built-ins are among the files in scenarios/', () => {
    expect(BUILTINS).toEqual(expect.arrayContaining(SIX))
  })

  it('prints one line per built-in: name, then its description; exit 0', async () => {
    const r = await runCli(['list'])
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toBe('')
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines.map((l) => l.split(/\s+/)[0]).sort()).toEqual(BUILTINS)
    for (const l of lines) expect(l).toMatch(/^[a-z-]+ {2,}\S.{10,}$/)
  })

  it('says which command runs each scenario, and which must FAIL (issue 18)', async () => {
    const lines = (await runCli(['list'])).stdout.trimEnd().split('\n')
    const line = (name: string) => lines.find((l) => l.startsWith(`${name} `))!
    expect(line('sync-flush')).toMatch(/^sync-flush +run +Single master/)
    expect(line('power-loss')).toMatch(/^power-loss +chaos +Power cuts/)
    expect(line('fsync-lie')).toMatch(/^fsync-lie +chaos +expected FAIL +The master's disk/)
  })

  it('--json: {status: 0, result: [{name, file, description}]}', async () => {
    const r = await runCli(['list', '--json'])
    expect(r.exitCode).toBe(0)
    const out = parseJsonOutput<{status: number; result: Array<{name: string; file: string; description: string}>; warnings: string[]}>(r.stdout)
    expect(out.status).toBe(0)
    expect(out.warnings).toEqual([])
    expect(out.result.map((s) => s.name).sort()).toEqual(BUILTINS)
    for (const s of out.result) {
      expect(s.file).toBe(join(REPO, 'scenarios', `${s.name}.yaml`))
      expect(s.description.length).toBeGreaterThan(10)
    }
  })
})
