/**
 * Reading runs back from disk for the HTML report, and writing it: <run-dir>/report.html for one run,
 * a file of the caller's choice for an overlay. The percentile curves come from the run's .hlog
 * files when they exist (the full distribution); otherwise the page falls back to result.json's
 * summary percentiles, so an old or partial run still renders.
 */
import {existsSync, renameSync, writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {destroyHistogram} from '../../metrics/histograms.js'
import {E2E_HLOG_FILE_NAME, mergeHdrLog, percentileDistribution, readHdrLog, SEND_HLOG_FILE_NAME, type PercentilePoint} from '../hdr-log.js'
import {locateRun, RUN_FILES} from '../../recorder/run-dir.js'
import {readResult} from '../result-file.js'
import type {RunResult} from '../run-result.js'
import {renderHtmlReport, type HtmlRun} from './html-report.js'

export const HTML_REPORT_FILE_NAME = RUN_FILES.htmlReport

function distributionFrom(path: string): PercentilePoint[] | undefined {
  if (!existsSync(path)) return undefined
  const total = mergeHdrLog(readHdrLog(path))
  try {
    return percentileDistribution(total)
  } finally {
    destroyHistogram(total)
  }
}

/** The .hlog files are optional; result.json is not. */
export function loadHtmlRun(runDir: string, result: RunResult): HtmlRun {
  const send = distributionFrom(join(runDir, SEND_HLOG_FILE_NAME))
  const e2e = distributionFrom(join(runDir, E2E_HLOG_FILE_NAME))
  return send || e2e ? {result, distribution: {send: send ?? [], e2e: e2e ?? []}} : {result}
}

function writeAtomically(path: string, html: string): void {
  const tmp = `${path}.tmp-${process.pid}`
  writeFileSync(tmp, html)
  renameSync(tmp, path)
}

/** <run-dir>/report.html for a run that just ended (its result in hand) or one read back. */
export function writeRunHtmlReport(runDir: string, result?: RunResult): string {
  const r = result ?? readResult(join(runDir, RUN_FILES.result))
  const path = join(runDir, HTML_REPORT_FILE_NAME)
  writeAtomically(path, renderHtmlReport([loadHtmlRun(runDir, r)]))
  return path
}

/** Several runs in one page (e.g. the four flush/replication combinations). */
export function writeOverlayHtmlReport(paths: readonly string[], outPath: string): string {
  const runs = paths.map((p) => {
    const {runDir, resultPath} = locateRun(p)
    return loadHtmlRun(runDir, readResult(resultPath))
  })
  const out = resolve(outPath)
  writeAtomically(out, renderHtmlReport(runs))
  return out
}
