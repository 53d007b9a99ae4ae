/**
 * Issue 7's built-in scenarios through the real CLI, each with the verdict it must reach: disk faults
 * answer RocketMQ error codes and lose nothing acknowledged; a lying fsync plus a power cut is caught
 * (FAIL, with lost ids); a partitioned slave costs FLUSH_SLAVE_TIMEOUT / SLAVE_NOT_AVAILABLE and then
 * catches up byte-identical; the proxy's latency shows in send p50.
 */
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {RunResult} from '../../src/report/run-result.js'
import {ensureBuilt, readOnlyResult, removeDir, runCli, tempDir} from '../helpers/cli.js'

let work: string
beforeAll(() => {
  ensureBuilt()
  work = tempDir('disk-net')
})
afterAll(() => removeDir(work))

async function run(name: string): Promise<{exitCode: number | undefined; result: RunResult}> {
  const out = join(work, name)
  const r = await runCli(['run', name, '--seed', '3', '--out', out, '--json'], {timeoutMs: 150_000})
  const result = readOnlyResult(out)
  console.log(`[disk-net] ${name}: exit ${r.exitCode}, verdict ${result.verdict.pass}, ${JSON.stringify(result.sendStatus)}, ` +
    `broker errors ${JSON.stringify(result.errors.broker)}, lost ${result.audit.lost}, send p50 ${result.latency.send.p50} ms`)
  return {exitCode: r.exitCode, result}
}

describe('disk and network fault scenarios', {timeout: 200_000}, () => {
  it('disk-eio: FLUSH_DISK_TIMEOUT and SERVICE_NOT_AVAILABLE instead of SEND_OK, nothing acked lost, SEND_OK after heal', async () => {
    const {exitCode, result} = await run('disk-eio')
    expect(result.sendStatus.FLUSH_DISK_TIMEOUT + (result.errors.broker['SERVICE_NOT_AVAILABLE'] ?? 0)).toBeGreaterThan(0)
    expect(result.audit.lost).toBe(0)
    expect(result.verdict.pass).toBe(true)
    expect(exitCode).toBe(0)
  })

  it('slow-disk: FLUSH_DISK_TIMEOUT counted, nothing acked lost', async () => {
    const {result} = await run('slow-disk')
    expect(result.sendStatus.FLUSH_DISK_TIMEOUT).toBeGreaterThan(0)
    expect(result.audit.lost).toBe(0)
    expect(result.verdict.pass).toBe(true)
  })

  it('fsync-lie: the audit catches the lie — verdict FAIL with lost SEND_OK ids', async () => {
    const {exitCode, result} = await run('fsync-lie')
    expect(result.audit.lost).toBeGreaterThan(0)
    // Disk faults are judged on what the store holds after the heal (lostFromStore ⊇ lost).
    expect(result.audit.lostFromStore).toBeGreaterThanOrEqual(result.audit.lost)
    const failed = result.verdict.checks.find((c) => c.name === 'no-lost-from-store')!
    expect(failed.pass).toBe(false)
    expect(failed.lostSamples!.length).toBeGreaterThan(0)
    expect(exitCode).toBe(1)
  })

  it('partition-slave: FLUSH_SLAVE_TIMEOUT / SLAVE_NOT_AVAILABLE, nothing acked lost', async () => {
    const {result} = await run('partition-slave')
    expect(result.sendStatus.FLUSH_SLAVE_TIMEOUT + result.sendStatus.SLAVE_NOT_AVAILABLE).toBeGreaterThan(0)
    expect(result.audit.lost).toBe(0)
    expect(result.replication?.commitLogIdentical).toBe(true)
    expect(result.verdict.pass).toBe(true)
  })

  it('slow-network: the proxy adds its 50 ms to send p50 (± 20 %), nothing lost', async () => {
    const {result} = await run('slow-network')
    expect(result.latency.send.p50).toBeGreaterThanOrEqual(40)
    expect(result.latency.send.p50).toBeLessThanOrEqual(60 + 5)
    expect(result.audit.lost).toBe(0)
  })
})
