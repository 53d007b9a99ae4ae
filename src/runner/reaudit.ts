/**
 * `mqbench audit <run-dir>`: the audit again, offline, from what the run recorded (ledgers, the saved
 * drain, audit-record.json, scenario.json) — no broker, no cluster directory needed, so a run directory
 * copied from another machine re-audits the same. Everything else in result.json is kept as stored;
 * the audit, consumption, verdict and thresholds are computed afresh.
 */
import {locateRun, openRunDir, readRunJson} from '../recorder/run-dir.js'
import {readResult} from '../report/result-file.js'
import type {RunResult} from '../report/run-result.js'
import {parseThresholds} from '../report/thresholds.js'
import type {Scenario} from '../scenario/schema.js'
import {withAudit} from './result-builder.js'
import {auditRunDir} from './run-record.js'

export function reauditRun(path: string): RunResult {
  const located = locateRun(path)
  const stored = readResult(located.resultPath)
  const runDir = openRunDir(located.runDir)
  // scenario.json is the resolved scenario the run used (defaults and flag overrides applied).
  const scenario = readRunJson(runDir, 'scenario') as Scenario
  const audited = auditRunDir(runDir, scenario)
  const audit = {result: audited.queue.result, consumption: audited.consumption, recovery: audited.recovery, verdict: audited.verdict}
  return withAudit(stored, audit, parseThresholds(scenario.thresholds))
}
