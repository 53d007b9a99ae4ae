/**
 * Latency histograms: HdrHistogram with explicit ranges, recorded in microseconds, summarised in
 * milliseconds. Histograms cross process boundaries only encoded (HdrHistogram's compressed base64
 * form) and are merged by the orchestrator, never shipped as sample lists.
 *
 * Backend: the WebAssembly build records ~4-5x faster than the JS one, so it is used when it loads;
 * otherwise everything silently runs on the JS build. WASM histograms live outside the JS heap and
 * must be released with destroyHistogram() — whoever creates a histogram owns it and destroys it.
 * LatencyRecorder (latency-recorder.ts) wraps the usual create-once, reset-per-interval pattern.
 */
import * as hdr from 'hdr-histogram-js'
import type {Histogram} from 'hdr-histogram-js'
import {MqbenchError} from '../errors.js'

export type {Histogram}
export type HistogramBackend = 'wasm' | 'js'

/** Receives each finished second's merged histograms (the .hlog files); must not keep them. */
export interface SecondSink {
  second(t: number, send: Histogram, e2e: Histogram): void
  close(): void
}

/** 1 µs resolution floor; 60 s ceiling: a send that takes longer has already timed out many times over. */
export const LATENCY_US_LOWEST = 1
export const LATENCY_US_HIGHEST = 60_000_000
export const LATENCY_SIGNIFICANT_DIGITS = 3
// 32-bit counts overflow only after ~2^31 samples in one bucket (30 h at 20k/s into a single value).
const BIT_BUCKET_SIZE = 32

let backend: HistogramBackend | undefined

/**
 * Chooses the backend once per process. Call it early (workers: before the first send) so the WASM
 * module compiles outside the measured window; createLatencyHistogram() falls back to a synchronous
 * init if nobody called this. `webAssembly: false` forces the JS build (e.g. to compare backends).
 */
export async function initHistograms(opts: {webAssembly?: boolean} = {}): Promise<HistogramBackend> {
  if (opts.webAssembly === false) {
    backend = 'js'
    return backend
  }
  try {
    await hdr.initWebAssembly()
    backend = 'wasm'
  } catch {
    backend = 'js'
  }
  return backend
}

export function histogramBackend(): HistogramBackend {
  if (backend === undefined) {
    try {
      hdr.initWebAssemblySync()
      backend = 'wasm'
    } catch {
      backend = 'js'
    }
  }
  return backend
}

/** µs, lowest 1, highest 60 s, 3 significant digits; fixed size (no auto-resize) so recording never allocates. */
export function createLatencyHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: BIT_BUCKET_SIZE,
    autoResize: false,
    lowestDiscernibleValue: LATENCY_US_LOWEST,
    highestTrackableValue: LATENCY_US_HIGHEST,
    numberOfSignificantValueDigits: LATENCY_SIGNIFICANT_DIGITS,
    useWebAssembly: histogramBackend() === 'wasm',
  })
}

/**
 * Clamps into [0, 60 s] so a clock step or a stuck send can never throw inside a hot loop; NaN (a
 * missing timestamp) is skipped rather than recorded as a fake 0.
 */
export function recordLatencyUs(h: Histogram, us: number): void {
  if (us !== us) return
  const clamped = us > LATENCY_US_HIGHEST ? LATENCY_US_HIGHEST : us > 0 ? us : 0
  h.recordValue(Math.round(clamped))
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h)
}

/** Decodes into the current backend. A string that does not decode is a broken run, not a user error. */
export function decodeHistogram(s: string): Histogram {
  if (s.length === 0) throw new MqbenchError('HISTOGRAM_DECODE', 'cannot decode an empty histogram string')
  try {
    return hdr.decodeFromCompressedBase64(s, BIT_BUCKET_SIZE, histogramBackend() === 'wasm')
  } catch (err) {
    throw new MqbenchError('HISTOGRAM_DECODE', `cannot decode histogram: ${err instanceof Error ? err.message : String(err)}`, {cause: err})
  }
}

function isWasm(h: Histogram): boolean {
  return h instanceof hdr.WasmHistogram
}

/** target += source. Histograms from different backends cannot add directly; they meet through the encoding. */
export function mergeInto(target: Histogram, source: Histogram): void {
  if (isWasm(target) === isWasm(source)) {
    target.add(source)
    return
  }
  const bridged = hdr.decodeFromCompressedBase64(encodeHistogram(source), BIT_BUCKET_SIZE, isWasm(target))
  try {
    target.add(bridged)
  } finally {
    bridged.destroy()
  }
}

export function destroyHistogram(h: Histogram): void {
  h.destroy()
}

/** All in milliseconds. */
export interface LatencySummary {
  count: number
  mean: number
  p50: number
  p90: number
  p99: number
  p999: number
  p9999: number
  max: number
}

export function emptyLatencySummary(): LatencySummary {
  return {count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, p9999: 0, max: 0}
}

export function summarize(h: Histogram): LatencySummary {
  const count = h.totalCount
  if (count === 0) return emptyLatencySummary()
  return {
    count,
    mean: h.mean / 1000,
    p50: h.getValueAtPercentile(50) / 1000,
    p90: h.getValueAtPercentile(90) / 1000,
    p99: h.getValueAtPercentile(99) / 1000,
    p999: h.getValueAtPercentile(99.9) / 1000,
    p9999: h.getValueAtPercentile(99.99) / 1000,
    // The 100th percentile (top of the highest non-empty bucket), not maxValue: a decoded histogram only
    // knows buckets, so this keeps a summary identical before and after crossing a process boundary.
    max: h.getValueAtPercentile(100) / 1000,
  }
}
