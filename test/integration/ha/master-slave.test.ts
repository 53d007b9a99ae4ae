/**
 * Master/slave replication with real processes (EmbeddedCluster over dist/): namesrv + SYNC_MASTER +
 * SLAVE, then namesrv + ASYNC_MASTER + SLAVE. Slave kill -9 → SLAVE_NOT_AVAILABLE, slave SIGSTOP →
 * FLUSH_SLAVE_TIMEOUT, recovery after restart/resume, reads from the slave with the master killed,
 * and byte-identical CommitLogs after a clean stop. Needs a built dist/ (built here once if missing).
 */
import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {commitLogDigest} from '../../../src/broker/ha/commit-log-digest.js'
import type {SendStatus} from '../../../src/client/index.js'
import {Producer} from '../../../src/client/producer.js'
import {PullConsumer} from '../../../src/client/pull-consumer.js'
import type {BrokerRole} from '../../../src/cluster/cluster.js'
import {EmbeddedCluster} from '../../../src/cluster/embedded-cluster.js'
import {newRequest} from '../../../src/protocol/remoting-command.js'
import {RequestCode} from '../../../src/protocol/request-code.js'
import {RemotingClient} from '../../../src/remoting/remoting-client.js'

const repo = join(import.meta.dirname, '..', '..', '..')
const TOPIC = 'HaTopic'
const MASTER = 'broker-a-0'
const SLAVE = 'broker-a-1'
const runDirs: string[] = []
const raw = new RemotingClient()

beforeAll(() => {
  if (!existsSync(join(repo, 'dist/src/broker/ha/replication.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], {cwd: repo, stdio: 'ignore'})
})

let failed = false
afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') failed = true
})

afterAll(() => {
  raw.close()
  // Broker logs and stores are the evidence when something failed: keep them then.
  if (failed) console.log(`ha integration: run dirs kept: ${runDirs.join(' ')}`)
  else for (const d of runDirs) rmSync(d, {recursive: true, force: true})
})

function newCluster(masterRole: BrokerRole, masterConf: Record<string, string | number> = {}): EmbeddedCluster {
  const runDir = mkdtempSync(join(tmpdir(), 'mqbench-ha-'))
  runDirs.push(runDir)
  const extraConf = {syncFlushTimeout: 500, haSendHeartbeatInterval: 1000}
  return new EmbeddedCluster({
    runDir, stopGraceMs: 5000,
    brokers: [
      {brokerName: 'broker-a', brokerId: 0, brokerRole: masterRole, flushDiskType: 'ASYNC_FLUSH', extraConf: {...extraConf, ...masterConf}},
      {brokerName: 'broker-a', brokerId: 1, brokerRole: 'SLAVE', flushDiskType: 'ASYNC_FLUSH', extraConf},
    ],
  })
}

function node(cluster: EmbeddedCluster, name: string) {
  return cluster.nodes().find((n) => n.name === name)!
}

async function maxPhyOffset(addr: string): Promise<number> {
  const res = await raw.invoke(addr, newRequest(RequestCode.GET_BROKER_RUNTIME_INFO), 3000)
  return Number((JSON.parse(res.body!.toString()) as {table: Record<string, string>}).table['maxPhyOffset'])
}

async function until(what: string, pred: () => Promise<boolean> | boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** One producer per cluster; records the UNIQ_KEY of every SEND_OK. */
function sender(cluster: EmbeddedCluster) {
  const producer = new Producer({namesrvAddr: cluster.namesrvAddr, producerGroup: 'ha-p', retryTimesWhenSendFailed: 0, sendMsgTimeout: 3000})
  const sendOk: string[] = []
  let seq = 0
  return {
    producer, sendOk,
    async send(): Promise<SendStatus> {
      const r = await producer.send({topic: TOPIC, body: Buffer.from(`m-${seq++}`)})
      if (r.status === 'SEND_OK') sendOk.push(r.msgId)
      return r.status
    },
    /** Sends until one answers `status` (the link may take a moment to come or go). */
    async sendUntil(status: SendStatus, ms = 10_000): Promise<SendStatus[]> {
      const seen: SendStatus[] = []
      await until(`a send answered ${status}`, async () => {
        seen.push(await this.send())
        return seen.at(-1) === status
      }, ms)
      return seen
    },
  }
}

/** Every message of TOPIC readable from `brokerId`, by UNIQ_KEY. */
async function readAll(cluster: EmbeddedCluster, brokerId: number): Promise<Set<string>> {
  const consumer = new PullConsumer({namesrvAddr: cluster.namesrvAddr, consumerGroup: `ha-c-${Date.now()}`})
  await consumer.start()
  try {
    const keys = new Set<string>()
    for (const mq of await consumer.fetchSubscribeQueues(TOPIC)) {
      let offset = 0
      for (;;) {
        const r = await consumer.pull(mq, offset, 32, {brokerId, suspendTimeoutMillis: 0})
        expect(r.brokerId).toBe(brokerId)
        if (r.status !== 'FOUND') break
        for (const m of r.messages) keys.add(m.properties['UNIQ_KEY']!)
        offset = r.nextBeginOffset
      }
    }
    return keys
  } finally {
    await consumer.shutdown()
  }
}

/**
 * Starts `cluster` and one sender for a describe block, and stops both after it; `pair.s` is set
 * once the cluster runs (its namesrv address is known only then).
 */
function runningPair(cluster: EmbeddedCluster): {s: ReturnType<typeof sender>} {
  const pair = {} as {s: ReturnType<typeof sender>}
  beforeAll(async () => {
    await cluster.start()
    pair.s = sender(cluster)
    await pair.s.producer.start()
  }, 60_000)
  afterAll(async () => {
    await pair.s?.producer.shutdown()
    await cluster.stop()
  }, 60_000)
  return pair
}

function slaveCaughtUp(cluster: EmbeddedCluster): Promise<void> {
  const masterAddr = node(cluster, MASTER).addr
  const slaveAddr = node(cluster, SLAVE).addr
  return until('the slave caught up', async () => (await maxPhyOffset(slaveAddr)) === (await maxPhyOffset(masterAddr)))
}

/** After a clean stop: the slave's CommitLog below `max` is the master's, byte for byte. */
async function expectSameCommitLogs(cluster: EmbeddedCluster, max: number): Promise<void> {
  const [m, sl] = await Promise.all([commitLogDigest(node(cluster, MASTER).storeDir!, max), commitLogDigest(node(cluster, SLAVE).storeDir!, max)])
  expect(sl).toBe(m)
}

describe('SYNC_MASTER + SLAVE', () => {
  const cluster = newCluster('SYNC_MASTER')
  const pair = runningPair(cluster)

  it('acknowledges SEND_OK once the slave has the message', async () => {
    await pair.s.sendUntil('SEND_OK')
    for (let i = 0; i < 100; i++) expect(await pair.s.send()).toBe('SEND_OK')
    expect(await maxPhyOffset(node(cluster, SLAVE).addr)).toBe(await maxPhyOffset(node(cluster, MASTER).addr))
  })

  it('answers SLAVE_NOT_AVAILABLE with the slave killed; SEND_OK again after it restarts and catches up', async () => {
    await cluster.kill(SLAVE)
    const seen = await pair.s.sendUntil('SLAVE_NOT_AVAILABLE', 3000)
    // The first send may still race the master noticing the closed link; it then times out instead.
    expect(seen.every((st) => st === 'SLAVE_NOT_AVAILABLE' || st === 'FLUSH_SLAVE_TIMEOUT')).toBe(true)
    for (let i = 0; i < 20; i++) expect(await pair.s.send()).toBe('SLAVE_NOT_AVAILABLE')
    await cluster.restart(SLAVE)
    const after = await pair.s.sendUntil('SEND_OK')
    expect(after.every((st) => st === 'SEND_OK' || st === 'SLAVE_NOT_AVAILABLE')).toBe(true)
    for (let i = 0; i < 20; i++) expect(await pair.s.send()).toBe('SEND_OK')
  }, 60_000)

  it('answers FLUSH_SLAVE_TIMEOUT after syncFlushTimeout with the slave SIGSTOPped; SEND_OK after SIGCONT', async () => {
    await cluster.pause(SLAVE)
    try {
      const t0 = performance.now()
      expect(await pair.s.send()).toBe('FLUSH_SLAVE_TIMEOUT')
      expect(performance.now() - t0).toBeGreaterThanOrEqual(450)
      expect(await pair.s.send()).toBe('FLUSH_SLAVE_TIMEOUT')
    } finally {
      await cluster.resume(SLAVE)
    }
    await pair.s.sendUntil('SEND_OK')
    for (let i = 0; i < 20; i++) expect(await pair.s.send()).toBe('SEND_OK')
  }, 60_000)

  it('with the master killed, the slave serves every SEND_OK message to a pull consumer', async () => {
    await cluster.kill(MASTER)
    const onSlave = await readAll(cluster, 1)
    const missing = pair.s.sendOk.filter((k) => !onSlave.has(k))
    expect(missing).toEqual([])
    expect(pair.s.sendOk.length).toBeGreaterThanOrEqual(140)
  }, 60_000)

  it('after the master restarts and a clean stop, master and slave CommitLogs are byte-identical', async () => {
    await cluster.restart(MASTER)
    await pair.s.sendUntil('SEND_OK', 20_000)
    for (let i = 0; i < 20; i++) expect(await pair.s.send()).toBe('SEND_OK')
    const max = await maxPhyOffset(node(cluster, MASTER).addr)
    expect(await maxPhyOffset(node(cluster, SLAVE).addr)).toBe(max)
    await pair.s.producer.shutdown()
    await cluster.stop()
    await expectSameCommitLogs(cluster, max)
  }, 90_000)
})

describe('ASYNC_MASTER + SLAVE', () => {
  const cluster = newCluster('ASYNC_MASTER')
  const pair = runningPair(cluster)

  it('never waits for the slave: SEND_OK with the slave killed or SIGSTOPped, and it catches up afterwards', async () => {
    for (let i = 0; i < 20; i++) expect(await pair.s.send()).toBe('SEND_OK')
    await cluster.kill(SLAVE)
    for (let i = 0; i < 20; i++) expect(await pair.s.send()).toBe('SEND_OK')
    await cluster.restart(SLAVE)
    await cluster.pause(SLAVE)
    try {
      const t0 = performance.now()
      for (let i = 0; i < 20; i++) expect(await pair.s.send()).toBe('SEND_OK')
      expect(performance.now() - t0).toBeLessThan(2000)
    } finally {
      await cluster.resume(SLAVE)
    }
    await slaveCaughtUp(cluster)
    const onSlave = await readAll(cluster, 1)
    expect(pair.s.sendOk.filter((k) => !onSlave.has(k))).toEqual([])
  }, 90_000)
})

describe('a master that lost data (power cut) and a slave ahead of it', () => {
  // Nothing reaches the master's disk: kill -9 with the volatile page cache loses every record.
  const cluster = newCluster('ASYNC_MASTER', {
    pageCacheMode: 'volatile', flushIntervalCommitLog: 600_000, flushCommitLogThoroughInterval: 600_000, flushCommitLogLeastPages: 100_000,
  })
  const pair = runningPair(cluster)

  it('the slave truncates to the restarted master\'s end, then replicates it byte for byte', async () => {
    for (let i = 0; i < 30; i++) expect(await pair.s.send()).toBe('SEND_OK')
    const masterAddr = node(cluster, MASTER).addr
    const slaveAddr = node(cluster, SLAVE).addr
    await slaveCaughtUp(cluster)
    const before = await maxPhyOffset(slaveAddr)
    await cluster.kill(MASTER)
    await cluster.restart(MASTER)
    const after = await maxPhyOffset(masterAddr)
    expect(after).toBeLessThan(before)
    const slaveLog = join(runDirs.at(-1)!, SLAVE, `${SLAVE}.log`)
    await until('the slave truncated', () => readFileSync(slaveLog, 'utf8').includes(`truncating to ${after}`), 15_000)
    await until('the slave matches the master', async () => (await maxPhyOffset(slaveAddr)) === after)
    const kept = pair.s.sendOk.length
    for (let i = 0; i < 20; i++) expect(await pair.s.send()).toBe('SEND_OK')
    const max = await maxPhyOffset(masterAddr)
    await until('the slave caught up again', async () => (await maxPhyOffset(slaveAddr)) === max)
    const onSlave = await readAll(cluster, 1)
    expect(pair.s.sendOk.slice(kept).filter((k) => !onSlave.has(k))).toEqual([])
    await pair.s.producer.shutdown()
    await cluster.stop()
    await expectSameCommitLogs(cluster, max)
  }, 90_000)
})
