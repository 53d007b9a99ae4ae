/**
 * Our .hlog files are read by HdrHistogram's own Java tool (HistogramLogProcessor) to the same
 * percentiles we compute. Needs `java` and the HdrHistogram jar, fetched into the Maven cache with
 * `mvn dependency:get` when missing; skips loudly when neither the jar nor mvn is there.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {homedir, tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {createLatencyHistogram, destroyHistogram, initHistograms, recordLatencyUs} from '../../../src/metrics/histograms.js'
import {HdrLogWriter, readHdrLog, summarizeHdrLog} from '../../../src/report/hdr-log.js'

function findJar(): string | undefined {
  const base = join(homedir(), '.m2', 'repository', 'org', 'hdrhistogram', 'HdrHistogram')
  if (!existsSync(base)) return undefined
  for (const version of readdirSync(base).sort().reverse()) {
    const jar = join(base, version, `HdrHistogram-${version}.jar`)
    if (existsSync(jar)) return jar
  }
  return undefined
}

const ARTIFACT = 'org.hdrhistogram:HdrHistogram:2.2.2'
const java = spawnSync('java', ['-version'], {stdio: 'ignore'}).status === 0
const mvn = spawnSync('mvn', ['-v'], {stdio: 'ignore'}).status === 0
// A clean CI machine has an empty Maven cache: fetch the jar from Maven Central, as the RocketMQ install does.
if (java && mvn && !findJar()) {
  spawnSync('mvn', ['-q', '-B', 'dependency:get', `-Dartifact=${ARTIFACT}`], {stdio: 'ignore', timeout: 180_000})
}
const jar = findJar()
if (!java || !jar) {
  const why = !java ? 'no java' : mvn ? `mvn could not fetch ${ARTIFACT}` : 'no mvn to fetch the HdrHistogram jar'
  console.warn(`\n[hlog-java] *** SKIPPED: ${why}; run: mvn dependency:get -Dartifact=${ARTIFACT} ***\n`)
}

describe.skipIf(!java || !jar)('.hlog read by HdrHistogram HistogramLogProcessor (Java)', () => {
  let dir: string
  beforeAll(async () => {
    await initHistograms()
    dir = mkdtempSync(join(tmpdir(), 'mqbench-hlog-java-'))
  })
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  it('reports the same whole-log percentiles as readHdrLog', () => {
    const path = join(dir, 'send.hlog')
    const w = new HdrLogWriter(path, 'send', 1_700_000_000_123, '[mqbench send latency, values in microseconds]')
    for (let t = 0; t < 5; t++) {
      const h = createLatencyHistogram()
      for (let i = 1; i <= 1000; i++) recordLatencyUs(h, i * 10 * (t + 1))
      w.write(t, 1, h)
      destroyHistogram(h)
    }
    w.close()
    const ours = summarizeHdrLog(readHdrLog(path))
    const out = join(dir, 'processed')
    const r = spawnSync('java', ['-cp', jar!, 'org.HdrHistogram.HistogramLogProcessor', '-i', path, '-tag', 'send', '-outputValueUnitRatio', '1000', '-o', out], {encoding: 'utf8', timeout: 60_000})
    expect(r.status, r.stderr).toBe(0)
    const lines = readFileSync(out, 'utf8').split('\n').filter((l) => /^\d/.test(l))
    expect(lines).toHaveLength(5)
    // Last line, total columns: count ( 50% 90% 99% 99.9% 99.99% Max ), in ms.
    const total = /T:(\d+) \(\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\)/.exec(lines.at(-1)!)!
    console.log(`[hlog-java] Java: ${lines.at(-1)}; ours: ${JSON.stringify(ours)}`)
    expect(Number(total[1])).toBe(ours.count)
    expect([total[2], total[3], total[4], total[5], total[6], total[7]].map(Number)).toEqual([ours.p50, ours.p90, ours.p99, ours.p999, ours.p9999, ours.max].map((v) => Number(v.toFixed(3))))
  })
})
