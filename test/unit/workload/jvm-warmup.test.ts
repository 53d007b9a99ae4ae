import {describe, expect, it} from 'vitest'
import {isSteady, SATURATED_AFTER_S, STEADY_SECONDS, TOLERANCE, warmupScenario} from '../../../src/workload/jvm-warmup.js'
import {resolveScenario} from '../../../src/scenario/builtin.js'

describe('JVM warm-up: steady', () => {
  it('needs STEADY_SECONDS consecutive seconds within TOLERANCE of the target rate', () => {
    expect(STEADY_SECONDS).toBe(3)
    expect(TOLERANCE).toBe(0.05)
    const climbing = [900, 2500, 4800, 6600, 6980]
    expect(isSteady(climbing, 7000)).toBe(false)
    expect(isSteady([...climbing, 7010, 6950], 7000)).toBe(true)
    // One second out of band breaks the run of steady seconds.
    expect(isSteady([7000, 7000, 6000], 7000)).toBe(false)
    expect(isSteady([7000, 7000], 7000)).toBe(false)
  })

  it('a plateau below the target: still warming at first, saturated (steady) after SATURATED_AFTER_S seconds', () => {
    expect(isSteady([5000, 5000, 5000, 5000], 7000)).toBe(false)
    const plateau = Array.from({length: SATURATED_AFTER_S}, (_, i) => (i < SATURATED_AFTER_S - 3 ? 1000 + i * 300 : 5000))
    expect(isSteady(plateau.slice(0, -1), 7000)).toBe(false)
    expect(isSteady(plateau, 7000)).toBe(true)
    // Still climbing after that long is not a plateau.
    expect(isSteady([...plateau.slice(0, -3), 4000, 4600, 5200], 7000)).toBe(false)
  })

  it('rate 0 (as fast as possible): steady around the last seconds\' own mean; zero is not steady', () => {
    expect(isSteady([1000, 4000, 6000], 0)).toBe(false)
    expect(isSteady([1000, 6900, 7000, 7100], 0)).toBe(true)
    expect(isSteady([0, 0, 0], 0)).toBe(false)
  })
})

describe('JVM warm-up: load', () => {
  it('keeps the run\'s shape on its own topic, without consumers, outbox or warm-up of its own', () => {
    const s = structuredClone(resolveScenario('kill-master').scenario)
    s.workload.outbox = true
    const w = warmupScenario(s, 'mqbench-jvm-warmup', 60_000).workload
    expect(w).toMatchObject({topic: 'mqbench-jvm-warmup', consumers: 0, warmup: 0, outbox: false, rate: s.workload.rate, sendMode: s.workload.sendMode})
    expect(w.duration).toBeGreaterThan(60_000)
    expect(s.workload.topic).toBe('mqbench')
  })
})
