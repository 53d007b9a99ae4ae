import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import * as hdr from 'hdr-histogram-js'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ConfigError} from '../../../src/errors.js'
import {createLatencyHistogram, destroyHistogram, initHistograms, mergeInto, recordLatencyUs, summarize, type Histogram} from '../../../src/metrics/histograms.js'
import {seededRandom} from '../../../src/seeded-random.js'
import {HdrLogWriter, joinHdrLogs, parseHdrLog, percentileDistribution, readHdrLog, summarizeHdrLog} from '../../../src/report/hdr-log.js'

describe('HdrLogWriter / readHdrLog', () => {
  let dir: string
  beforeAll(async () => {
    await initHistograms()
    dir = mkdtempSync(join(tmpdir(), 'mqbench-hlog-'))
  })
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  it('round-trips one interval per second to the same percentiles', () => {
    const seed = Number(process.env.SEED ?? Date.now() % 2 ** 31)
    console.log(`hdr-log round trip seed ${seed}`)
    const next = seededRandom(seed)
    const path = join(dir, 'send.hlog')
    const startMs = 1_700_000_000_123
    const writer = new HdrLogWriter(path, 'send', startMs, '[mqbench send latency, values in microseconds]')
    const whole = createLatencyHistogram()
    const perSecond: Histogram[] = []
    for (let s = 0; s < 12; s++) {
      const h = createLatencyHistogram()
      // A long tail every few seconds, like a flush stall.
      const n = 200 + Math.floor(next() * 800)
      for (let i = 0; i < n; i++) recordLatencyUs(h, 50 + next() * (s % 4 === 3 ? 400_000 : 5_000))
      writer.write(s, 1, h)
      mergeInto(whole, h)
      perSecond.push(h)
    }
    writer.close()
    const text = readFileSync(path, 'utf8')
    expect(text).toMatch(/^#\[mqbench send latency/)
    expect(text).toContain('#[StartTime: 1700000000.123 (seconds since epoch)')
    expect(text).toContain('#[BaseTime: 1700000000.123 (seconds since epoch)]')
    expect(text).toContain('"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"')
    expect(text.split('\n').filter((l) => l.startsWith('Tag=send,'))).toHaveLength(12)

    const log = readHdrLog(path)
    expect(log.startTimeMs).toBe(startMs)
    expect(log.intervals.map((i) => [i.tag, i.startS, i.lengthS])).toEqual(perSecond.map((_, s) => ['send', s, 1]))
    log.intervals.forEach((i, s) => expect(summarize(i.histogram)).toEqual(summarize(perSecond[s]!)))
    expect(summarizeHdrLog(log)).toEqual(summarize(whole))

    // HdrHistogram's own reader agrees (same tags, same counts).
    const reader = new hdr.HistogramLogReader(text)
    let count = 0
    for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) {
      expect(h.tag).toBe('send')
      count += h.totalCount
    }
    expect(count).toBe(whole.totalCount)
    for (const h of [whole, ...perSecond]) destroyHistogram(h)
  })

  it('joins the send and e2e logs into one tagged log', () => {
    const a = join(dir, 'a.hlog')
    const b = join(dir, 'b.hlog')
    for (const [path, tag, us] of [[a, 'send', 1000], [b, 'e2e', 3000]] as const) {
      const w = new HdrLogWriter(path, tag, 1_700_000_000_000)
      const h = createLatencyHistogram()
      recordLatencyUs(h, us)
      w.write(0, 1, h)
      w.write(1, 1, h)
      w.close()
      destroyHistogram(h)
    }
    const joined = parseHdrLog(joinHdrLogs([readFileSync(a, 'utf8'), readFileSync(b, 'utf8')]))
    expect(joined.intervals.map((i) => `${i.tag}@${i.startS}`)).toEqual(['send@0', 'send@1', 'e2e@0', 'e2e@1'])
    expect(hdr.listTags(joinHdrLogs([readFileSync(a, 'utf8'), readFileSync(b, 'utf8')]))).toEqual(['send', 'e2e'])
  })

  it('gives the percentile distribution in ms, tail included', () => {
    const h = createLatencyHistogram()
    for (let i = 1; i <= 1000; i++) recordLatencyUs(h, i * 1000)
    const d = percentileDistribution(h)
    expect(d.find((p) => p.percentile === 50)!.valueMs).toBeCloseTo(500, 0)
    expect(d.at(-1)).toEqual({percentile: 100, valueMs: expect.closeTo(1000, 0)})
    destroyHistogram(h)
    expect(percentileDistribution(createLatencyHistogram())).toEqual([])
  })

  it('names the line of a damaged log', () => {
    const path = join(dir, 'bad.hlog')
    writeFileSync(path, '#[StartTime: 1.000 (seconds since epoch)]\nTag=send,0.000,1.000,5.0,%%%notbase64\n')
    expect(() => readHdrLog(path)).toThrow(ConfigError)
    expect(() => readHdrLog(path)).toThrow(/bad\.hlog:2:/)
    expect(() => parseHdrLog('garbage line')).toThrow(/\.hlog:1: not an HdrHistogram interval line/)
  })
})
