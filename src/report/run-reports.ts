/**
 * The files a run leaves beside result.json: send.hlog and e2e.hlog (one HdrHistogram interval per
 * second, written as each second closes) and report.html (at the end). A failure here costs the
 * report, never the run: it becomes a warning and result.json is still written.
 */
import {join} from 'node:path'
import {toMqbenchError} from '../errors.js'
import type {Histogram, SecondSink} from '../metrics/histograms.js'
import {E2E_HLOG_FILE_NAME, HdrLogWriter, SEND_HLOG_FILE_NAME} from './hdr-log.js'
import {writeRunHtmlReport} from './html/report-files.js'
import type {RunResult} from './run-result.js'

/** Opens both logs at the first finished second, when the load's start time (t = 0) is known. */
export class LatencyLogs implements SecondSink {
  private send: HdrLogWriter | undefined
  private e2e: HdrLogWriter | undefined
  private failed = false

  constructor(private readonly runDir: string, private readonly loadStartMs: () => number, private readonly warn: (m: string) => void) {}

  second(t: number, send: Histogram, e2e: Histogram): void {
    if (this.failed) return
    try {
      if (!this.send || !this.e2e) {
        const start = this.loadStartMs()
        this.send = new HdrLogWriter(join(this.runDir, SEND_HLOG_FILE_NAME), 'send', start,
          '[mqbench send latency (intended start → ack), values in microseconds, max column in ms]')
        this.e2e = new HdrLogWriter(join(this.runDir, E2E_HLOG_FILE_NAME), 'e2e', start,
          '[mqbench end-to-end latency (born → consumed), values in microseconds, max column in ms]')
      }
      this.send.write(t, 1, send)
      this.e2e.write(t, 1, e2e)
    } catch (err) {
      this.failed = true
      this.warn(`latency logs: ${toMqbenchError(err).message}; .hlog files are incomplete`)
    }
  }

  close(): void {
    this.send?.close()
    this.e2e?.close()
  }
}

export function writeRunReports(runDir: string, result: RunResult, warn: (m: string) => void): void {
  try {
    writeRunHtmlReport(runDir, result)
  } catch (err) {
    warn(`HTML report: ${toMqbenchError(err).message}`)
  }
}
