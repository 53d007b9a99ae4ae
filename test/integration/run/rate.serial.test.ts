/**
 * Rate adherence of the open-loop schedule: through the real CLI (single master, ASYNC_FLUSH, async
 * sends, 3 s measured), the achieved send rate must be within 2 % of the target at 1k, 5k and 20k
 * msg/s. sendTps counts sends whose intended time falls in the measured window and that got a
 * SendStatus, so it falls short exactly by the sends the pacer dropped (backlog older than 1 s) or
 * that failed; the log line prints both.
 *
 * maxInFlight stays at the built-in 256 (Little's law: 20k msg/s × 12 ms service time). Larger bounds did
 * not help on the 2-core box (1024: 2.6k–13.7k/s, 4096: 6.6k/s): a backlogged pacer starts up to
 * maxInFlight sends in one synchronous burst (~25 ms of event loop at 1024) and the broker then sees the
 * same burst. CPU per message at 20k: broker ~30–35 µs, producer ~24–29 µs, consumer ~14–17 µs (~1.4–1.6
 * cores in all), so 20k fits two otherwise idle cores, and runs did reach 19.2k–19.9k/s. On a box shared
 * with other suites it may not: the misses seen there (5.7k–14.6k/s at load average 7–11) came with
 * 2.8–3.6 s of run-queue wait for the broker and the producer during a 4 s load — CPU starvation, not
 * the pacer. So each target first waits (bounded) for a quiet machine — CI starts this file straight
 * after the main suite, whose last JVMs may still be stopping — and a miss whose processes spent over
 * STARVED_MS in the run queue (the machine was busy elsewhere: CI once saw 16,988/s with the broker
 * 1.3 s and the producer 0.6 s waiting) is measured once more. A miss on a quiet machine fails at once,
 * printing CPU and run-queue wait per process; the bound is never weakened.
 *
 * No consumer runs: what is measured is the producer's pacer and the send path. A consumer (and the
 * broker serving its pulls) took ~0.6 of the two cores at 20k msg/s, and with it CI's run after the main
 * suite starved into 19.25k/s (broker 63 µs/msg, 1.7 s run-queue wait). Every message is still audited.
 */
import {loadavg} from 'node:os'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {
  ensureBuilt, type ProcessCpu, readOnlyResult, removeDir, sampleProcessCpu, startCli, stopRunningClis, tempDir, waitForQuietMachine, writeSingleMasterScenario,
} from '../../helpers/cli.js'

const TOLERANCE = 0.02
/**
 * Run-queue wait (any one process, during one ~5 s run) that says the CPUs were taken by something else:
 * on a quiet machine the broker waits ~0.85 s at 20k/s (three busy processes on two cores), in CI's miss 1.3 s.
 */
const STARVED_MS = 1000

let work: string

beforeAll(() => {
  ensureBuilt()
  work = tempDir('rate')
})

afterAll(async () => {
  await stopRunningClis()
  removeDir(work)
})

async function achievedRate(target: number, attempt: number): Promise<{tps: number; starved: boolean}> {
  const quiet = await waitForQuietMachine()
  const name = `rate-${target}-${attempt}`
  const file = writeSingleMasterScenario(work, {
    name, rate: target, duration: '3s', warmup: '1s', flushDiskType: 'ASYNC_FLUSH', sendMode: 'async', maxInFlight: 256, seed: 11, consumers: 0,
  })
  const out = `${work}/${name}-out`
  const cli = startCli(['run', file, '--out', out, '--json'], {timeoutMs: 90_000})
  const cpu = sampleProcessCpu(cli.pid!)
  const r = await cli
  const processes = cpu.stop()
  const result = readOnlyResult(out)
  const t = result.throughput
  console.log(`[rate] target ${target}/s: achieved ${t.sendTps}/s (${((t.sendTps / target - 1) * 100).toFixed(2)} %), ` +
    `dropped ${result.errors.dropped}, errors ${result.errors.total}, service p50 ${result.latency.sendService.p50} ms, ` +
    `p99 ${result.latency.sendService.p99} ms, per second ${JSON.stringify(result.timeline.map((p) => p.sendTps))}, exit ${r.exitCode}; ` +
    `${describeCpu(processes, result.audit.attempted)}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; before: ${quiet}`)
  expect(result.status).toBe('completed')
  expect(result.audit.lost).toBe(0)
  const starved = processes.some((p) => p.runQueueWaitMs > STARVED_MS)
  // Exit 1 is the run's own rate/drop check failing: the caller decides whether starvation explains it.
  if (!starved || Math.abs(t.sendTps / target - 1) <= TOLERANCE) expect(r.exitCode).toBe(0)
  return {tps: t.sendTps, starved}
}

/** Per process: CPU per message and run-queue wait, so a miss says whether the box was starved. */
function describeCpu(processes: ProcessCpu[], messages: number): string {
  return processes.filter((p) => p.role !== 'namesrv').map((p) =>
    `${p.role} ${((p.cpuMs * 1000) / Math.max(1, messages)).toFixed(0)} µs/msg cpu, ${p.runQueueWaitMs} ms run-queue wait`).join(', ')
}

describe('open-loop send rate through `mqbench run`', () => {
  it.each([1000, 5000, 20_000])('achieves %i msg/s within 2 %', async (target) => {
    let r = await achievedRate(target, 1)
    if (Math.abs(r.tps / target - 1) > TOLERANCE && r.starved) {
      console.log(`[rate] target ${target}/s: missed while the machine was busy elsewhere; measuring once more`)
      r = await achievedRate(target, 2)
    }
    expect(Math.abs(r.tps / target - 1)).toBeLessThanOrEqual(TOLERANCE)
  }, 240_000)
})
