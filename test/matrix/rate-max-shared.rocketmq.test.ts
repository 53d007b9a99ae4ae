/**
 * `--rate max` on real RocketMQ: every step of the search runs on one cluster started for the search
 * (src/matrix/warm-cluster.ts), each on its own topic, instead of paying a JVM start and a cold JIT per
 * step; the cluster is stopped afterwards and no JVM outlives the command. Skips LOUDLY without java/mvn.
 */
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, expect, it} from 'vitest'
import type {RateSearchResult} from '../../src/matrix/rate-search.js'
import type {RunResult} from '../../src/report/run-result.js'
import {ensureBuilt, parseJsonOutput, processesWith, removeDir, runCli, tempDir} from '../helpers/cli.js'
import {describeRocketMQ} from '../helpers/rocketmq.js'

let work: string
beforeAll(() => {
  ensureBuilt()
  work = tempDir('rate-max-shared')
})
afterAll(() => removeDir(work))

describeRocketMQ('mqbench run --rate max --target rocketmq', () => {
  it('runs every step on one warm cluster, each on its own topic, and stops it afterwards', async () => {
    const marker = `rate-max-shared-${process.pid}`
    const out = join(work, 'out')
    const r = await runCli(['run', 'sync-flush', '--target', 'rocketmq', '--rate', 'max', '--max-p99', '500ms', '--budget', '60s', '--out', out, '--json'], {
      timeoutMs: 280_000, env: {MQBENCH_CHAOS_TEST: marker},
    })
    expect(processesWith(`MQBENCH_CHAOS_TEST=${marker}`), 'processes left behind').toEqual([])
    expect(r.exitCode, r.stderr).toBe(0)
    const search = parseJsonOutput<{result: RateSearchResult}>(r.stdout).result
    console.log(`[rate-max rocketmq] max ${search.maxRate}/s; ${search.steps.map((s) => `${s.rate}:${s.held ? 'held' : s.reason} ${s.elapsedMs} ms`).join('; ')}`)
    expect(search.steps.length).toBeGreaterThanOrEqual(2)
    expect(search.maxRate).toBeGreaterThan(0)
    const results = search.steps.map((s) => JSON.parse(readFileSync(join(s.runDir!, 'result.json'), 'utf8')) as RunResult)
    const namesrvs = new Set(results.map((x) => (x.config['cluster'] as {namesrv?: string}).namesrv))
    expect(namesrvs.size).toBe(1)
    expect([...namesrvs][0]).toMatch(/^127\.0\.0\.1:\d+$/)
    const topics = results.map((x) => (x.config['workload'] as {topic: string}).topic)
    expect(new Set(topics).size).toBe(results.length)
    for (const x of results) {
      expect(x.target).toBe('rocketmq')
      expect(x.jvmWarmup?.steady, `${x.runDir}: JVM warm-up not steady`).toBe(true)
      // No broker of its own: the step started no JVM.
      expect(existsSync(join(x.runDir, 'cluster', 'broker-a-0'))).toBe(false)
    }
  }, 300_000)
})
