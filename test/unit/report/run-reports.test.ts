import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {createLatencyHistogram, destroyHistogram, emptySendCounters, encodeHistogram, initHistograms, recordLatencyUs, summarize} from '../../../src/metrics/index.js'
import {readHdrLog, summarizeHdrLog} from '../../../src/report/hdr-log.js'
import {LoadMetrics} from '../../../src/workload/load-metrics.js'
import {LatencyLogs, writeRunReports} from '../../../src/report/run-reports.js'
import type {TickMessage} from '../../../src/workload/worker-messages.js'
import {sampleRunResult} from './run-result.fixture.js'

function encoded(valuesUs: number[]): string {
  const h = createLatencyHistogram()
  for (const v of valuesUs) recordLatencyUs(h, v)
  const s = encodeHistogram(h)
  destroyHistogram(h)
  return s
}

describe('LatencyLogs fed by LoadMetrics', () => {
  let dir: string
  beforeAll(async () => {
    await initHistograms()
    dir = mkdtempSync(join(tmpdir(), 'mqbench-run-reports-'))
  })
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  it('writes one merged interval per second to send.hlog and e2e.hlog, in order, warm-up excluded', () => {
    const warnings: string[] = []
    const logs = new LatencyLogs(dir, () => 1_700_000_000_000, (m) => warnings.push(m))
    const metrics = new LoadMetrics(2, logs)
    const whole = createLatencyHistogram()
    const producerTick = (t: number, values: number[]): TickMessage => ({
      type: 'tick', role: 'producer', workerId: 0, t, phase: t < 0 ? 'warmup' : 'load', counts: {...emptySendCounters(), SEND_OK: values.length}, sendHist: encoded(values),
    })
    const consumerTick = (t: number, values: number[]): TickMessage => ({
      type: 'tick', role: 'consumer', workerId: 1, t, phase: 'load', counts: {consumed: values.length, corrupt: 0, foreign: 0, pullErrors: 0}, e2eHist: encoded(values),
    })
    metrics.addTick(producerTick(-1, [99_000])) // warm-up: not in the log
    for (let t = 0; t < 3; t++) {
      const send = [1000 * (t + 1), 2000 * (t + 1)]
      metrics.addTick(producerTick(t, send))
      metrics.addTick(consumerTick(t, [5000 * (t + 1)]))
      for (const v of send) recordLatencyUs(whole, v)
    }
    metrics.addTick(consumerTick(3, [7000])) // the drain second: only consumers report; written at close
    metrics.close()
    expect(warnings).toEqual([])

    const send = readHdrLog(join(dir, 'send.hlog'))
    expect(send.startTimeMs).toBe(1_700_000_000_000)
    expect(send.intervals.map((i) => [i.tag, i.startS, i.histogram.totalCount])).toEqual([['send', 0, 2], ['send', 1, 2], ['send', 2, 2], ['send', 3, 0]])
    expect(summarizeHdrLog(send)).toEqual(summarize(whole))
    const e2e = readHdrLog(join(dir, 'e2e.hlog'))
    expect(e2e.intervals.map((i) => [i.tag, i.startS, summarize(i.histogram).max])).toEqual([['e2e', 0, 5.003], ['e2e', 1, 10.007], ['e2e', 2, 15.007], ['e2e', 3, 7.003]])
    destroyHistogram(whole)
  })

  it('writes report.html at the end of a run, and turns a failure into a warning', () => {
    const warnings: string[] = []
    writeRunReports(dir, sampleRunResult(), (m) => warnings.push(m))
    expect(warnings).toEqual([])
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<svg')
    writeRunReports(join(dir, 'missing', 'dir'), sampleRunResult(), (m) => warnings.push(m))
    expect(warnings).toEqual([expect.stringMatching(/^HTML report: /)])
    expect(existsSync(join(dir, 'missing'))).toBe(false)
  })
})
