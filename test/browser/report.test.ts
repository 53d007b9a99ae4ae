/**
 * The HTML report in a real browser: Debian's headless Chromium opens report.html from disk
 * (file://, no network), the page's own check confirms every chart drew geometry (SVG getBBox), no
 * console message or uncaught error appears, and screenshots are kept in test-artifacts/.
 * Chromium is installed with apt when missing and running as root; otherwise the suite is skipped
 * with a loud warning rather than passing silently.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {createLatencyHistogram, destroyHistogram, initHistograms, recordLatencyUs} from '../../src/metrics/histograms.js'
import {HdrLogWriter} from '../../src/report/hdr-log.js'
import {writeOverlayHtmlReport, writeRunHtmlReport} from '../../src/report/html/report-files.js'
import type {RunResult} from '../../src/report/run-result.js'
import {sampleRunResult} from '../unit/report/run-result.fixture.js'

const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts')
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--enable-logging=stderr', '--v=0',
]

function which(bin: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`], {encoding: 'utf8'})
  return r.status === 0 ? r.stdout.trim() : undefined
}

function findOrInstallChromium(): string | undefined {
  const found = which('chromium') ?? which('chromium-browser')
  if (found) return found
  if (process.getuid?.() !== 0) return undefined
  console.warn('[browser] chromium missing: apt-get install -y chromium (this takes a few minutes once)')
  const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'}
  let r = spawnSync('apt-get', ['install', '-y', 'chromium'], {stdio: 'ignore', env, timeout: 600_000})
  if (r.status !== 0) {
    spawnSync('apt-get', ['update'], {stdio: 'ignore', env, timeout: 300_000})
    r = spawnSync('apt-get', ['install', '-y', 'chromium'], {stdio: 'ignore', env, timeout: 600_000})
  }
  return which('chromium')
}

const chromium = findOrInstallChromium()
if (!chromium) {
  console.warn('\n[browser] *** SKIPPED: no chromium and not root to install it (apt-get install -y chromium). The HTML report was NOT checked in a browser. ***\n')
}

interface PageLoad {
  body: string
  /** The DOM as Chromium built it (after the page's script ran). */
  dom: string
  consoleLines: string[]
}

function openInChromium(file: string, profile: string, screenshot: string): PageLoad {
  const common = [...CHROMIUM_FLAGS, '--window-size=1200,2800', '--virtual-time-budget=3000']
  const dom = spawnSync(chromium!, [...common, `--user-data-dir=${profile}-dom`, '--dump-dom', `file://${file}`], {encoding: 'utf8', timeout: 90_000})
  if (dom.status !== 0) throw new Error(`chromium --dump-dom exited ${dom.status}: ${dom.stderr.slice(-2000)}`)
  execFileSync(chromium!, [...common, `--user-data-dir=${profile}-shot`, `--screenshot=${screenshot}`, `file://${file}`], {stdio: 'ignore', timeout: 90_000})
  const body = /<body[^>]*>/.exec(dom.stdout)?.[0] ?? ''
  // Chromium logs every console message and uncaught error as ":INFO:CONSOLE" with --enable-logging.
  const consoleLines = dom.stderr.split('\n').filter((l) => /:CONSOLE[(:]/.test(l))
  return {body, dom: dom.stdout, consoleLines}
}

function runWithTimeline(name: string, flush: string, role: string, stallAt: number): RunResult {
  const r = sampleRunResult()
  r.scenario.name = name
  r.runId = `${name}-r1`
  r.cluster = r.cluster.map((n) => ({...n, flushDiskType: flush, role: n.role === 'SLAVE' ? 'SLAVE' : role}))
  r.timeline = Array.from({length: 60}, (_, t) => {
    const stalled = t >= stallAt && t < stallAt + 5
    return {t, sendTps: stalled ? 800 : 5000 + ((t * 37) % 200), consumeTps: stalled ? 700 : 4950, sendP99Ms: stalled ? 640 : 3 + (t % 5) / 2, e2eP99Ms: stalled ? 1200 : 8, errors: stalled ? 40 : 0}
  })
  r.faults = [{at: stallAt, action: 'kill', target: 'broker-a-master', healedAt: stallAt + 5}]
  return r
}

function writeRunDir(parent: string, result: RunResult, seed: number): string {
  const dir = join(parent, result.runId)
  mkdirSync(dir, {recursive: true})
  writeFileSync(join(dir, 'result.json'), JSON.stringify({...result, runDir: dir}))
  let x = seed
  const next = (): number => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  for (const [file, tag, scaleUs] of [['send.hlog', 'send', 3000], ['e2e.hlog', 'e2e', 8000]] as const) {
    const w = new HdrLogWriter(join(dir, file), tag, Date.parse(result.startedAt))
    for (let t = 0; t < 60; t++) {
      const h = createLatencyHistogram()
      for (let i = 0; i < 500; i++) recordLatencyUs(h, scaleUs * (0.2 + next()) * (next() < 0.01 ? 60 : 1))
      w.write(t, 1, h)
      destroyHistogram(h)
    }
    w.close()
  }
  return dir
}

describe.skipIf(!chromium)('HTML report in headless Chromium', () => {
  let work: string
  beforeAll(async () => {
    await initHistograms()
    work = mkdtempSync(join(tmpdir(), 'mqbench-browser-'))
    mkdirSync(ARTIFACTS, {recursive: true})
  })
  afterAll(() => rmSync(work, {recursive: true, force: true}))

  it('one run: every chart draws, no console errors, screenshot saved', () => {
    const dir = writeRunDir(work, runWithTimeline('sync-flush-sync-master', 'SYNC_FLUSH', 'SYNC_MASTER', 20), 1)
    const file = writeRunHtmlReport(dir)
    const shot = join(ARTIFACTS, 'report.png')
    const page = openInChromium(file, join(work, 'profile-one'), shot)
    console.log(`[browser] ${chromium}: ${page.body}; screenshot ${shot} (${statSync(shot).size} bytes)`)
    expect(page.consoleLines).toEqual([])
    expect(page.body).toContain('data-charts="4"')
    expect(page.body).toContain('data-charts-drawn="4"')
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG')
    expect(statSync(shot).size).toBeGreaterThan(20_000)
    copyFileSync(file, join(ARTIFACTS, 'report.html'))
  })

  it('per-second charts are steps with gaps for missing seconds; the replication check is on the page (issue 18)', () => {
    const result = runWithTimeline('sync-flush-sync-master', 'SYNC_FLUSH', 'SYNC_MASTER', 20)
    // Seconds 30..34 never reported (a stalled orchestrator): a gap, not a fall to 0 and not a line across.
    result.timeline = result.timeline.filter((p) => p.t < 30 || p.t >= 35)
    result.replication = {commitLogIdentical: true, masterSha256: 'ab'.repeat(32), slaveSha256: 'ab'.repeat(32), masterBytes: 1_234_567, slaveBytes: 1_234_567}
    const dir = writeRunDir(work, {...result, runId: 'gaps-r1'}, 3)
    const file = writeRunHtmlReport(dir)
    const shot = join(ARTIFACTS, 'report-gaps.png')
    const page = openInChromium(file, join(work, 'profile-gaps'), shot)
    expect(page.consoleLines).toEqual([])
    expect(page.body).toContain('data-charts-drawn="4"')
    const sent = /<figure class="chart" id="chart-throughput">.*?<path class="series" data-series="send" d="([^"]+)"/s.exec(page.dom)
    expect(sent, 'throughput chart with a "send" series').not.toBeNull()
    const d = sent![1]!
    // Two runs of seconds (0..29 and 35..59): two subpaths; each second is a flat segment (same y twice).
    expect(d.match(/M/g)).toHaveLength(2)
    expect(d).toMatch(/^M[\d.]+ ([\d.]+)L[\d.]+ \1L/)
    const replication = /<section id="replication">.*?<\/section>/s.exec(page.dom)?.[0] ?? ''
    expect(replication).toContain('<td class="pass">identical</td>')
    expect(replication).toContain('1,234,567')
    expect(statSync(shot).size).toBeGreaterThan(20_000)
  })

  it('four runs overlaid (flush × replication): every chart draws, no console errors', () => {
    const combos: Array<[string, string, string]> = [
      ['sync-flush-sync-master', 'SYNC_FLUSH', 'SYNC_MASTER'], ['sync-flush-async-master', 'SYNC_FLUSH', 'ASYNC_MASTER'],
      ['async-flush-sync-master', 'ASYNC_FLUSH', 'SYNC_MASTER'], ['async-flush-async-master', 'ASYNC_FLUSH', 'ASYNC_MASTER'],
    ]
    const dirs = combos.map(([name, flush, role], i) => writeRunDir(work, runWithTimeline(name, flush, role, 10 + i * 10), i + 2))
    const file = writeOverlayHtmlReport(dirs, join(work, 'overlay.html'))
    const shot = join(ARTIFACTS, 'overlay.png')
    const page = openInChromium(file, join(work, 'profile-overlay'), shot)
    console.log(`[browser] overlay: ${page.body}; screenshot ${shot} (${statSync(shot).size} bytes)`)
    expect(page.consoleLines).toEqual([])
    expect(page.body).toContain('data-runs="4"')
    expect(page.body).toContain('data-charts-drawn="4"')
    copyFileSync(file, join(ARTIFACTS, 'overlay.html'))
  })

  it('the check itself fails on a page that throws', () => {
    const file = join(work, 'broken.html')
    writeFileSync(file, '<!DOCTYPE html><html><body><script>null.x</script></body></html>')
    const page = openInChromium(file, join(work, 'profile-broken'), join(work, 'broken.png'))
    expect(page.consoleLines.join('\n')).toMatch(/Uncaught TypeError/)
    expect(page.body).not.toContain('data-charts-drawn')
  })
})
