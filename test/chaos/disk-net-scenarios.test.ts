/**
 * Issue 7's built-in scenarios through the real CLI, each with the verdict it must reach: disk faults
 * answer RocketMQ error codes and lose nothing acknowledged; a lying fsync plus a power cut is caught
 * (FAIL, with lost ids); a partitioned slave costs FLUSH_SLAVE_TIMEOUT / SLAVE_NOT_AVAILABLE and then
 * catches up byte-identical; the proxy's latency shows in send p50.
 */
import {execFileSync} from 'node:child_process'
import {chmodSync, existsSync, lstatSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {execa} from 'execa'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parse, stringify} from 'yaml'
import {readProducerLedgerFile, SendOutcome} from '../../src/recorder/ledger/producer-ledger.js'
import {loopImageProblems} from '../../src/chaos/faults/loop-image.js'
import type {RunResult} from '../../src/report/run-result.js'
import {clusterLogLines, ensureBuilt, parseJsonOutput, processesWith, readOnlyResult, removeDir, REPO, runCli, runDirs, startCli, stopRunningClis, tempDir} from '../helpers/cli.js'

/** disk-full needs root and loop devices; without them its run test is skipped, and says so loudly. */
const loopProblems = loopImageProblems()
if (loopProblems.length > 0) {
  console.warn(`\n!!!!! [disk-net] disk-full on a loop-mounted image SKIPPED: ${loopProblems.join('; ')} !!!!!\n`)
}

let work: string
beforeAll(() => {
  ensureBuilt()
  work = tempDir('disk-net')
})
afterAll(async () => {
  await stopRunningClis()
  removeDir(work)
})

/** SEND_OK outcomes acknowledged after the last non-SEND_OK one: the broker serves again once the fault is gone. */
function sendOkAfterLastError(result: RunResult): {errors: number; okAfter: number} {
  const dir = join(result.runDir, 'ledgers')
  const acks = readdirSync(dir).filter((f) => /^producer-\d+\.ledger$/.test(f))
    .flatMap((f) => readProducerLedgerFile(join(dir, f)).entries)
    .filter((e) => e.kind === 'outcome' && e.ackMs !== undefined)
    .sort((a, b) => a.ackMs! - b.ackMs!)
  const bad = acks.filter((e) => e.outcome !== SendOutcome.SEND_OK)
  const last = bad.length > 0 ? bad[bad.length - 1]!.ackMs! : -Infinity
  return {errors: bad.length, okAfter: acks.filter((e) => e.ackMs! > last && e.outcome === SendOutcome.SEND_OK).length}
}

/** Outcomes acknowledged strictly between the first and the last refusal (FLUSH_DISK_TIMEOUT or a broker error code). */
function insideRefusals(result: RunResult): {spanMs: number; refused: number; sendOk: number} {
  const dir = join(result.runDir, 'ledgers')
  const acks = readdirSync(dir).filter((f) => /^producer-\d+\.ledger$/.test(f))
    .flatMap((f) => readProducerLedgerFile(join(dir, f)).entries)
    .filter((e) => e.kind === 'outcome' && e.ackMs !== undefined)
  const refused = acks.filter((e) => e.outcome === SendOutcome.FLUSH_DISK_TIMEOUT || e.outcome === SendOutcome.ERROR_BROKER).map((e) => e.ackMs!)
  if (refused.length === 0) return {spanMs: 0, refused: 0, sendOk: 0}
  const first = Math.min(...refused)
  const last = Math.max(...refused)
  const sendOk = acks.filter((e) => e.ackMs! > first && e.ackMs! < last && e.outcome === SendOutcome.SEND_OK).length
  return {spanMs: Math.round(last - first), refused: refused.length, sendOk}
}

/** Runs a built-in scenario, or (scenario given) a scenario file under the label `name`. */
async function run(name: string, scenario = name): Promise<{exitCode: number | undefined; result: RunResult}> {
  const out = join(work, name)
  const marker = `MQBENCH_DISK_NET_TEST=${name}-${process.pid}`
  const r = await runCli(['run', scenario, '--seed', '3', '--out', out, '--json', '--keep-store'], {timeoutMs: 150_000, env: {MQBENCH_DISK_NET_TEST: marker.split('=')[1]!}})
  expect(processesWith(marker), `${name}: processes left behind`).toEqual([])
  const result = readOnlyResult(out)
  const after = sendOkAfterLastError(result)
  console.log(`[disk-net] ${name}: exit ${r.exitCode}, verdict ${result.verdict.pass}, ${JSON.stringify(result.sendStatus)}, ` +
    `broker errors ${JSON.stringify(result.errors.broker)}, lost ${result.audit.lost}, lostFromStore ${result.audit.lostFromStore}, ` +
    `send p50 ${result.latency.send.p50} ms, faults ${JSON.stringify(result.faults)}, SEND_OK after the last error ${after.okAfter}`)
  expect(result.status).toBe('completed')
  for (const f of result.faults) expect(f.healedAt, `${name}: fault ${f.action} healed`).toBeGreaterThanOrEqual(f.at)
  // Still serving after the fault clears: at these rates (≥ 500 msg/s) a second of load is ≥ 500 SEND_OK.
  expect(after.okAfter, `${name}: SEND_OK after the last error`).toBeGreaterThanOrEqual(500)
  return {exitCode: r.exitCode, result}
}

describe('disk and network fault scenarios', {timeout: 200_000}, () => {
  it('disk-eio: FLUSH_DISK_TIMEOUT and SERVICE_NOT_AVAILABLE instead of SEND_OK, nothing acked lost, SEND_OK after heal', async () => {
    const {exitCode, result} = await run('disk-eio')
    expect(result.sendStatus.FLUSH_DISK_TIMEOUT + (result.errors.broker['SERVICE_NOT_AVAILABLE'] ?? 0)).toBeGreaterThan(0)
    // Nothing is acknowledged while writes fail: no SEND_OK between the first and the last refusal.
    const span = insideRefusals(result)
    console.log(`[disk-net] disk-eio: ${span.refused} refusals over ${span.spanMs} ms, SEND_OK among them ${span.sendOk}`)
    expect(span.spanMs).toBeGreaterThan(1000)
    expect(span.sendOk).toBe(0)
    expect(result.audit.lost).toBe(0)
    expect(result.audit.lostFromStore).toBe(0)
    expect(result.verdict.pass).toBe(true)
    expect(exitCode).toBe(0)
  })

  it('slow-disk: FLUSH_DISK_TIMEOUT counted, nothing acked lost', async () => {
    const {exitCode, result} = await run('slow-disk')
    expect(result.sendStatus.FLUSH_DISK_TIMEOUT).toBeGreaterThan(0)
    expect(result.audit.lost).toBe(0)
    expect(result.audit.lostFromStore).toBe(0)
    expect(result.verdict.pass).toBe(true)
    expect(exitCode).toBe(0)
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
    const {exitCode, result} = await run('partition-slave')
    expect(result.sendStatus.FLUSH_SLAVE_TIMEOUT + result.sendStatus.SLAVE_NOT_AVAILABLE).toBeGreaterThan(0)
    expect(result.audit.lost).toBe(0)
    expect(result.replication?.commitLogIdentical).toBe(true)
    expect(result.replication!.masterBytes).toBeGreaterThan(0)
    expect(result.verdict.pass).toBe(true)
    expect(exitCode).toBe(0)
  })

  it('slow-network: the proxy adds its 50 ms to send p50 (± 20 %) over the same load without it, nothing lost', async () => {
    const {exitCode, result} = await run('slow-network')
    expect(result.audit.lost).toBe(0)
    expect(result.verdict.pass).toBe(true)
    expect(exitCode).toBe(0)
    // The same scenario without its latency fault (and so without the proxy): what a send costs anyway.
    const s = parse(readFileSync(join(REPO, 'scenarios', 'slow-network.yaml'), 'utf8')) as {name: string; faults: unknown[]}
    const file = join(work, 'slow-network-baseline.yaml')
    writeFileSync(file, stringify({...s, name: 'slow-network-baseline', faults: []}))
    const base = (await run('slow-network-baseline', file)).result
    const added = result.latency.send.p50 - base.latency.send.p50
    console.log(`[disk-net] slow-network: send p50 ${result.latency.send.p50} ms with the proxy, ${base.latency.send.p50} ms without: added ${added.toFixed(2)} ms (configured 50 ± 5)`)
    expect(added).toBeGreaterThanOrEqual(40)
    expect(added).toBeLessThanOrEqual(60)
  })
})

describe('disk-full: a real full disk (loop-mounted ext4)', {timeout: 200_000}, () => {
  it.skipIf(loopProblems.length > 0)('ENOSPC is answered with RocketMQ codes, the broker resumes after the filler is deleted, nothing acked lost, no mount left', async () => {
    const {exitCode, result} = await run('disk-full')
    const refused = (result.errors.broker['SERVICE_NOT_AVAILABLE'] ?? 0) + (result.errors.broker['SYSTEM_ERROR'] ?? 0) + result.sendStatus.FLUSH_DISK_TIMEOUT
    expect(refused).toBeGreaterThan(0)
    // While the disk is full nothing is acknowledged: no SEND_OK between the first and the last refusal.
    const span = insideRefusals(result)
    console.log(`[disk-net] disk-full: ${span.refused} refusals over ${span.spanMs} ms, SEND_OK among them ${span.sendOk}`)
    expect(span.spanMs).toBeGreaterThan(1000)
    expect(span.sendOk).toBe(0)
    // The kernel, not an injected fault, said no; and the store became writeable again on the emptied image.
    expect(clusterLogLines(result.runDir, /ENOSPC/).length).toBeGreaterThan(0)
    expect(clusterLogLines(result.runDir, /store writeable/).length).toBeGreaterThan(0)
    expect(result.audit.lost).toBe(0)
    expect(result.audit.lostFromStore).toBe(0)
    expect(result.verdict.pass).toBe(true)
    expect(exitCode).toBe(0)
    // Back on the real disk: a plain directory, no backup, no image, no mount, no loop device.
    const node = join(result.runDir, 'cluster', 'broker-a-0')
    expect(lstatSync(join(node, 'store')).isDirectory()).toBe(true)
    expect(readdirSync(node).filter((f) => f.includes('disk-full'))).toEqual([])
    expect(readFileSync('/proc/mounts', 'utf8')).not.toContain(node)
    expect(execFileSync('losetup', ['-a'], {encoding: 'utf8'})).not.toContain(node)
  })

  it.skipIf(loopProblems.length > 0)('Ctrl-C while the disk is full: the store comes back to the real disk, the image is unmounted and detached', async () => {
    const out = join(work, 'disk-full-interrupted')
    const child = startCli(['run', 'disk-full', '--seed', '3', '--out', out], {timeoutMs: 120_000})
    let stderr = ''
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString()
        if (/disk-full: broker-a-0's store is on/.test(stderr)) resolve()
      })
      void child.then(() => reject(new Error(`run ended before the disk was full:\n${stderr}`)))
    })
    child.kill('SIGINT')
    const r = await child
    expect(r.exitCode).toBe(3)
    const node = join(runDirs(out)[0]!, 'cluster', 'broker-a-0')
    expect(lstatSync(join(node, 'store')).isDirectory()).toBe(true)
    expect(readdirSync(join(node, 'store', 'commitlog')).length).toBeGreaterThan(0)
    expect(readdirSync(node).filter((f) => f.includes('disk-full'))).toEqual([])
    expect(readFileSync('/proc/mounts', 'utf8')).not.toContain(node)
    expect(execFileSync('losetup', ['-a'], {encoding: 'utf8'})).not.toContain(node)
  })

  // Root with loop devices: drop to nobody (setpriv), which is what an unprivileged user gets; otherwise run as we are.
  const asNobody = loopProblems.length === 0
  it.skipIf(asNobody && !existsSync('/usr/bin/setpriv'))('where it cannot run (not root, or no loop devices) it is refused before the run starts: exit 2, saying why', async () => {
    const out = join(work, 'disk-full-refused')
    const args = ['run', 'disk-full', '--out', out, '--json']
    if (asNobody) chmodSync(work, 0o777)
    const r = asNobody
      ? await execa('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'env', `HOME=${work}`, 'NO_COLOR=1', process.execPath, join(REPO, 'bin', 'run.js'), ...args],
        {reject: false, timeout: 60_000, stdin: 'ignore'})
      : await runCli(args, {timeoutMs: 60_000})
    const envelope = parseJsonOutput<{status: number; error: {name: string; message: string}}>(String(r.stdout))
    console.log(`[disk-net] disk-full refused${asNobody ? ' as nobody' : ''}: exit ${r.exitCode}, ${envelope.error.message}`)
    expect(r.exitCode).toBe(2)
    expect(envelope.error.name).toBe('ConfigError')
    expect(envelope.error.message).toMatch(/disk-full: (needs root|needs .* on PATH|no loop devices|no free loop device)/)
    // Refused before any process started: no node ever got a directory.
    for (const dir of runDirs(out)) expect(readdirSync(join(dir, 'cluster'))).toEqual([])
  })
})
