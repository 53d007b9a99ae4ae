/**
 * YAML → Scenario. Every failure is a ConfigError of the form
 * `scenario <file>: <path.to.field>: <what was expected>` (exit 2), never a stack trace.
 */
import {readFileSync} from 'node:fs'
import {parseDocument} from 'yaml'
import type {ZodError} from 'zod'
import {ConfigError} from '../errors.js'
import {ScenarioSchema, type Scenario} from './schema.js'

/**
 * A command-line flag that sets a workload key. It is written into the document before the schema
 * runs, so a flag meets exactly the validation the file does (`--size 10MB` hits the same 4 MiB
 * limit as `messageSize: 10MB`), and its error names the flag instead of the key.
 */
export interface WorkloadFlag {
  flag: string
  key: 'rate' | 'duration' | 'messageSize' | 'producers' | 'consumers'
  value: string | number
}

function describeIssue(err: ZodError): {path: string; message: string} {
  const issue = err.issues[0]!
  const path = issue.path.join('.') || '(root)'
  if (issue.code === 'unrecognized_keys') {
    return {path: [...issue.path, issue.keys[0]].join('.'), message: 'unknown field'}
  }
  // Our own messages (lower-case 'expected …') say more than zod's generic type names.
  if (issue.code === 'invalid_type' && !issue.message.startsWith('expected')) {
    const message = issue.received === 'undefined' ? `expected ${issue.expected} (required)` : `expected ${issue.expected}, got ${issue.received}`
    return {path, message}
  }
  return {path, message: issue.message}
}

function withFlags(raw: Record<string, unknown>, flags: readonly WorkloadFlag[]): Record<string, unknown> {
  if (flags.length === 0) return raw
  const workload = raw['workload'] && typeof raw['workload'] === 'object' ? raw['workload'] as Record<string, unknown> : {}
  return {...raw, workload: {...workload, ...Object.fromEntries(flags.map((f) => [f.key, f.value]))}}
}

/** `--size: expected at most 4MiB, got "10MB"`: the same message the key would get, naming the flag. */
function flagMessage(flag: WorkloadFlag, message: string): string {
  const text = message.replace(/^expected number, got string$/, 'expected a number')
  return `${flag.flag}: ${text}${text.includes(', got ') ? '' : `, got ${JSON.stringify(String(flag.value))}`}`
}

export function parseScenario(text: string, file: string, flags: readonly WorkloadFlag[] = []): Scenario {
  const doc = parseDocument(text, {prettyErrors: true, uniqueKeys: true})
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!
    const line = e.linePos?.[0]?.line
    throw new ConfigError(`scenario ${file}: line ${line ?? '?'}: invalid YAML (${e.message.split('\n')[0]!.replace(/ at line.*/, '')})`)
  }
  const raw: unknown = doc.toJS()
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(`scenario ${file}: (root): expected a mapping with name, description, cluster, workload`)
  }
  const parsed = ScenarioSchema.safeParse(withFlags(raw as Record<string, unknown>, flags))
  if (!parsed.success) {
    const {path, message} = describeIssue(parsed.error)
    const flag = flags.find((f) => path === `workload.${f.key}`)
    throw new ConfigError(flag ? flagMessage(flag, message) : `scenario ${file}: ${path}: ${message}`)
  }
  return parsed.data
}

export function loadScenarioFile(file: string, flags: readonly WorkloadFlag[] = []): Scenario {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new ConfigError(`scenario ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, {
      hint: 'run `mqbench list` for the built-in scenarios, or give a path to a YAML file',
    })
  }
  return parseScenario(text, file, flags)
}
