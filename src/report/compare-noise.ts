/**
 * How much a figure moves between runs by chance, so `compare` does not call noise a regression. Two
 * back-to-back runs of one scenario gave six REGRESSION rows at 10 %; the cure is the one benchmark
 * tools use: estimate the spread, gate only on changes beyond it.
 * - One baseline: a block bootstrap over the run's seconds. Each second's histogram (send.hlog,
 *   e2e.hlog) or rate (the timeline) is a block; resampling whole seconds keeps the bursts that make a
 *   run's tail what it is. The band is the 1st..99th percentile of the resampled figure.
 * - Several baselines: their min..max range (see compare.ts).
 * Pure apart from loadRunNoise(), which reads the run directory's interval logs when they still exist.
 */
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import type {JsHistogram} from 'hdr-histogram-js'
import {E2E_HLOG_FILE_NAME, readHdrLog, SEND_HLOG_FILE_NAME} from './hdr-log.js'
import type {RunResult} from './run-result.js'
import {seededRandom} from '../seeded-random.js'

/** One second of latency: its recorded values (ms) and their counts. */
export type SecondHistogram = Array<[valueMs: number, count: number]>

export interface RunNoise {
  /** Per second of the load window; absent when the run directory's .hlog is gone. */
  send?: SecondHistogram[]
  e2e?: SecondHistogram[]
  sendTps: number[]
  consumeTps: number[]
}

export interface Band {
  lo: number
  hi: number
}

export const BOOTSTRAP_ITERATIONS = 400
const BAND_LOW = 0.01
const BAND_HIGH = 0.99

function secondsOf(path: string): SecondHistogram[] | undefined {
  if (!existsSync(path)) return undefined
  return readHdrLog(path).intervals.map((i) => {
    const h = i.histogram as unknown as JsHistogram
    const it = h.recordedValuesIterator
    it.reset()
    const pairs: SecondHistogram = []
    while (it.hasNext()) {
      const v = it.next()
      pairs.push([h.highestEquivalentValue(v.valueIteratedTo) / 1000, v.countAtValueIteratedTo])
    }
    return pairs
  }).filter((p) => p.length > 0)
}

/** The run's per-second data: interval logs from its directory (if still there) and its timeline. */
export function loadRunNoise(r: RunResult): RunNoise {
  const inWindow = r.timeline.filter((p) => p.t >= 0 && p.t < r.throughput.durationS)
  const send = secondsOf(join(r.runDir, SEND_HLOG_FILE_NAME))
  const e2e = secondsOf(join(r.runDir, E2E_HLOG_FILE_NAME))
  return {...(send ? {send} : {}), ...(e2e ? {e2e} : {}), sendTps: inWindow.map((p) => p.sendTps), consumeTps: inWindow.map((p) => p.consumeTps)}
}

function bandOf(values: number[]): Band {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!
  return {lo: at(BAND_LOW), hi: at(BAND_HIGH)}
}

/** The q-th percentile (0..100) of the whole run, resampled by seconds; undefined with fewer than 2 seconds. */
export function percentileBand(seconds: SecondHistogram[], q: number, seed = 1): Band | undefined {
  if (seconds.length < 2) return undefined
  const values = [...new Set(seconds.flatMap((s) => s.map(([v]) => v)))].sort((a, b) => a - b)
  const index = new Map(values.map((v, i) => [v, i]))
  const blocks = seconds.map((s) => s.map(([v, n]) => [index.get(v)!, n] as const))
  const random = seededRandom(seed)
  const counts = new Float64Array(values.length)
  const estimates: number[] = []
  for (let i = 0; i < BOOTSTRAP_ITERATIONS; i++) {
    counts.fill(0)
    let total = 0
    for (let b = 0; b < blocks.length; b++) {
      for (const [at, n] of blocks[Math.floor(random() * blocks.length)]!) {
        counts[at]! += n
        total += n
      }
    }
    const rank = Math.max(1, Math.ceil((q / 100) * total))
    let seen = 0
    let k = 0
    while (k < counts.length - 1 && (seen += counts[k]!) < rank) k++
    estimates.push(values[k]!)
  }
  return bandOf(estimates)
}

/** The mean of a per-second rate, resampled by seconds; undefined with fewer than 2 seconds. */
export function meanBand(perSecond: number[], seed = 1): Band | undefined {
  if (perSecond.length < 2) return undefined
  const random = seededRandom(seed)
  const estimates: number[] = []
  for (let i = 0; i < BOOTSTRAP_ITERATIONS; i++) {
    let sum = 0
    for (let b = 0; b < perSecond.length; b++) sum += perSecond[Math.floor(random() * perSecond.length)]!
    estimates.push(sum / perSecond.length)
  }
  return bandOf(estimates)
}
