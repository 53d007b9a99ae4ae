/** Issue 18 item 4: compare gates only on changes that are real — beyond resolution, on enough samples, outside the noise. */
import {describe, expect, it} from 'vitest'
import {compareResults} from '../../../src/report/compare.js'
import {meanBand, percentileBand, type RunNoise, type SecondHistogram} from '../../../src/report/compare-noise.js'
import type {RunResult} from '../../../src/report/run-result.js'
import {sampleRunResult} from './run-result.fixture.js'

function withLatency(kind: 'send' | 'e2e', over: Partial<RunResult['latency']['send']>, id = 'cur'): RunResult {
  const r = sampleRunResult()
  r.runId = id
  r.latency[kind] = {...r.latency[kind], ...over}
  return r
}
const row = (c: ReturnType<typeof compareResults>, figure: string) => c.rows.find((r) => r.figure === figure)!

/** Ten seconds whose p50 sits at `ms` (± jitter), 1,000 samples each. */
function seconds(ms: number, jitter: number): SecondHistogram[] {
  return Array.from({length: 10}, (_, i) => [[ms + ((i % 3) - 1) * jitter, 1000]] as SecondHistogram)
}
const noise = (send: SecondHistogram[]): RunNoise => ({send, sendTps: [], consumeTps: []})

describe('compare: only real changes gate', () => {
  it('a change within two ticks of the resolution never gates (e2e is timed in 1 ms ticks)', () => {
    const c = compareResults(withLatency('e2e', {p50: 1}, 'base'), withLatency('e2e', {p50: 2}))
    expect(row(c, 'e2e p50')).toMatchObject({regression: false, note: 'within 2 × the 1 ms resolution'})
    const real = compareResults(withLatency('e2e', {p50: 1}, 'base'), withLatency('e2e', {p50: 4}))
    expect(row(real, 'e2e p50').regression).toBe(true)
  })

  it('a percentile needs samples beyond it: p99 of 1,000 sends is not judged, p99.9 never gates', () => {
    const c = compareResults(withLatency('send', {count: 1000, p99: 4}, 'base'), withLatency('send', {count: 1000, p99: 8}))
    expect(row(c, 'send p99')).toMatchObject({regression: false, note: 'too few samples: 10 beyond p99 (need 20)'})
    expect(row(c, 'send p99.9').gate).toBe('none')
    const enough = compareResults(withLatency('send', {count: 5000, p99: 4}, 'base'), withLatency('send', {count: 5000, p99: 8}))
    expect(row(enough, 'send p99').regression).toBe(true)
  })

  it('several baselines: a change inside their spread passes, one beyond it fails', () => {
    const bases = [1.0, 1.3, 1.6].map((p50, i) => withLatency('send', {p50}, `b${i}`))
    const inside = compareResults(bases, withLatency('send', {p50: 1.55}))
    expect(inside.baselineRuns).toBe(3)
    expect(row(inside, 'send p50')).toMatchObject({base: 1.3, regression: false})
    expect(row(inside, 'send p50').note).toMatch(/^within the baseline runs' spread/)
    expect(row(compareResults(bases, withLatency('send', {p50: 2.5})), 'send p50').regression).toBe(true)
  })

  it('one baseline: overlapping bootstrap bands of the two runs are noise, disjoint ones a regression', () => {
    const base = withLatency('send', {p50: 1}, 'base')
    const noisy = compareResults(base, withLatency('send', {p50: 1.3}), {noise: {baselines: [noise(seconds(1, 0.4))], current: noise(seconds(1.3, 0.4))}})
    expect(row(noisy, 'send p50').note).toMatch(/^within run-to-run noise/)
    expect(noisy.pass).toBe(true)
    const shifted = compareResults(base, withLatency('send', {p50: 2}), {noise: {baselines: [noise(seconds(1, 0.05))], current: noise(seconds(2, 0.05))}})
    expect(row(shifted, 'send p50').regression).toBe(true)
  })

  it('bands come from resampling whole seconds', () => {
    const band = percentileBand(seconds(1, 0.2), 50)!
    expect(band.lo).toBeGreaterThanOrEqual(0.8)
    expect(band.hi).toBeLessThanOrEqual(1.2)
    expect(band.hi).toBeGreaterThan(band.lo)
    expect(meanBand([100, 100, 100])).toEqual({lo: 100, hi: 100})
  })

  it('lists the configuration the runs do not share', () => {
    const other = sampleRunResult()
    other.config = {workload: {...(other.config['workload'] as object), rate: 1000}}
    expect(compareResults(sampleRunResult(), other).mismatches).toEqual(['rate 5000 vs 1000'])
  })
})
