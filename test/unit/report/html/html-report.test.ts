import {describe, expect, it} from 'vitest'
import {renderHtmlReport} from '../../../../src/report/html/html-report.js'
import {sampleRunResult} from '../run-result.fixture.js'

describe('renderHtmlReport', () => {
  const one = renderHtmlReport([{result: sampleRunResult()}], {generatedAt: '2025-01-01T11:00:00Z'})

  it('is one self-contained page: no external URL, no external script or stylesheet', () => {
    expect(one.startsWith('<!DOCTYPE html>')).toBe(true)
    expect(one).not.toMatch(/\b(src|href)\s*=/i)
    expect(one).not.toMatch(/url\(/)
    const urls = one.match(/https?:\/\/[^\s"'<)]+/g) ?? []
    expect(urls.filter((u) => u !== 'http://www.w3.org/2000/svg')).toEqual([])
    expect(one).toContain("default-src 'none'")
  })

  it('draws the four charts with fault windows shaded and the tables', () => {
    for (const id of ['chart-throughput', 'chart-latency', 'chart-distribution', 'chart-errors']) expect(one).toContain(`id="${id}"`)
    // The fixture's power-loss from 10 s to 15.5 s shades each time chart.
    expect(one.match(/<rect class="fault"/g)).toHaveLength(3)
    expect(one).toContain('power-loss broker-a-master at 10s, healed at 15.5s')
    for (const caption of ['Run', 'Throughput', 'Latency (ms)', 'SendStatus and errors', 'Audit (message by message)']) expect(one).toContain(`<caption>${caption}</caption>`)
    expect(one).toContain('FLUSH_SLAVE_TIMEOUT')
    expect(one).toContain('2 — 0:1041, 1:1043')
    expect(one).toContain('<b>FAIL</b> no-acked-loss')
    expect(one).toContain('generated 2025-01-01T11:00:00Z')
  })

  it('uses the .hlog percentile curve when given one', () => {
    const curve = [{percentile: 50, valueMs: 1}, {percentile: 99.9, valueMs: 123.456}]
    const html = renderHtmlReport([{result: sampleRunResult(), distribution: {send: curve, e2e: []}}])
    const distribution = /<figure class="chart" id="chart-distribution">.*?<\/figure>/s.exec(html)![0]
    expect(distribution.match(/<path class="series"[^>]*d="M[^"]*"/g)).toHaveLength(1)
  })

  it('overlays several runs: one colour each, labelled series, one column per run', () => {
    const a = sampleRunResult()
    const b = sampleRunResult()
    b.scenario.name = 'sync-flush-sync-master'
    b.faults = []
    const html = renderHtmlReport([{result: a}, {result: b}])
    expect(html).toContain('data-runs="2"')
    expect(html).toContain('data-series="power-loss send"')
    expect(html).toContain('data-series="sync-flush-sync-master send"')
    expect(html).toMatch(/<thead><tr><th><\/th><th><span class="swatch" style="background:#0072B2"><\/span>power-loss<\/th><th><span class="swatch" style="background:#D55E00"><\/span>sync-flush-sync-master<\/th><\/tr><\/thead>/)
    // Same scenario twice: run ids tell them apart.
    const twice = renderHtmlReport([{result: a}, {result: {...a, runId: 'other-run'}}])
    expect(twice).toContain('data-series="other-run send"')
  })

  it('escapes whatever the result carries', () => {
    const r = sampleRunResult()
    r.scenario.name = '</script><script>alert(1)</script>'
    r.config = {note: '<img onerror=x>'}
    const html = renderHtmlReport([{result: r}])
    expect(html).not.toContain('<script>alert(1)')
    expect(html).not.toContain('<img onerror')
    expect(html.match(/<script>/g)).toHaveLength(1)
  })
})
