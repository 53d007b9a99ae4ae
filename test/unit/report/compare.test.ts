import {describe, expect, it} from 'vitest'
import {ConfigError} from '../../../src/errors.js'
import {compareResults, parseRegressionLimit, renderComparison} from '../../../src/report/compare.js'
import type {RunResult} from '../../../src/report/run-result.js'
import {sampleRunResult} from './run-result.fixture.js'

function withP99(factor: number): RunResult {
  const r = sampleRunResult()
  r.runId = `current-${factor}`
  r.latency.send = {...r.latency.send, p99: r.latency.send.p99 * factor}
  return r
}

describe('compareResults', () => {
  const base = sampleRunResult()

  it('names a cold real-broker JVM (no warm-up recorded) against a warmed one as a configuration mismatch', () => {
    const real = (jvmWarmup?: RunResult['jvmWarmup']): RunResult => ({...sampleRunResult(), target: 'rocketmq', ...(jvmWarmup && {jvmWarmup})})
    const warm = real({ms: 12_000, steady: true, sendOkPerSecond: [900, 2000, 2000, 2000], targetRate: 2000, steadySeconds: 3, tolerance: 0.05})
    expect(compareResults(real(), warm).mismatches).toEqual(['JVM "cold" vs "warm"'])
    expect(compareResults(warm, warm).mismatches).toEqual([])
    expect(compareResults(base, base).mismatches).toEqual([])
  })

  it('flags a 20 % p99 regression and passes a 5 % one under a 10 % limit', () => {
    const worse = compareResults(base, withP99(1.2), {maxRegressionPct: 10})
    expect(worse.pass).toBe(false)
    expect(worse.regressions).toEqual(['send p99: 4.94 ms → 5.92 ms (+20%)'])
    const row = worse.rows.find((r) => r.figure === 'send p99')!
    expect(row.deltaPct).toBeCloseTo(20, 6)
    const slightly = compareResults(base, withP99(1.05), {maxRegressionPct: 10})
    expect(slightly.pass).toBe(true)
    expect(slightly.rows.find((r) => r.figure === 'send p99')!.deltaPct).toBeCloseTo(5, 6)
  })

  it('is direction-aware: faster latency and higher throughput are improvements, lower throughput regresses', () => {
    const better = withP99(0.5)
    better.throughput = {...better.throughput, sendTps: base.throughput.sendTps * 1.5}
    expect(compareResults(base, better).pass).toBe(true)
    const slower = sampleRunResult()
    slower.throughput = {...slower.throughput, sendTps: base.throughput.sendTps * 0.85}
    const c = compareResults(base, slower, {maxRegressionPct: 10})
    expect(c.regressions).toEqual([expect.stringMatching(/^send tps: 4,987\/s → 4,239\/s \(-15%\)$/)])
  })

  it('treats any new lost, corrupt or unexpected message as a regression whatever the limit', () => {
    const lossy = sampleRunResult()
    lossy.audit = {...lossy.audit, lost: base.audit.lost + 1}
    expect(compareResults(base, lossy, {maxRegressionPct: 1000}).regressions).toEqual(['audit lost: 2 → 3 (+50%)'])
    const clean = {...sampleRunResult(), audit: {...base.audit, lost: 0}}
    const corrupt = {...sampleRunResult(), audit: {...base.audit, lost: 0, corrupt: 1}}
    expect(compareResults(clean, corrupt).regressions).toEqual(['audit corrupt: 0 → 1 (+1)'])
    // Fewer lost than the baseline is no regression.
    expect(compareResults(base, clean).pass).toBe(true)
  })

  it('never gates on extremes, statuses or a zero baseline', () => {
    const spiky = sampleRunResult()
    spiky.latency.send = {...spiky.latency.send, max: 100_000, p9999: 50_000}
    spiky.sendStatus = {...spiky.sendStatus, FLUSH_DISK_TIMEOUT: 500}
    expect(compareResults(base, spiky).pass).toBe(true)
    const noConsumer = sampleRunResult()
    noConsumer.throughput = {...noConsumer.throughput, consumeTps: 0}
    noConsumer.latency.e2e = {count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, p9999: 0, max: 0}
    expect(compareResults(noConsumer, base).pass).toBe(true)
  })

  it('renders a side-by-side table with deltas and the verdict line', () => {
    const text = renderComparison(compareResults(base, withP99(1.2), {maxRegressionPct: 10}), {color: false})
    expect(text).toContain('Baseline comparison: 1 regression(s) beyond 10% or new loss')
    expect(text).toMatch(/send p99\s+│\s+4\.94 ms\s+│\s+5\.92 ms\s+│\s+\+20%\s+│\s+REGRESSION/)
    expect(text).toMatch(/send p50\s+│\s+1\.23 ms\s+│\s+1\.23 ms\s+│\s+0\.0%/)
    expect(renderComparison(compareResults(base, base), {color: false})).toContain('no regression beyond 10%')
  })
})

describe('parseRegressionLimit', () => {
  it('reads percentages with or without the sign', () => {
    expect(parseRegressionLimit('10%')).toBe(10)
    expect(parseRegressionLimit(' 2.5 ')).toBe(2.5)
  })
  it('rejects anything else naming the flag', () => {
    expect(() => parseRegressionLimit('ten')).toThrow(ConfigError)
    expect(() => parseRegressionLimit('-5%', '--max-regression')).toThrow(/--max-regression: expected a percentage/)
  })
})
