/**
 * Rate adherence of the open-loop schedule: through the real CLI (single master, ASYNC_FLUSH, async
 * sends, 3 s measured), the achieved send rate must be within 2 % of the target at 1k, 5k and 20k
 * msg/s. sendTps counts sends whose intended time falls in the measured window and that got a
 * SendStatus, so it falls short exactly by the sends the pacer dropped or that failed.
 *
 * 20k msg/s needs the machine to carry the whole pipeline: measured on the 2-core dev box (CPU time per
 * process / messages, at 5k and 10k msg/s), the broker spends ~60 µs, the producer worker ~55 µs and
 * the consumer worker ~20–30 µs per message, i.e. ~2.7–3 cores at 20k msg/s, and one producer alone
 * would need more than one core (so 20k uses two producers). Below MIN_CORES_FOR_20K cores that case is
 * skipped *loudly* (the reason is printed) instead of being asserted with a weaker bound.
 */
import {availableParallelism} from 'node:os'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ensureBuilt, readOnlyResult, removeDir, runCli, tempDir, writeSingleMasterScenario} from '../../helpers/cli.js'

const TOLERANCE = 0.02
const MIN_CORES_FOR_20K = 4
const cores = availableParallelism()

let work: string

beforeAll(() => {
  ensureBuilt()
  work = tempDir('rate')
})

afterAll(() => removeDir(work))

async function achievedRate(target: number, producers = 1): Promise<number> {
  const name = `rate-${target}`
  const file = writeSingleMasterScenario(work, {
    // Little's law: in-flight = rate × latency; 1024 slots keep a 50 ms hiccup at 20k msg/s from dropping sends.
    name, rate: target, duration: '3s', warmup: '1s', flushDiskType: 'ASYNC_FLUSH', sendMode: 'async', maxInFlight: 1024, producers, seed: 11,
  })
  const out = `${work}/${name}-out`
  const r = await runCli(['run', file, '--out', out, '--json'], {timeoutMs: 90_000})
  const result = readOnlyResult(out)
  const t = result.throughput
  console.log(`[rate] target ${target}/s: achieved ${t.sendTps}/s (${((t.sendTps / target - 1) * 100).toFixed(2)} %), ` +
    `dropped ${result.errors.dropped}, errors ${result.errors.total}, service p50 ${result.latency.sendService.p50} ms, ` +
    `p99 ${result.latency.sendService.p99} ms, per second ${JSON.stringify(result.timeline.map((p) => p.sendTps))}, exit ${r.exitCode}`)
  expect(result.status).toBe('completed')
  expect(result.audit.lost).toBe(0)
  expect(r.exitCode).toBe(0)
  return t.sendTps
}

describe('open-loop send rate through `mqbench run`', () => {
  it.each([1000, 5000])('achieves %i msg/s within 2 %', async (target) => {
    const tps = await achievedRate(target)
    expect(Math.abs(tps / target - 1)).toBeLessThanOrEqual(TOLERANCE)
  })

  if (cores < MIN_CORES_FOR_20K) {
    console.warn(`[rate] SKIPPED 20000 msg/s: ${cores} cores < ${MIN_CORES_FOR_20K}; broker + producer + consumer need ~2.7 cores ` +
      'at 20k msg/s (about 135 µs CPU per message in total), so this box cannot show whether the schedule is accurate there')
  }
  it.runIf(cores >= MIN_CORES_FOR_20K)('achieves 20000 msg/s within 2 %', async () => {
    const tps = await achievedRate(20_000, 2)
    expect(Math.abs(tps / 20_000 - 1)).toBeLessThanOrEqual(TOLERANCE)
  })
})
