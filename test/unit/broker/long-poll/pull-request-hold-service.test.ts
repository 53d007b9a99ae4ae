import {afterEach, describe, expect, it, vi} from 'vitest'
import {PullRequestHoldService} from '../../../../src/broker/long-poll/pull-request-hold-service.js'

describe('PullRequestHoldService', () => {
  afterEach(() => vi.useRealTimers())

  it('wakes a held pull when its queue gets a message beyond its offset, once', () => {
    const s = new PullRequestHoldService()
    const woke: string[] = []
    s.hold('T', 0, 5, 60_000, () => woke.push('a'))
    s.hold('T', 1, 5, 60_000, () => woke.push('other-queue'))
    s.notifyMessageArriving('T', 0, 5) // offset 5 not yet written
    expect(woke).toEqual([])
    s.notifyMessageArriving('T', 0, 6)
    s.notifyMessageArriving('T', 0, 7)
    expect(woke).toEqual(['a'])
    expect(s.heldCount()).toBe(1)
    s.stop()
    expect(woke).toEqual(['a', 'other-queue'])
  })

  it('answers at the suspend timeout when nothing arrives', () => {
    vi.useFakeTimers()
    const s = new PullRequestHoldService()
    let woke = 0
    s.hold('T', 0, 0, 15_000, () => woke++)
    vi.advanceTimersByTime(14_999)
    expect(woke).toBe(0)
    vi.advanceTimersByTime(1)
    expect(woke).toBe(1)
    expect(s.heldCount()).toBe(0)
  })

  it('refuses beyond its bound and after stop', () => {
    const s = new PullRequestHoldService(1)
    expect(s.hold('T', 0, 0, 1000, () => {})).toBe(true)
    expect(s.hold('T', 0, 0, 1000, () => {})).toBe(false)
    s.stop()
    expect(s.hold('T', 0, 0, 1000, () => {})).toBe(false)
  })
})
