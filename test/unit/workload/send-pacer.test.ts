import {afterEach, describe, expect, it, vi} from 'vitest'

import {ArrivalSchedule} from '../../../src/workload/arrival-schedule.js'
import {SendPacer} from '../../../src/workload/send-pacer.js'

afterEach(() => {
  vi.useRealTimers()
})

describe('SendPacer (fake timers)', () => {
  it('starts every slot once, batches per wake-up, flushes before issuing, bounds in-flight', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date']})
    const start = Date.now() + 10
    const schedule = new ArrivalSchedule({ratePerSec: 2000, startMs: start, durationMs: 500})
    const events: string[] = []
    let inFlight = 0
    let maxSeen = 0
    const intended: number[] = []
    const pacer = new SendPacer({
      schedule,
      maxInFlight: 8,
      now: () => Date.now(),
      beforeBatch: (batch, n) => events.push(`batch:${n}:${batch.slice(0, n).join(',')}`),
      issue: (intendedMs) => {
        events.push(`issue:${intendedMs}`)
        intended.push(intendedMs)
        inFlight++
        maxSeen = Math.max(maxSeen, inFlight)
        return new Promise((resolve) => setTimeout(() => {
          inFlight--
          resolve()
        }, 2))
      },
    })
    const done = pacer.run()
    await vi.advanceTimersByTimeAsync(2000)
    const stats = await done
    expect(stats.started + stats.dropped).toBe(1000)
    expect(stats.dropped).toBe(0)
    expect(intended).toHaveLength(1000)
    expect(intended[999]).toBeCloseTo(start + 499.5, 6)
    expect(new Set(intended).size).toBe(1000)
    expect(maxSeen).toBeLessThanOrEqual(8)
    // every issue is preceded by the batch that announced it
    let announced = 0
    for (const e of events) {
      if (e.startsWith('batch:')) announced += Number(e.split(':')[1])
      else {
        expect(announced).toBeGreaterThan(0)
        announced--
      }
    }
    expect(pacer.outstanding).toBe(0)
  })

  it('stop() starts nothing more and resolves once outstanding sends settle', async () => {
    vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date']})
    const schedule = new ArrivalSchedule({ratePerSec: 0, startMs: Date.now(), durationMs: 60_000})
    let issued = 0
    const pacer = new SendPacer({
      schedule, maxInFlight: 4, now: () => Date.now(),
      issue: () => {
        issued++
        return new Promise((resolve) => setTimeout(resolve, 10))
      },
    })
    const done = pacer.run()
    await vi.advanceTimersByTimeAsync(95)
    pacer.stop()
    const before = issued
    await vi.advanceTimersByTimeAsync(50)
    const stats = await done
    expect(issued).toBe(before)
    expect(stats.started).toBe(issued)
    expect(issued).toBeGreaterThanOrEqual(4 * 9) // closed loop keeps all 4 slots busy
  })
})
