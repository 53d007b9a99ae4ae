import {describe, expect, it} from 'vitest'

import {ArrivalSchedule} from '../../../src/workload/arrival-schedule.js'

const START = 1_700_000_000_000

describe('ArrivalSchedule (open loop)', () => {
  it('hands out slots at start + i/rate, all that are due per call', () => {
    const s = new ArrivalSchedule({ratePerSec: 1000, startMs: START, durationMs: 10})
    const out: number[] = []
    expect(s.take(START - 5, 100, out)).toBe(0)
    expect(s.nextDueMs(START - 5)).toBe(START)
    expect(s.take(START, 100, out)).toBe(1)
    expect(out[0]).toBe(START)
    // 3.5 ms later slots 1, 2, 3 are due
    expect(s.take(START + 3.5, 100, out)).toBe(3)
    expect(out.slice(0, 3)).toEqual([START + 1, START + 2, START + 3])
    expect(s.nextDueMs(START + 3.5)).toBe(START + 4)
    expect(s.started).toBe(4)
  })

  it('issues exactly rate × duration slots, then finishes', () => {
    const s = new ArrivalSchedule({ratePerSec: 5000, startMs: START, durationMs: 2000})
    const out: number[] = []
    let total = 0
    for (let t = START; !s.finished(t); t += 7.3) total += s.take(t, 1_000_000, out)
    expect(total).toBe(10_000)
    expect(s.dropped).toBe(0)
    expect(s.nextDueMs(START + 5000)).toBeUndefined()
    // the last slot is intended strictly before the end
    expect(s.intendedAt(9999)).toBeLessThan(START + 2000)
  })

  it('respects free slots: the rest stays as backlog with its original intended times', () => {
    const s = new ArrivalSchedule({ratePerSec: 100, startMs: START, durationMs: 1000})
    const out: number[] = []
    expect(s.take(START + 95, 4, out)).toBe(4) // 10 due (0..90 ms)
    expect(s.backlog(START + 95)).toBe(6)
    expect(s.take(START + 96, 10, out)).toBe(6)
    expect(out.slice(0, 6)).toEqual([40, 50, 60, 70, 80, 90].map((d) => START + d))
    expect(s.dropped).toBe(0)
  })

  it('drops slots older than maxBacklogMs instead of bursting them, and counts them', () => {
    const s = new ArrivalSchedule({ratePerSec: 1000, startMs: START, durationMs: 10_000, maxBacklogMs: 1000})
    const out: number[] = []
    expect(s.take(START, 10, out)).toBe(1)
    // the driver stalls 3 s: slots 1..2000 (intended < now - 1000) are dropped
    const now = START + 3000
    const n = s.take(now, 10_000, out)
    expect(s.dropped).toBe(1999)
    expect(out[0]).toBe(START + 2000)
    expect(n).toBe(1001) // slots 2000..3000 inclusive
    expect(s.started + s.dropped).toBe(3001)
  })

  it('drops stale slots even when no slot is free', () => {
    const s = new ArrivalSchedule({ratePerSec: 10, startMs: START, durationMs: 10_000, maxBacklogMs: 500})
    const out: number[] = []
    expect(s.take(START + 2000, 0, out)).toBe(0)
    expect(s.dropped).toBe(15) // slots at 0..1400 ms are older than 1500 ms
    expect(s.take(START + 2000, 100, out)).toBe(6) // 1500..2000
  })

  it('never drops the tail past the schedule end', () => {
    const s = new ArrivalSchedule({ratePerSec: 10, startMs: START, durationMs: 1000, maxBacklogMs: 100})
    const out: number[] = []
    expect(s.take(START + 60_000, 100, out)).toBe(0)
    expect(s.dropped).toBe(10)
    expect(s.finished(START + 60_000)).toBe(true)
  })

  it('rejects a negative rate', () => {
    expect(() => new ArrivalSchedule({ratePerSec: -1, startMs: START, durationMs: 1})).toThrow(RangeError)
  })
})

describe('ArrivalSchedule (closed loop, rate 0)', () => {
  it('fills every free slot with intended = now until the end time', () => {
    const s = new ArrivalSchedule({ratePerSec: 0, startMs: START, durationMs: 100})
    const out: number[] = []
    expect(s.take(START - 1, 8, out)).toBe(0)
    expect(s.take(START + 10, 8, out)).toBe(8)
    expect(out.slice(0, 8).every((t) => t === START + 10)).toBe(true)
    expect(s.take(START + 100, 8, out)).toBe(0)
    expect(s.finished(START + 100)).toBe(true)
    expect(s.dropped).toBe(0)
  })
})
