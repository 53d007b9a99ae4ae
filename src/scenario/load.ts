/**
 * YAML → Scenario. Every failure is a ConfigError of the form
 * `scenario <file>: <path.to.field>: <what was expected>` (exit 2), never a stack trace.
 */
import {readFileSync} from 'node:fs'
import {parseDocument} from 'yaml'
import type {ZodError} from 'zod'
import {ConfigError} from '../errors.js'
import {ScenarioSchema, type Scenario} from './schema.js'

function describeIssue(err: ZodError): {path: string; message: string} {
  const issue = err.issues[0]!
  const path = issue.path.join('.') || '(root)'
  if (issue.code === 'unrecognized_keys') {
    return {path: [...issue.path, issue.keys[0]].join('.'), message: 'unknown field'}
  }
  if (issue.code === 'invalid_type') {
    const message = issue.received === 'undefined' ? `expected ${issue.expected} (required)` : `expected ${issue.expected}, got ${issue.received}`
    return {path, message}
  }
  return {path, message: issue.message}
}

export function parseScenario(text: string, file: string): Scenario {
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
  const parsed = ScenarioSchema.safeParse(raw)
  if (!parsed.success) {
    const {path, message} = describeIssue(parsed.error)
    throw new ConfigError(`scenario ${file}: ${path}: ${message}`)
  }
  return parsed.data
}

export function loadScenarioFile(file: string): Scenario {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new ConfigError(`scenario ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, {
      hint: 'run `mqbench list` for the built-in scenarios, or give a path to a YAML file',
    })
  }
  return parseScenario(text, file)
}
