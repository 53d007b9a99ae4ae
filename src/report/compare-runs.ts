/**
 * Comparing stored runs: read each result (run directory, result.json or a --json envelope), its
 * per-second data for the noise estimate, refuse mismatched configurations under --strict.
 */
import {ConfigError} from '../errors.js'
import {compareResults, configMismatches, configView, type Comparison, type ConfigView} from './compare.js'
import {loadRunNoise} from './compare-noise.js'
import {locateRun} from '../recorder/run-dir.js'
import {readResult} from './result-file.js'
import type {RunResult} from './run-result.js'

export {DEFAULT_MAX_REGRESSION_PCT, renderComparison, type Comparison} from './compare.js'

export function readRun(path: string): RunResult {
  return readResult(locateRun(path).resultPath)
}

/** --strict: runs of another scenario, target, rate, size or duration are not a baseline (exit 2). */
export function refuseMismatch(baselines: RunResult[], current: ConfigView, strict: boolean | undefined): void {
  const mismatches = [...new Set(baselines.flatMap((b) => configMismatches(configView(b), current)))]
  if (strict && mismatches.length > 0) {
    throw new ConfigError(`compare --strict: the runs differ in ${mismatches.join(', ')}`, {hint: 'compare runs of one configuration, or drop --strict to see the figures anyway'})
  }
}

export function compareWithNoise(baselines: RunResult[], current: RunResult, opts: {maxRegressionPct?: number; strict?: boolean}): Comparison {
  refuseMismatch(baselines, configView(current), opts.strict)
  return compareResults(baselines, current, {
    ...(opts.maxRegressionPct === undefined ? {} : {maxRegressionPct: opts.maxRegressionPct}),
    noise: {baselines: baselines.map(loadRunNoise), current: loadRunNoise(current)},
  })
}

export function compareRuns(baselinePaths: string[], currentPath: string, opts: {maxRegressionPct?: number; strict?: boolean}): Comparison {
  if (baselinePaths.length === 0) throw new ConfigError('compare: expected at least one baseline and the current run')
  return compareWithNoise(baselinePaths.map(readRun), readRun(currentPath), opts)
}
