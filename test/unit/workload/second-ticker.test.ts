import {afterEach, describe, expect, it, vi} from 'vitest'
import {SecondTicker} from '../../../src/workload/second-ticker.js'

describe('SecondTicker', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('labels whole seconds of the measured window from warm-up on, each once, in order', () => {
    vi.useFakeTimers({now: 10_000})
    const ticker = new SecondTicker(() => Date.now(), () => 12_000)
    const seen: number[] = []
    expect(ticker.secondsSinceMeasure()).toBe(-2)
    ticker.start((k) => (seen.push(k), true))
    expect(ticker.pendingSecond()).toBe(-2)
    vi.advanceTimersByTime(4_000)
    expect(seen).toEqual([-2, -1, 0, 1])
    expect(ticker.pendingSecond()).toBe(2)
    ticker.stop()
    vi.advanceTimersByTime(3_000)
    expect(seen).toEqual([-2, -1, 0, 1])
  })

  it('a timer that fires late neither repeats nor skips a label, and false ends the ticks', () => {
    vi.useFakeTimers({now: 0})
    let skewMs = 0
    const ticker = new SecondTicker(() => Date.now() - skewMs, () => 0)
    const seen: number[] = []
    ticker.start((k) => {
      seen.push(k)
      skewMs = 5 // the clock reads early after the first tick: k=0 must not come again
      return k < 3
    })
    vi.advanceTimersByTime(10_000)
    expect(seen).toEqual([0, 1, 2, 3])
  })

  it('before start, the pending second is the current one', () => {
    vi.useFakeTimers({now: 5_500})
    expect(new SecondTicker(() => Date.now(), () => 1_000).pendingSecond()).toBe(4)
  })
})
