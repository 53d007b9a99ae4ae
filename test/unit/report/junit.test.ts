import {describe, expect, it} from 'vitest'
import {compareResults} from '../../../src/report/compare.js'
import {escapeXml, toJUnitXml} from '../../../src/report/junit.js'
import {evaluateThresholds, parseThresholds} from '../../../src/report/thresholds.js'
import {sampleRunResult} from './run-result.fixture.js'

function testcases(xml: string): Array<{classname: string; name: string; failure?: string}> {
  const out: Array<{classname: string; name: string; failure?: string}> = []
  const re = /<testcase classname="([^"]*)" name="([^"]*)" time="0"(?:\/>|>\s*<failure message="([^"]*)"[^>]*>[^<]*<\/failure>\s*<\/testcase>)/g
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push({classname: m[1]!, name: m[2]!, ...(m[3] === undefined ? {} : {failure: m[3]})})
  return out
}

describe('toJUnitXml', () => {
  it('has one test case per verdict check and per threshold; failures carry observed vs promise/limit', () => {
    const r = sampleRunResult()
    r.thresholds = evaluateThresholds(parseThresholds(['send.p99<20ms', 'audit.lost==0']), r)
    const xml = toJUnitXml(r)
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="mqbench" tests="4" failures="2" errors="0" time="45.000">/)
    expect(xml).toContain('<testsuite name="mqbench.power-loss" tests="4" failures="2" errors="0" skipped="0" timestamp="2025-01-01T10:00:00.000" time="45.000">')
    expect(testcases(xml)).toEqual([
      {classname: 'mqbench.power-loss.verdict', name: 'no-acked-loss', failure: 'observed: 2 of 149,500 acked messages lost; promise: SYNC_MASTER: no SEND_OK message lost'},
      {classname: 'mqbench.power-loss.verdict', name: 'no-corruption'},
      {classname: 'mqbench.power-loss.thresholds', name: 'send.p99&lt;20ms'},
      {classname: 'mqbench.power-loss.thresholds', name: 'audit.lost==0', failure: 'audit.lost==0: observed 2, limit == 0'},
    ])
    expect(xml).toContain('lost samples (producer:seq): 0:1041, 1:1043')
  })

  it('adds one case per gated baseline figure, failed where it regressed', () => {
    const base = sampleRunResult()
    const cur = sampleRunResult()
    cur.latency.e2e = {...cur.latency.e2e, p99: cur.latency.e2e.p99 * 1.5}
    const xml = toJUnitXml(cur, {comparison: compareResults(base, cur)})
    const baseline = testcases(xml).filter((c) => c.classname.endsWith('.baseline'))
    expect(baseline.map((c) => c.name)).toContain('send tps')
    expect(baseline.filter((c) => c.failure)).toEqual([{classname: 'mqbench.power-loss.baseline', name: 'e2e p99', failure: 'e2e p99: 10.0 ms → 15.0 ms (+50%)'}])
  })

  it('escapes markup and drops characters XML cannot hold', () => {
    expect(escapeXml(`a<b>&"c'\u0001d`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;d')
    const r = sampleRunResult()
    r.scenario.name = 'x"><evil/>'
    expect(toJUnitXml(r)).not.toContain('<evil/>')
  })
})
