import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import fc from 'fast-check'
import {
  createLatencyHistogram, decodeHistogram, destroyHistogram, encodeHistogram, histogramBackend, initHistograms,
  mergeInto, recordLatencyUs, summarize, type Histogram, type HistogramBackend,
} from '../../../src/metrics/histograms.js'
import {MqbenchError} from '../../../src/errors.js'

/** HdrHistogram with 3 significant digits reports values within 0.1 % of the truth. */
function expectNear(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(expected * 0.001 + 1e-9)
}

function filled(from: number, to: number): Histogram {
  const h = createLatencyHistogram()
  for (let us = from; us <= to; us++) recordLatencyUs(h, us)
  return h
}

describe.each<HistogramBackend>(['wasm', 'js'])('latency histograms (%s backend)', (wanted) => {
  const owned: Histogram[] = []
  const own = (h: Histogram): Histogram => (owned.push(h), h)
  beforeAll(async () => {
    const got = await initHistograms({webAssembly: wanted === 'wasm'})
    // The WASM build ships inside the package; if it ever fails to load here, say so instead of testing JS twice.
    expect(got).toBe(wanted)
  })
  afterAll(() => owned.forEach(destroyHistogram))

  it('summarises known data in milliseconds', () => {
    const s = summarize(own(filled(1, 10_000)))
    expect(s.count).toBe(10_000)
    expectNear(s.mean, 5.0005)
    expectNear(s.p50, 5)
    expectNear(s.p90, 9)
    expectNear(s.p99, 9.9)
    expectNear(s.p999, 9.99)
    expectNear(s.p9999, 9.999)
    expectNear(s.max, 10)
  })

  it('summarises an empty histogram as zeros', () => {
    expect(summarize(own(createLatencyHistogram()))).toEqual({count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, p9999: 0, max: 0})
  })

  it('clamps out-of-range values instead of throwing and skips NaN', () => {
    const h = own(createLatencyHistogram())
    for (const v of [-5, 1e12, Number.POSITIVE_INFINITY, Number.NaN, 0.4]) recordLatencyUs(h, v)
    const s = summarize(h)
    expect(s.count).toBe(4)
    expectNear(s.max, 60_000)
    expect(s.p50).toBe(0)
  })

  it('round-trips through the compressed base64 encoding', () => {
    const h = own(filled(100, 20_000))
    const encoded = encodeHistogram(h)
    expect(encoded).toMatch(/^[A-Za-z0-9+/=]+$/)
    const back = own(decodeHistogram(encoded))
    expect(summarize(back)).toEqual(summarize(h))
  })

  it('merges two halves into the same summary as the whole', () => {
    const target = own(filled(1, 5_000))
    mergeInto(target, own(filled(5_001, 10_000)))
    expect(summarize(target)).toEqual(summarize(own(filled(1, 10_000))))
  })

  it('merges a histogram from the other backend', async () => {
    await initHistograms({webAssembly: wanted !== 'wasm'})
    const foreign = own(filled(1, 1_000))
    expect(histogramBackend()).not.toBe(wanted)
    await initHistograms({webAssembly: wanted === 'wasm'})
    const target = own(filled(1_001, 2_000))
    mergeInto(target, foreign)
    expect(summarize(target)).toEqual(summarize(own(filled(1, 2_000))))
  })

  it('rejects strings that are not encoded histograms with a typed error', () => {
    for (const bad of ['', 'not base64 at all!', 'AAAA']) {
      expect(() => own(decodeHistogram(bad))).toThrow(MqbenchError)
    }
  })

  it('merging decoded parts of any split equals recording everything in one histogram', () => {
    const seed = Date.now() % 1_000_000
    console.log(`histogram split property seed=${seed}`)
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({min: 0, max: 60_000_000}), {maxLength: 50}), {minLength: 1, maxLength: 5}), (parts) => {
        const whole = createLatencyHistogram()
        const merged = createLatencyHistogram()
        try {
          for (const part of parts) {
            const h = createLatencyHistogram()
            for (const v of part) {
              recordLatencyUs(h, v)
              recordLatencyUs(whole, v)
            }
            const decoded = decodeHistogram(encodeHistogram(h))
            mergeInto(merged, decoded)
            destroyHistogram(decoded)
            destroyHistogram(h)
          }
          expect(summarize(merged)).toEqual(summarize(whole))
        } finally {
          destroyHistogram(whole)
          destroyHistogram(merged)
        }
      }),
      {seed, numRuns: 50},
    )
  })
})
