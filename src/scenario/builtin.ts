/** Built-in scenarios live in <package>/scenarios/*.yaml; a name resolves there, anything else is a path. */
import {existsSync, readdirSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {ConfigError} from '../errors.js'
import {loadScenarioFile, type WorkloadFlag} from './load.js'
import type {Scenario} from './schema.js'

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new ConfigError('cannot find the mqbench package root')
    dir = parent
  }
  return dir
}

export function scenariosDir(): string {
  return join(packageRoot(), 'scenarios')
}

export interface BuiltinScenario {
  name: string
  file: string
  description: string
  /** The command that runs it: scenarios with faults are for `mqbench chaos`. */
  command: 'run' | 'chaos'
  expectedVerdict: 'PASS' | 'FAIL'
}

export function listBuiltinScenarios(): BuiltinScenario[] {
  const dir = scenariosDir()
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => {
      const file = join(dir, f)
      const s = loadScenarioFile(file)
      return {name: f.replace(/\.yaml$/, ''), file, description: s.description, command: s.faults.length > 0 ? 'chaos' : 'run', expectedVerdict: s.expectedVerdict}
    })
}

/** `sync-flush` → scenarios/sync-flush.yaml; `./my.yaml` or `/abs/x.yml` → that file. */
export function resolveScenario(nameOrPath: string, flags: readonly WorkloadFlag[] = []): {scenario: Scenario; file: string} {
  const builtin = join(scenariosDir(), `${nameOrPath}.yaml`)
  if (/^[a-z0-9-]+$/.test(nameOrPath) && existsSync(builtin)) return {scenario: loadScenarioFile(builtin, flags), file: builtin}
  if (/\.ya?ml$/i.test(nameOrPath) || nameOrPath.includes('/')) {
    const file = resolve(nameOrPath)
    return {scenario: loadScenarioFile(file, flags), file}
  }
  const names = listBuiltinScenarios().map((s) => s.name).join(', ')
  throw new ConfigError(`scenario ${nameOrPath}: not a built-in scenario or a .yaml path (built-in: ${names})`)
}
