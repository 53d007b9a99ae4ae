/**
 * What decides a run's exit code in CI, shared by run and chaos: the verdict, the thresholds, and
 * (with --baseline) the comparison with an earlier result; then the JUnit file. The baseline is read
 * before the run so a wrong path is exit 2 at once, not after minutes of load.
 */
import {ExitCode} from '../errors.js'
import {renderComparison, type Comparison} from '../report/compare.js'
import {compareWithNoise, readRun} from '../report/compare-runs.js'
import {writeJUnit} from '../report/junit.js'
import type {RunResult} from '../report/run-result.js'
import {thresholdsPass} from '../report/thresholds.js'
import {checkWritableFile} from '../recorder/path-checks.js'

export interface GateOptions {
  baseline?: string[]
  'max-regression'?: number
  junit?: string
  strict?: boolean
}

export interface PreparedGates {
  strict?: boolean
  baselines?: RunResult[]
  maxRegressionPct?: number
  junitPath?: string
}

export function prepareGates(flags: GateOptions): PreparedGates {
  if (flags.junit) checkWritableFile(flags.junit, '--junit')
  return {
    ...(flags.baseline?.length ? {baselines: flags.baseline.map(readRun)} : {}),
    ...(flags['max-regression'] === undefined ? {} : {maxRegressionPct: flags['max-regression']}),
    ...(flags.junit ? {junitPath: flags.junit} : {}),
    ...(flags.strict ? {strict: true} : {}),
  }
}

/** Writes the JUnit file, prints the comparison (unless quiet) and sets exit code 1 when any gate failed. */
export function applyGates(result: RunResult, gates: PreparedGates, out: {quiet: boolean; color: boolean; log: (s: string) => void}): Comparison | undefined {
  const comparison = gates.baselines
    ? compareWithNoise(gates.baselines, result, {...(gates.maxRegressionPct === undefined ? {} : {maxRegressionPct: gates.maxRegressionPct})})
    : undefined
  if (comparison && !out.quiet) out.log(renderComparison(comparison, {color: out.color}))
  if (gates.junitPath) writeJUnit(gates.junitPath, result, comparison ? {comparison} : {})
  // A weak verdict passed on too little evidence: shown always, a failure only when asked (--strict).
  const weakFails = gates.strict === true && result.verdict.weak === true
  if (weakFails && !out.quiet) out.log('Verdict is weak and --strict is set: exit 1')
  if (!result.verdict.pass || weakFails || !thresholdsPass(result.thresholds) || (comparison && !comparison.pass)) process.exitCode = ExitCode.failed
  return comparison
}
