/**
 * `mqbench report`: re-render stored runs in any format, offline. Everything comes from the run
 * directory (result.json, send.hlog, e2e.hlog), so a report can be redrawn long after the cluster
 * is gone, and several runs can be overlaid in one HTML page.
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {basename, join, resolve} from 'node:path'
import {ConfigError} from '../errors.js'
import {E2E_HLOG_FILE_NAME, joinHdrLogs, SEND_HLOG_FILE_NAME} from './hdr-log.js'
import {locateRun} from '../recorder/run-dir.js'
import {HTML_REPORT_FILE_NAME, writeOverlayHtmlReport, writeRunHtmlReport} from './html/report-files.js'
import {toJUnitXml} from './junit.js'
import {readResult, RESULT_FILE_NAME} from './result-file.js'
import type {RunResult} from './run-result.js'
import {renderReport} from './terminal.js'

export const REPORT_FORMATS = ['html', 'text', 'json', 'junit', 'hlog'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]

export const OVERLAY_FILE_NAME = 'mqbench-overlay.html'

export interface StoredReportOptions {
  runs: string[]
  format: ReportFormat
  /** Where to write; default: <run-dir>/report.html (html, one run), ./mqbench-overlay.html (html, several), stdout otherwise. */
  output?: string
  color: boolean
  /** Terminal columns for --format text; undefined = unlimited. */
  width?: number
}

export interface StoredReport {
  format: ReportFormat
  /** The file written, if any. */
  file?: string
  /** What to print on stdout, if anything. */
  text?: string
  results: RunResult[]
}

export function renderStoredReport(opts: StoredReportOptions): StoredReport {
  if (opts.runs.length === 0) throw new ConfigError('report: name at least one run directory (or result.json)')
  const located = opts.runs.map(locateRun)
  const results = located.map((l) => readResult(l.resultPath))
  if (opts.format === 'html') {
    const file = results.length === 1 && !opts.output
      ? writeRunHtmlReport(runDirOf(located[0]!, results[0]!), results[0])
      : writeOverlayHtmlReport(opts.runs, opts.output ?? OVERLAY_FILE_NAME)
    return {format: 'html', file, results}
  }
  if (results.length > 1) throw new ConfigError(`report --format ${opts.format} takes one run; only html overlays several`)
  const text = renderOne(opts.format, runDirOf(located[0]!, results[0]!), results[0]!, opts.color, opts.width)
  if (opts.output) {
    writeFileSync(resolve(opts.output), text)
    return {format: opts.format, file: resolve(opts.output), results}
  }
  return {format: opts.format, text, results}
}

/** A result.json copied out of its run (e.g. `run --json > r.json`) still belongs to its run directory, if that exists. */
function runDirOf(located: {runDir: string; resultPath: string}, result: RunResult): string {
  const copied = basename(located.resultPath) !== RESULT_FILE_NAME
  return copied && existsSync(join(result.runDir, RESULT_FILE_NAME)) ? result.runDir : located.runDir
}

function renderOne(format: Exclude<ReportFormat, 'html'>, runDir: string, result: RunResult, color: boolean, width?: number): string {
  switch (format) {
    case 'text': return renderReport(result, {color, ...(width === undefined ? {} : {width})})
    case 'json': return JSON.stringify(result, null, 2) + '\n'
    case 'junit': return toJUnitXml(result)
    case 'hlog': {
      const files = [SEND_HLOG_FILE_NAME, E2E_HLOG_FILE_NAME].map((f) => join(runDir, f)).filter((f) => existsSync(f))
      if (files.length === 0) throw new ConfigError(`${runDir} has no ${SEND_HLOG_FILE_NAME} or ${E2E_HLOG_FILE_NAME}`, {hint: 'runs made before interval logs existed have none'})
      return joinHdrLogs(files.map((f) => readFileSync(f, 'utf8')))
    }
  }
}

export {HTML_REPORT_FILE_NAME}
