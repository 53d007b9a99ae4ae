/**
 * <run-dir>/result.json: written once at the end of a run (atomically, so a crash mid-write never leaves
 * a half file that `mqbench report` would misread) and read back by report/compare/audit commands.
 */
import {readFileSync, renameSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {ConfigError, MqbenchError} from '../errors.js'
import {RUN_FILES} from '../recorder/run-dir.js'
import {RUN_RESULT_SCHEMA, type RunResult} from './run-result.js'
import {describeIssues, runResultSchema} from './run-result-schema.js'

export const RESULT_FILE_NAME = RUN_FILES.result
export const INVALID_RESULT_FILE_NAME = RUN_FILES.invalidResult

/** Validates, then writes result.json via a temporary file and rename. Returns the file's path. */
export function writeResult(runDir: string, result: RunResult): string {
  const checked = runResultSchema.safeParse(result)
  if (!checked.success) {
    const invalidPath = join(runDir, INVALID_RESULT_FILE_NAME)
    writeFileSync(invalidPath, JSON.stringify(result, null, 2) + '\n')
    throw new MqbenchError('RESULT_INVALID', `run result does not match ${RUN_RESULT_SCHEMA}: ${describeIssues(checked.error).join('; ')}`, {
      hint: `the unvalidated result was kept in ${invalidPath}`,
      file: invalidPath,
    })
  }
  const path = join(runDir, RESULT_FILE_NAME)
  const tmp = `${path}.tmp-${process.pid}`
  writeFileSync(tmp, JSON.stringify(result, null, 2) + '\n')
  renameSync(tmp, path)
  return path
}

/**
 * `mqbench run --json > result.json` writes the command envelope {status, result, warnings}; every reader
 * takes it as well as a bare result, since that is the file CI naturally keeps.
 */
function unwrapEnvelope(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || 'schema' in data) return data
  const inner = (data as {result?: unknown}).result
  const isEnvelope = 'status' in data && typeof inner === 'object' && inner !== null && (inner as {schema?: unknown}).schema !== undefined
  return isEnvelope ? inner : data
}

/** Reads and validates a result file (a bare result or a --json envelope); a wrong or damaged file is bad input (ConfigError, exit 2). */
export function readResult(path: string): RunResult {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new ConfigError(`cannot read run result ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
      cause: err, hint: 'pass a run directory that contains result.json, or the file itself',
    })
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    throw new ConfigError(`${path} is not JSON: ${err instanceof Error ? err.message : String(err)}`, {cause: err})
  }
  data = unwrapEnvelope(data)
  const schema = typeof data === 'object' && data !== null ? (data as {schema?: unknown}).schema : undefined
  if (schema !== RUN_RESULT_SCHEMA) {
    throw new ConfigError(`${path}: expected schema "${RUN_RESULT_SCHEMA}", got ${JSON.stringify(schema)}`, {
      hint: schema === undefined ? 'this is not an mqbench result file' : 'written by a different mqbench version',
    })
  }
  const checked = runResultSchema.safeParse(data)
  if (!checked.success) {
    throw new ConfigError(`${path} is not a valid ${RUN_RESULT_SCHEMA} result: ${describeIssues(checked.error).join('; ')}`)
  }
  return checked.data
}
