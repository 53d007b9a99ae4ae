/**
 * Figures for src/metrics. metrics.histogram_record is the per-message cost every producer and
 * consumer worker pays (one record per send and per delivery); the JS figure shows what is lost if
 * the WASM build cannot load. metrics.histogram_merge_us is the orchestrator's per-worker, per-second
 * cost of decoding an interval histogram and merging it.
 */
import type {Bench, BenchResult} from './bench.js'
import {opsPerSecond} from './bench.js'
import {
  createLatencyHistogram, decodeHistogram, destroyHistogram, encodeHistogram, initHistograms, mergeInto, recordLatencyUs,
  type HistogramBackend,
} from '../../src/metrics/histograms.js'

/** Latencies spread like a real run (mostly 0.2-5 ms, a tail to seconds), fixed so runs compare. */
function sampleLatenciesUs(n: number): Float64Array {
  const out = new Float64Array(n)
  let x = 0x9e3779b9
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    const u = (x + 1) / 2 ** 32
    out[i] = 200 * Math.exp(-Math.log(u) * 1.2)
  }
  return out
}

async function recordRate(backend: HistogramBackend): Promise<BenchResult> {
  const got = await initHistograms({webAssembly: backend === 'wasm'})
  const h = createLatencyHistogram()
  const values = sampleLatenciesUs(4096)
  let i = 0
  try {
    const value = await opsPerSecond(() => recordLatencyUs(h, values[i++ & 4095]!), 1500, 4096)
    return {value, unit: 'records/s', backend: got, histogram: '1us..60s, 3 digits, 32-bit counts'}
  } finally {
    destroyHistogram(h)
    await initHistograms()
  }
}

async function mergeCost(): Promise<BenchResult> {
  const backend = await initHistograms()
  const interval = createLatencyHistogram()
  const total = createLatencyHistogram()
  const values = sampleLatenciesUs(5000)
  for (const v of values) recordLatencyUs(interval, v)
  const encoded = encodeHistogram(interval)
  try {
    const perSec = await opsPerSecond(() => {
      const h = decodeHistogram(encoded)
      mergeInto(total, h)
      destroyHistogram(h)
    }, 1000, 50)
    return {value: Math.round((1e6 / perSec) * 10) / 10, unit: 'us', backend, intervalRecords: values.length, encodedBytes: encoded.length}
  } finally {
    destroyHistogram(interval)
    destroyHistogram(total)
  }
}

export const benches: Bench[] = [
  {name: 'metrics.histogram_record', run: () => recordRate('wasm')},
  {name: 'metrics.histogram_record_js', run: () => recordRate('js')},
  {name: 'metrics.histogram_merge_us', run: mergeCost},
]
