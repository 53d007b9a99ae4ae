/**
 * HdrHistogram interval logs (.hlog): one line per second holding that second's compressed
 * histogram, in the text format HdrHistogram's own tools read (HistogramLogProcessor, HdrHistogram
 * plotter): `#[StartTime: …]`, `#[BaseTime: …]`, the legend, then
 * `Tag=<tag>,<start s>,<length s>,<max>,<base64>` lines. Values are microseconds; the max column is
 * milliseconds (ratio 1000), as the Java writer's default ratio assumes a finer recording unit.
 * Lines reach the file as each second closes, so a crashed run keeps the seconds it finished.
 */
import {closeSync, openSync, readFileSync, writeSync} from 'node:fs'
import * as hdr from 'hdr-histogram-js'
import {ConfigError} from '../errors.js'
import {RUN_FILES} from '../recorder/run-dir.js'
import {createLatencyHistogram, destroyHistogram, mergeInto, summarize, type Histogram, type LatencySummary} from '../metrics/histograms.js'

export const SEND_HLOG_FILE_NAME = RUN_FILES.sendHlog
export const E2E_HLOG_FILE_NAME = RUN_FILES.e2eHlog

const MAX_VALUE_UNIT_RATIO = 1000

export class HdrLogWriter {
  private fd: number | undefined
  private readonly writer: hdr.HistogramLogWriter

  /** `startTimeMs`: epoch ms of t = 0; interval start times in the log are seconds after it. */
  constructor(readonly path: string, readonly tag: string, startTimeMs: number, comment?: string) {
    this.fd = openSync(path, 'w')
    this.writer = new hdr.HistogramLogWriter((text) => this.append(text))
    if (comment) this.writer.outputComment(comment)
    this.writer.outputLogFormatVersion()
    // Written here rather than by outputStartTime(), which adds a blank line the Java log scanner dislikes.
    const startS = (startTimeMs / 1000).toFixed(3)
    this.writer.outputComment(`[StartTime: ${startS} (seconds since epoch), ${new Date(startTimeMs).toUTCString()}]`)
    this.writer.outputComment(`[BaseTime: ${startS} (seconds since epoch)]`)
    this.writer.outputLegend()
  }

  /** One interval: `startS` seconds after the start time, `lengthS` long. The histogram is only read. */
  write(startS: number, lengthS: number, histogram: Histogram): void {
    const previousTag = histogram.tag
    histogram.tag = this.tag
    try {
      this.writer.outputIntervalHistogram(histogram, startS, startS + lengthS, MAX_VALUE_UNIT_RATIO)
    } finally {
      histogram.tag = previousTag
    }
  }

  close(): void {
    if (this.fd === undefined) return
    closeSync(this.fd)
    this.fd = undefined
  }

  private append(text: string): void {
    if (this.fd === undefined) return
    writeSync(this.fd, text)
  }
}

export interface HdrLogInterval {
  tag: string
  /** Seconds after the log's start time. */
  startS: number
  lengthS: number
  histogram: Histogram
}

export interface HdrLog {
  /** Epoch ms, from `#[StartTime: …]`; undefined when the log has none. */
  startTimeMs: number | undefined
  intervals: HdrLogInterval[]
}

/**
 * Parses .hlog text. Histograms are JS-backed (no WASM memory to free) so a reader can keep them.
 * A line that is not a comment, legend or interval is a damaged file, reported with its number.
 */
export function parseHdrLog(text: string, source = '.hlog'): HdrLog {
  const start = /^#\[StartTime: ([\d.]+)/m.exec(text)
  const startTimeMs = start ? Number(start[1]) * 1000 : undefined
  const intervals: HdrLogInterval[] = []
  const lines = text.split(/\r\n|\r|\n/)
  lines.forEach((line, i) => {
    if (line === '' || line.startsWith('#') || line.startsWith('"StartTimestamp"')) return
    const fields = line.split(',')
    const tag = fields[0]!.startsWith('Tag=') ? fields.shift()!.slice(4) : ''
    const [rawStart, rawLength, , base64] = fields
    const startS = Number(rawStart)
    const lengthS = Number(rawLength)
    if (fields.length !== 4 || !Number.isFinite(startS) || !Number.isFinite(lengthS) || !base64) {
      throw new ConfigError(`${source}:${i + 1}: not an HdrHistogram interval line: ${JSON.stringify(line.slice(0, 80))}`)
    }
    let histogram: Histogram
    try {
      histogram = hdr.decodeFromCompressedBase64(base64, 32, false)
    } catch (err) {
      throw new ConfigError(`${source}:${i + 1}: interval histogram does not decode: ${err instanceof Error ? err.message : String(err)}`)
    }
    intervals.push({tag, startS, lengthS, histogram})
  })
  return {startTimeMs, intervals}
}

export function readHdrLog(path: string): HdrLog {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new ConfigError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {cause: err})
  }
  return parseHdrLog(text, path)
}

/** Every interval added together: the whole run's histogram, as HistogramLogProcessor would rebuild it. */
export function mergeHdrLog(log: HdrLog): Histogram {
  const total = createLatencyHistogram()
  for (const i of log.intervals) mergeInto(total, i.histogram)
  return total
}

export function summarizeHdrLog(log: HdrLog): LatencySummary {
  const total = mergeHdrLog(log)
  try {
    return summarize(total)
  } finally {
    destroyHistogram(total)
  }
}

export interface PercentilePoint {
  percentile: number
  /** Milliseconds. */
  valueMs: number
}

/**
 * The classic HdrHistogram percentile distribution (values at 0 … 99.999 %), in ms: the curve the
 * HTML report draws on a 1/(1-p) axis so the tail gets as much room as the median.
 */
export function percentileDistribution(h: Histogram): PercentilePoint[] {
  if (h.totalCount === 0) return []
  const percentiles = [0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 99.995, 99.999, 100]
  return percentiles.map((p) => ({percentile: p, valueMs: h.getValueAtPercentile(p) / 1000}))
}

/** Both logs of a run as one tagged log (send, then e2e), the form `mqbench report --format hlog` prints. */
export function joinHdrLogs(texts: readonly string[]): string {
  const [first = '', ...rest] = texts
  const intervalLines = rest.flatMap((t) => t.split('\n').filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('"')))
  const body = first.endsWith('\n') || first === '' ? first : `${first}\n`
  return body + intervalLines.map((l) => `${l}\n`).join('')
}
