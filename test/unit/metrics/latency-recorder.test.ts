import {afterEach, describe, expect, it} from 'vitest'
import {LatencyRecorder} from '../../../src/metrics/latency-recorder.js'
import {decodeHistogram, destroyHistogram, summarize} from '../../../src/metrics/histograms.js'

function summaryOf(encoded: string) {
  const h = decodeHistogram(encoded)
  try {
    return summarize(h)
  } finally {
    destroyHistogram(h)
  }
}

describe('LatencyRecorder', () => {
  let recorder: LatencyRecorder | undefined
  afterEach(() => recorder?.destroy())

  it('hands out each interval once and keeps the cumulative total', () => {
    recorder = new LatencyRecorder()
    for (let us = 1; us <= 100; us++) recorder.record(us * 1000)
    const first = summaryOf(recorder.takeInterval())
    expect(first.count).toBe(100)
    expect(first.max).toBeCloseTo(100, 0)

    recorder.record(500_000)
    const second = summaryOf(recorder.takeInterval())
    expect(second.count).toBe(1)
    expect(second.p50).toBeCloseTo(500, 0)

    expect(summaryOf(recorder.takeInterval()).count).toBe(0)
    expect(recorder.summarizeTotal().count).toBe(101)
  })

  it('reports the total without stealing values from the next interval', () => {
    recorder = new LatencyRecorder()
    recorder.record(1000)
    recorder.takeInterval()
    recorder.record(2000)
    recorder.record(3000)
    expect(summaryOf(recorder.encodeTotal()).count).toBe(3)
    expect(recorder.summarizeTotal().count).toBe(3)
    expect(summaryOf(recorder.takeInterval()).count).toBe(2)
  })

  it('can be destroyed twice', () => {
    recorder = new LatencyRecorder()
    recorder.destroy()
    expect(() => recorder!.destroy()).not.toThrow()
  })
})
