import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {ArrivalSchedule} from '../../../src/workload/arrival-schedule.js'

const START = 1_700_000_000_000
// Epoch milliseconds near 1.7e12 are doubles ~0.24 µs apart, so START + slot / rate may round a hair past a
// bound it meets exactly (seed 1108686558: the last of 498 slots in 11 ms landed on START + 11). Times are
// compared to within 1 µs; the slot counts stay exact.
const EPS = 1e-3
const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31)

describe('ArrivalSchedule invariants (fast-check)', () => {
  it('every slot is started or dropped exactly once, in order, never too old, never above free slots', () => {
    console.log(`[arrival-schedule.property] seed=${seed}`)
    fc.assert(
      fc.property(
        fc.integer({min: 1, max: 50_000}),
        fc.integer({min: 0, max: 3000}),
        fc.integer({min: 1, max: 2000}),
        fc.array(fc.record({stepMs: fc.double({min: 0, max: 700, noNaN: true}), free: fc.integer({min: 0, max: 5000})}), {maxLength: 60}),
        (rate, durationMs, maxBacklogMs, steps) => {
          const s = new ArrivalSchedule({ratePerSec: rate, startMs: START, durationMs, maxBacklogMs})
          const total = Math.max(0, Math.ceil((durationMs * rate) / 1000 - 1e-9))
          const out: number[] = []
          let now = START - 10
          let last = -Infinity
          let started = 0
          for (const {stepMs, free} of [...steps, {stepMs: durationMs + maxBacklogMs + 10, free: 10_000_000}]) {
            now += stepMs
            const n = s.take(now, free, out)
            expect(n).toBeLessThanOrEqual(free)
            for (let i = 0; i < n; i++) {
              expect(out[i]!).toBeGreaterThan(last) // strictly increasing: no slot twice
              expect(out[i]!).toBeLessThanOrEqual(now + EPS) // never early
              expect(out[i]!).toBeGreaterThanOrEqual(now - maxBacklogMs - EPS) // never older than the bound
              expect(out[i]!).toBeLessThan(START + durationMs + EPS)
              last = out[i]!
            }
            started += n
          }
          expect(s.started).toBe(started)
          expect(s.started + s.dropped).toBe(total)
          expect(s.finished(now)).toBe(true)
        },
      ),
      {seed, numRuns: 300},
    )
  })
})
