/**
 * The human summary of a run: a pure function of a RunResult, so `mqbench report <run-dir>` redraws
 * exactly what `mqbench run` printed. Colour is the caller's decision (TTY and no NO_COLOR).
 */
import type {RunResult} from './run-result.js'
import {createPaint} from './terminal-format.js'
import {renderLatency, renderSendStatus, renderSetup, renderThroughput} from './terminal-load.js'
import {renderAudit, renderFaults, renderReplication, renderVerdict} from './terminal-outcome.js'
import {renderThresholds} from './thresholds.js'
import {renderConsumption} from './terminal-consumption.js'

export function renderReport(result: RunResult, opts: {color: boolean; width?: number}): string {
  const paint = createPaint(opts.color, opts.width)
  const sections = [
    renderSetup(result, paint),
    renderThroughput(result, paint),
    renderLatency(result, paint),
    renderSendStatus(result, paint),
    renderAudit(result, paint),
    renderConsumption(result, paint),
    renderReplication(result, paint),
    renderFaults(result, paint),
    renderVerdict(result, paint),
    renderThresholds(result, paint),
  ]
  return sections.filter((s): s is string => s !== undefined).join('\n\n') + '\n'
}
