/**
 * Issue 18 through `mqbench report --format text` on a stored result (no cluster needed):
 * item 8, an 80-column terminal gets readable tables (no line wider than $COLUMNS); item 6, warm-up is
 * labelled where it is in or out; item 9, a must-fail demonstration says so in the verdict header and
 * the fault table says what the power cut destroyed and what follows the fault.
 */
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ensureBuilt, removeDir, runCli, tempDir} from '../helpers/cli.js'
import {sampleRunResult} from '../unit/report/run-result.fixture.js'

let dir: string
beforeAll(() => {
  ensureBuilt()
  dir = tempDir('report-text')
})
afterAll(() => removeDir(dir))

function storedRun(name: string, edit: (r: ReturnType<typeof sampleRunResult>) => void): string {
  const runDir = join(dir, name)
  mkdirSync(runDir, {recursive: true})
  const r = sampleRunResult()
  r.runDir = runDir
  edit(r)
  writeFileSync(join(runDir, 'result.json'), JSON.stringify(r))
  return runDir
}

describe('mqbench report --format text', () => {
  it('fits COLUMNS=80: every line at most 80 columns, every section still there', async () => {
    const run = storedRun('wide', (r) => {
      r.scenario.description = 'Power cuts on a SYNC_FLUSH master under load (volatile page cache, torn tails): no SEND_OK may be lost; with --flush ASYNC_FLUSH only the unflushed window.'
    })
    const r = await runCli(['report', run, '--format', 'text'], {env: {COLUMNS: '80'}})
    expect(r.exitCode).toBe(0)
    const lines = r.stdout.split('\n')
    expect(lines.filter((l) => [...l].length > 80)).toEqual([])
    for (const title of ['Setup', 'Latency (load window, warm-up excluded)', 'Verdict: FAIL']) expect(lines).toContain(title)
    expect(r.stdout).toMatch(/^scenario\n {2}power-loss — Power cuts on a SYNC_FLUSH master/m)
    // Wide enough: the box tables stay.
    const wide = await runCli(['report', run, '--format', 'text'], {env: {COLUMNS: '250'}})
    expect(wide.stdout).toMatch(/^│ scenario +│ power-loss — Power cuts/m)
  })

  it('labels warm-up: in the audit counts, out of the load-window figures', async () => {
    const r = await runCli(['report', storedRun('labels', () => undefined), '--format', 'text'], {env: {COLUMNS: '250'}})
    expect(r.stdout).toContain('Throughput (msg/s, load window)\n')
    expect(r.stdout).toContain("* attempted and acked: every message, warm-up included (the audit's counts)\n")
    expect(r.stdout).toContain('SendStatus and errors (load window, warm-up excluded)\n')
    expect(r.stdout).toContain('Audit: INVALID (every message, warm-up included)\n')
    const html = await runCli(['report', join(dir, 'labels'), '--format', 'html'])
    expect(html.exitCode).toBe(0)
    const page = readFileSync(join(dir, 'labels', 'report.html'), 'utf8')
    expect(page).toContain('every message, warm-up included')
    expect(page).toContain('msg/s, load window (warm-up excluded)')
  })

  it('a must-fail demonstration says the FAIL is the point; a power cut says what it destroyed and what follows a fault', async () => {
    const run = storedRun('demo', (r) => {
      r.scenario.name = 'fsync-lie'
      r.scenario.expectedVerdict = 'FAIL'
      r.faults = [{at: 2, action: 'fsync-lie', target: 'master (broker-a-0)', healedAt: 4, description: 'fsync on master succeeds without persisting; a power cut and restart at heal'},
        {at: 10, action: 'power-loss', target: 'master (broker-a-0)', healedAt: 12, unsyncedBytes: 122_647}]
    })
    const r = await runCli(['report', run, '--format', 'text'], {env: {COLUMNS: '250'}})
    expect(r.stdout).toContain('Verdict: FAIL (expected: fsync-lie demonstrates a failure mqbench must catch)\n')
    expect(r.stdout).toMatch(/│ fsync on master succeeds without persisting; a power cut and restart at heal +│/)
    expect(r.stdout).toMatch(/│ master \(broker-a-0\); destroyed 122,647 unsynced bytes +│/)
  })
})
