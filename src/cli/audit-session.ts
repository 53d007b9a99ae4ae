/** `mqbench audit`: re-audit a stored run, print it as `run` does, and exit 1 when the verdict or a threshold fails. */
import type {RunResult} from '../report/run-result.js'
import {reauditRun} from '../runner/index.js'
import {applyGates} from './run-gates.js'
import {renderForTerminal, useColor} from './run-presenter.js'
import type {SessionOutput} from './run-session.js'

export function auditSession(path: string, out: SessionOutput): RunResult {
  const result = reauditRun(path)
  if (!out.json) out.log(renderForTerminal(result))
  applyGates(result, {}, {quiet: out.json, color: useColor(process.stdout), log: out.log})
  return result
}
