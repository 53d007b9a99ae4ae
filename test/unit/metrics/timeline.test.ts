import {describe, expect, it} from 'vitest'
import {Timeline, type TimelinePoint} from '../../../src/metrics/timeline.js'

const at = (t: number, sendTps = t * 10): TimelinePoint => ({t, sendTps, consumeTps: 0, sendP99Ms: 1, e2eP99Ms: 2, errors: 0})

describe('Timeline', () => {
  it('keeps points in time order, inserting late ones in place', () => {
    const tl = new Timeline()
    for (const t of [1, 2, 4, 3, 5]) tl.add(at(t))
    expect(tl.points().map((p) => p.t)).toEqual([1, 2, 3, 4, 5])
  })

  it('keeps one point per second: a repeat replaces the earlier one', () => {
    const tl = new Timeline()
    tl.add(at(1))
    tl.add(at(2))
    tl.add(at(1, 999))
    expect(tl.points()).toEqual([at(1, 999), at(2)])
  })

  it('stops growing at its bound and counts what it dropped', () => {
    const tl = new Timeline(3)
    for (let t = 0; t < 5; t++) tl.add(at(t))
    expect(tl.points().map((p) => p.t)).toEqual([0, 1, 2])
    expect(tl.dropped()).toBe(2)
  })

  it('hands out copies', () => {
    const tl = new Timeline()
    tl.add(at(1))
    tl.points()[0]!.sendTps = -1
    expect(tl.points()[0]!.sendTps).toBe(10)
  })
})
