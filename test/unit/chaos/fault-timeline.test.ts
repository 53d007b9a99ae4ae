/** The terminal's fault strip: which seconds a fault was active, what the send rate and errors did meanwhile. */
import {describe, expect, it} from 'vitest'
import {faultActiveAt, renderFaultTimeline, SECONDS_PER_LINE} from '../../../src/report/fault-timeline.js'
import type {RunResult} from '../../../src/report/run-result.js'
import {renderFaults} from '../../../src/report/terminal-outcome.js'
import {createPaint} from '../../../src/report/terminal-format.js'

const plain = createPaint(false)
const point = (t: number, sendTps: number, errors = 0) => ({t, sendTps, consumeTps: sendTps, sendP99Ms: 1, e2eP99Ms: 2, errors})

function run(timeline: RunResult['timeline'], faults: RunResult['faults']): RunResult {
  return {timeline, faults} as RunResult
}

describe('fault timeline', () => {
  it('marks the seconds a fault overlaps, including a partial first and last second', () => {
    const faults = [{at: 3.02, action: 'kill', target: 'master', healedAt: 5.4}]
    expect([2, 3, 4, 5, 6].map((t) => faultActiveAt(faults, t))).toEqual([false, true, true, true, false])
    expect(faultActiveAt([{at: 1, action: 'pause', target: 'slave'}], 99)).toBe(true)
  })

  it('draws send rate, errors and fault columns per second, warm-up left out', () => {
    const timeline = [point(-1, 900), point(0, 1500), point(1, 1500), point(2, 0, 1500), point(3, 750, 700), point(4, 1500)]
    const out = renderFaultTimeline(run(timeline, [{at: 2.01, action: 'kill', target: 'master (broker-a-0)', healedAt: 3.5}]), plain)
    expect(out.split('\n')).toEqual([
      't=0s..4s',
      'sent/s ██ ▄█',
      'errors ··!!·',
      'fault  ··██·',
      'one column per second; sent/s peaks at 1500 msg/s; █ = a fault active',
    ])
  })

  it('wraps long runs into blocks of SECONDS_PER_LINE seconds', () => {
    const timeline = Array.from({length: 130}, (_, t) => point(t, 100))
    const lines = renderFaultTimeline(run(timeline, [{at: 61, action: 'power-loss', target: 'master', healedAt: 62}]), plain).split('\n')
    expect(lines.filter((l) => l.startsWith('t='))).toEqual([`t=0s..${SECONDS_PER_LINE - 1}s`, 't=60s..119s', 't=120s..129s'])
    expect(lines[7]).toBe(`fault  ·█${'·'.repeat(58)}`)
  })

  it('the terminal fault section carries the strip under the fault table', () => {
    const r = run([point(0, 10), point(1, 10)], [{at: 0.5, action: 'pause', target: 'slave', healedAt: 1.2}])
    const out = renderFaults(r, plain)!
    expect(out).toMatch(/Faults \(seconds since load start\)/)
    expect(out).toMatch(/fault {2}██/)
    expect(renderFaults(run([point(0, 1)], []), plain)).toBeUndefined()
  })
})
