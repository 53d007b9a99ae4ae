/**
 * What decides a run's exit code in CI, shared by run and chaos: the verdict, the thresholds, and
 * (with --baseline) the comparison with an earlier result; then the JUnit file. The baseline is read
 * before the run so a wrong path is exit 2 at once, not after minutes of load.
 */
import {ExitCode} from '../errors.js'
import {compareResults, renderComparison, type Comparison} from '../report/compare.js'
import {locateRun} from '../recorder/run-dir.js'
import {writeJUnit} from '../report/junit.js'
import {readResult} from '../report/result-file.js'
import type {RunResult} from '../report/run-result.js'
import {thresholdsPass} from '../report/thresholds.js'
import {checkWritableFile} from '../recorder/path-checks.js'

export interface GateOptions {
  baseline?: string
  'max-regression'?: number
  junit?: string
}

export interface PreparedGates {
  baseline?: RunResult
  maxRegressionPct?: number
  junitPath?: string
}

export function prepareGates(flags: GateOptions): PreparedGates {
  if (flags.junit) checkWritableFile(flags.junit, '--junit')
  return {
    ...(flags.baseline ? {baseline: readResult(locateRun(flags.baseline).resultPath)} : {}),
    ...(flags['max-regression'] === undefined ? {} : {maxRegressionPct: flags['max-regression']}),
    ...(flags.junit ? {junitPath: flags.junit} : {}),
  }
}

/** Writes the JUnit file, prints the comparison (unless quiet) and sets exit code 1 when any gate failed. */
export function applyGates(result: RunResult, gates: PreparedGates, out: {quiet: boolean; color: boolean; log: (s: string) => void}): Comparison | undefined {
  const comparison = gates.baseline ? compareResults(gates.baseline, result, {maxRegressionPct: gates.maxRegressionPct}) : undefined
  if (comparison && !out.quiet) out.log(renderComparison(comparison, {color: out.color}))
  if (gates.junitPath) writeJUnit(gates.junitPath, result, comparison ? {comparison} : {})
  if (!result.verdict.pass || !thresholdsPass(result.thresholds) || (comparison && !comparison.pass)) process.exitCode = ExitCode.failed
  return comparison
}
