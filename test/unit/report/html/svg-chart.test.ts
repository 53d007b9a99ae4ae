import {describe, expect, it} from 'vitest'
import {niceTicks, percentileToX, renderLineChart, thinPoints} from '../../../../src/report/html/svg-chart.js'

describe('svg-chart', () => {
  it('places percentiles on the 1/(1-p) axis', () => {
    expect(percentileToX(0)).toBe(0)
    expect(percentileToX(90)).toBeCloseTo(1, 9)
    expect(percentileToX(99.9)).toBeCloseTo(3, 9)
    expect(percentileToX(100)).toBeCloseTo(5, 9)
  })

  it('chooses 1-2-5 ticks that cover the maximum', () => {
    expect(niceTicks(4987)).toEqual([0, 1000, 2000, 3000, 4000, 5000])
    expect(niceTicks(0.93)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1])
    expect(niceTicks(0)).toEqual([0, 1])
  })

  it('thins long series but keeps a one-point spike', () => {
    const points: Array<[number, number]> = Array.from({length: 86_400}, (_, t) => [t, t === 40_000 ? 900 : 5])
    const thin = thinPoints(points)
    expect(thin.length).toBeLessThanOrEqual(1500)
    expect(thin.some((p) => p[1] === 900)).toBe(true)
    expect(thin.map((p) => p[0])).toEqual([...thin.map((p) => p[0])].sort((a, b) => a - b))
  })

  it('draws one path per series, shaded bands, and escapes labels', () => {
    const svg = renderLineChart({
      id: 'c', title: 'T <b>', xLabel: 's', yLabel: 'ms', xAxis: 'linear',
      series: [{name: 'send', color: '#000', points: [[0, 1], [1, 3]]}, {name: 'e2e', color: '#111', dashed: true, points: [[0, 2], [1, 2]]}],
      bands: [{from: 0.5, to: 0.8, label: 'kill broker-a'}],
    })
    expect(svg.match(/<path class="series"/g)).toHaveLength(2)
    expect(svg).toContain('stroke-dasharray="6 4"')
    expect(svg).toMatch(/<rect class="fault"[^>]*><title>kill broker-a<\/title>/)
    expect(svg).toContain('T &lt;b&gt;')
    expect(renderLineChart({id: 'e', title: 'e', xLabel: '', yLabel: '', xAxis: 'percentile', series: []})).toContain('no data')
  })
})
