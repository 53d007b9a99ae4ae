/**
 * Every command's flags and args, pinned in test/contract/commands.snapshot.json (as sf-plugins keep
 * command-snapshot.json): adding, renaming or dropping a flag is a visible diff in review, never an
 * accident. After an intended change: MQBENCH_UPDATE_SNAPSHOT=1 npx vitest run test/cli/command-snapshot.test.ts
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Config} from '@oclif/core'
import {beforeAll, describe, expect, it} from 'vitest'
import {ensureBuilt, REPO} from '../helpers/cli.js'

const SNAPSHOT = join(REPO, 'test', 'contract', 'commands.snapshot.json')

interface CommandSnapshot {
  command: string
  args: string[]
  flags: Array<{name: string; type: string; char?: string; options?: readonly string[]; multiple?: boolean; required?: boolean; default?: unknown}>
}

async function currentSnapshot(): Promise<CommandSnapshot[]> {
  const config = await Config.load(REPO)
  return config.commands
    .filter((c) => c.pluginName === 'mqbench')
    .map((c) => ({
      command: c.id,
      args: Object.keys(c.args ?? {}),
      flags: Object.entries(c.flags ?? {}).map(([name, f]) => ({
        name, type: f.type,
        ...(f.char ? {char: f.char} : {}),
        ...(f.type === 'option' && f.options ? {options: f.options} : {}),
        ...(f.type === 'option' && f.multiple ? {multiple: true} : {}),
        ...(f.required ? {required: true} : {}),
        ...(typeof f.default === 'string' || typeof f.default === 'number' || typeof f.default === 'boolean' ? {default: f.default} : {}),
      })).sort((a, b) => a.name.localeCompare(b.name)),
    }))
    .sort((a, b) => a.command.localeCompare(b.command))
}

beforeAll(() => ensureBuilt())

describe('commands.snapshot.json', () => {
  it('matches every command, its args and its flags', async () => {
    const current = await currentSnapshot()
    if (process.env.MQBENCH_UPDATE_SNAPSHOT === '1') writeFileSync(SNAPSHOT, JSON.stringify(current, null, 2) + '\n')
    const committed = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as CommandSnapshot[]
    expect(current).toEqual(committed)
    // The snapshot covers the audit command and the run flags a CI pipeline depends on.
    expect(current.map((c) => c.command)).toEqual(expect.arrayContaining(['audit', 'run', 'chaos', 'report', 'compare', 'list']))
    expect(current.find((c) => c.command === 'run')!.flags.map((f) => f.name)).toEqual(expect.arrayContaining(['json', 'rate', 'threshold', 'out']))
  })
})
