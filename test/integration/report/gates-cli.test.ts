/**
 * CI gates through the real CLI, the way a pipeline runs them: a short run whose thresholds pass
 * exits 0, one with a failing threshold exits 1 and its JUnit file marks that case failed; the run
 * leaves send.hlog/e2e.hlog and report.html; `report` and `compare` work on the stored results.
 */
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {readHdrLog, summarizeHdrLog} from '../../../src/report/hdr-log.js'
import type {RunResult} from '../../../src/report/run-result.js'
import {ensureBuilt, parseJsonOutput, readOnlyResult, removeDir, runCli, runDirs, tempDir, writeSingleMasterScenario} from '../../helpers/cli.js'
import {sampleRunResult} from '../../unit/report/run-result.fixture.js'

let work: string
let scenario: string

beforeAll(() => {
  ensureBuilt()
  work = tempDir('gates')
  scenario = writeSingleMasterScenario(work, {name: 'gates', rate: 300, duration: '3s', warmup: '1s', seed: 11})
})

afterAll(() => removeDir(work))

function failedCases(xml: string): string[] {
  return [...xml.matchAll(/<testcase classname="[^"]*" name="([^"]*)" time="0">\s*<failure/g)].map((m) => m[1]!)
}

describe('mqbench run with gates', () => {
  let passing: RunResult

  it('passing thresholds: exit 0, JUnit all green, .hlog + report.html written', async () => {
    const out = join(work, 'pass')
    const junit = join(work, 'pass.xml')
    const r = await runCli(['run', scenario, '--out', out, '--threshold', 'audit.lost==0', '--threshold', 'send.p99<60s', '--threshold', 'throughput.sendTps>=100', '--junit', junit], {timeoutMs: 90_000})
    expect(r.exitCode, r.stderr).toBe(0)
    passing = readOnlyResult(out)
    expect(passing.thresholds!.map((t) => [t.expression, t.pass])).toEqual([['audit.lost==0', true], ['send.p99<60s', true], ['throughput.sendTps>=100', true]])
    expect(r.stdout).toContain('Thresholds: all passed')
    const xml = readFileSync(junit, 'utf8')
    expect(failedCases(xml)).toEqual([])
    expect(xml).toMatch(/<testsuite name="mqbench.gates" tests="\d+" failures="0"/)
    expect(xml).toContain('name="send.p99&lt;60s"')

    const send = readHdrLog(join(passing.runDir, 'send.hlog'))
    const e2e = readHdrLog(join(passing.runDir, 'e2e.hlog'))
    const fromLog = summarizeHdrLog(send)
    console.log(`[gates] send.hlog: ${send.intervals.length} intervals, ${fromLog.count} sends, p99 ${fromLog.p99} ms; result: ${passing.latency.send.count} sends, p99 ${passing.latency.send.p99} ms`)
    expect(send.intervals.length).toBeGreaterThanOrEqual(3)
    expect(send.intervals.every((i) => i.tag === 'send' && i.lengthS === 1)).toBe(true)
    expect(e2e.intervals.every((i) => i.tag === 'e2e')).toBe(true)
    expect(fromLog.count).toBeGreaterThan(passing.latency.send.count * 0.9)
    expect(fromLog.count).toBeLessThanOrEqual(passing.latency.send.count)
    const html = readFileSync(join(passing.runDir, 'report.html'), 'utf8')
    expect(html).toContain('id="chart-distribution"')
  })

  it('a failing threshold: exit 1, listed as FAILED, the JUnit case failed; the baseline comparison is printed', async () => {
    const out = join(work, 'fail')
    const junit = join(work, 'fail.xml')
    const r = await runCli(['run', scenario, '--out', out, '--threshold', 'audit.lost==0', '--threshold', 'throughput.sendTps>=1000000',
      '--baseline', passing.runDir, '--junit', junit], {timeoutMs: 90_000})
    expect(r.exitCode, r.stderr).toBe(1)
    const result = readOnlyResult(out)
    expect(result.verdict.pass).toBe(true)
    expect(result.thresholds!.map((t) => t.pass)).toEqual([true, false])
    expect(r.stdout).toMatch(/throughput\.sendTps>=1000000\s+│\s+[\d.,]+\s+│\s+>= 1,000,000\s+│\s+FAILED/)
    expect(r.stdout).toContain('Baseline comparison:')
    const xml = readFileSync(junit, 'utf8')
    expect(failedCases(xml)).toContain('throughput.sendTps&gt;=1000000')
    expect(failedCases(xml)).not.toContain('audit.lost==0')
    expect(xml).toMatch(/classname="mqbench.gates.baseline" name="send p99"/)
  })

  it('a malformed threshold or missing baseline is exit 2 before any run starts', async () => {
    const out = join(work, 'bad')
    const bad = await runCli(['run', scenario, '--out', out, '--threshold', 'send.p98<20ms'], {timeoutMs: 30_000})
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toMatch(/^Error: threshold "send.p98<20ms": unknown field "latency.send.p98"/)
    const noBase = await runCli(['run', scenario, '--out', out, '--baseline', join(work, 'nothing')], {timeoutMs: 30_000})
    expect(noBase.exitCode).toBe(2)
    expect(runDirs(out)).toEqual([])
  })

  it('report regenerates html, overlays runs, prints junit and the joined hlog', async () => {
    const [pass] = runDirs(join(work, 'pass'))
    const [fail] = runDirs(join(work, 'fail'))
    const html = await runCli(['report', pass!])
    expect(html.exitCode, html.stderr).toBe(0)
    expect(html.stdout.trim()).toBe(`wrote ${join(pass!, 'report.html')}`)
    const overlay = join(work, 'overlay.html')
    const both = await runCli(['report', pass!, fail!, '--output', overlay])
    expect(both.exitCode, both.stderr).toBe(0)
    expect(readFileSync(overlay, 'utf8')).toContain('data-runs="2"')
    const junit = await runCli(['report', fail!, '--format', 'junit'])
    expect(failedCases(junit.stdout)).toEqual(['throughput.sendTps&gt;=1000000'])
    const hlog = await runCli(['report', pass!, '--format', 'hlog'])
    expect(hlog.stdout).toMatch(/^Tag=send,/m)
    expect(hlog.stdout).toMatch(/^Tag=e2e,/m)
    const many = await runCli(['report', pass!, fail!, '--format', 'json'])
    expect(many.exitCode).toBe(2)
  })
})

describe('mqbench compare', () => {
  function stored(name: string, p99Factor: number): string {
    const r = sampleRunResult()
    r.runId = name
    r.latency.send = {...r.latency.send, p99: r.latency.send.p99 * p99Factor}
    const dir = join(work, name)
    mkdirSync(dir, {recursive: true})
    writeFileSync(join(dir, 'result.json'), JSON.stringify(r))
    return dir
  }

  it('flags a 20 % p99 regression (exit 1) and passes a 5 % one under --max-regression 10%', async () => {
    const base = stored('base', 1)
    const worse = await runCli(['compare', join(base, 'result.json'), stored('p99-plus-20', 1.2), '--max-regression', '10%'])
    expect(worse.exitCode).toBe(1)
    expect(worse.stdout).toMatch(/send p99\s+│\s+4\.94 ms\s+│\s+5\.92 ms\s+│\s+\+20%\s+│\s+REGRESSION/)
    const slight = await runCli(['compare', base, stored('p99-plus-5', 1.05), '--max-regression', '10%', '--json'])
    expect(slight.exitCode).toBe(0)
    const envelope = parseJsonOutput<{status: number; result: {pass: boolean; maxRegressionPct: number}}>(slight.stdout)
    expect(envelope).toMatchObject({status: 0, result: {pass: true, maxRegressionPct: 10}})
    const badFlag = await runCli(['compare', base, base, '--max-regression', 'lots'])
    expect(badFlag.exitCode).toBe(2)
    expect(existsSync(join(base, 'result.json'))).toBe(true)
  })
})
