/**
 * The contract of the Cluster seam (src/cluster/cluster.ts), one describe.each over every
 * implementation that starts its own processes: start, route ready, kill, pause/resume, restart, wipe
 * store, store on faultfs, and stop leaves no process. Each implementation's file calls it with its own
 * factory: the embedded one in the main suite, the real RocketMQ ones in the vitest.rocketmq project.
 */
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {connect} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {Admin} from '../../src/client/admin.js'
import {Producer} from '../../src/client/producer.js'
import {waitForRoute} from '../../src/client/wait-for-route.js'
import type {BrokerSpec, Cluster} from '../../src/cluster/cluster.js'
import {faultfsProblems} from '../../src/cluster/faultfs/faultfs-binary.js'
import {faultfsMountsUnder} from '../../src/cluster/faultfs/faultfs-mount.js'
import {alive} from './pids.js'

export interface ClusterImpl {
  name: string
  make(runDir: string, brokers: BrokerSpec[]): Cluster
  /** Generous for JVMs on two shared cores. */
  timeoutMs: number
}

const BROKER = 'broker-a-0'
const TOPIC = 'ContractTopic'
const master = (extraConf?: BrokerSpec['extraConf']): BrokerSpec => ({brokerName: 'broker-a', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: 'SYNC_FLUSH', extraConf})

function procState(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0]
  } catch {
    return undefined
  }
}

function canConnect(addr: string): Promise<boolean> {
  const [host, port] = addr.split(':')
  return new Promise((resolve) => {
    const socket = connect({host, port: Number(port)})
    socket.setTimeout(5000)
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.once('connect', () => done(true))
    socket.once('timeout', () => done(false))
    socket.once('error', () => done(false))
  })
}

function node(cluster: Cluster, name: string) {
  return cluster.nodes().find((n) => n.name === name)!
}

/**
 * The broker's CommitLog end from its runtime info. RocketMQ 4.9.7 answers that request with
 * NoSuchElementException (LinkedList.getLast on its empty stats samples) for about a second after
 * it is ready, so the question is repeated for a bounded while.
 */
async function commitLogEnd(addr: string): Promise<number> {
  const admin = new Admin({timeoutMs: 5000})
  const deadline = Date.now() + 15_000
  try {
    for (;;) {
      const end = Number((await admin.runtimeInfo(addr).catch(() => undefined))?.['commitLogMaxOffset'] ?? Number.NaN)
      if (!Number.isNaN(end) || Date.now() > deadline) return end
      await new Promise((r) => setTimeout(r, 250))
    }
  } finally {
    admin.shutdown()
  }
}

/** One SYNC_FLUSH message, so the CommitLog has bytes a restart must keep and a wipe must lose. */
async function sendOne(namesrvAddr: string): Promise<void> {
  const producer = new Producer({namesrvAddr, producerGroup: 'contract-p'})
  await producer.start()
  try {
    const r = await producer.send({topic: TOPIC, body: Buffer.from('contract')})
    expect(r.status).toBe('SEND_OK')
  } finally {
    await producer.shutdown()
  }
}

export function clusterContract(impls: ClusterImpl[]): void {
  describe.each(impls)('Cluster contract: $name', (impl) => {
    let runDir: string
    let cluster: Cluster
    const seen = new Set<number>()
    const remember = () => cluster.nodes().forEach((n) => n.pid !== undefined && seen.add(n.pid))

    beforeAll(() => {
      runDir = mkdtempSync(join(tmpdir(), 'mqbench-contract-'))
      cluster = impl.make(join(runDir, 'plain'), [master()])
    })
    afterAll(async () => {
      await cluster?.stop()
      for (const pid of seen) expect(alive(pid), `pid ${pid} outlived the cluster`).toBe(false)
      if (runDir) rmSync(runDir, {recursive: true, force: true})
    }, impl.timeoutMs)

    it('start: every node runs as its own process on loopback', async () => {
      await cluster.start()
      remember()
      expect(cluster.nodes().map((n) => n.name)).toEqual(['namesrv', BROKER])
      expect(new Set(cluster.nodes().map((n) => n.pid)).size).toBe(2)
      for (const n of cluster.nodes()) {
        expect(alive(n.pid!)).toBe(true)
        expect(n.addr).toMatch(/^127\.0\.0\.1:\d+$/)
        expect(await canConnect(n.addr)).toBe(true)
      }
      expect(cluster.namesrvAddr).toBe(node(cluster, 'namesrv').addr)
    }, impl.timeoutMs)

    it('route ready: the namesrv lists the broker as soon as start() resolves, and a topic is routable and writable', async () => {
      const admin = new Admin({namesrvAddr: cluster.namesrvAddr})
      try {
        expect((await admin.getClusterInfo()).brokerAddrTable['broker-a']?.brokerAddrs['0']).toBe(node(cluster, BROKER).addr)
        await admin.createTopic({topic: TOPIC, queueNums: 1})
      } finally {
        admin.shutdown()
      }
      await waitForRoute(cluster.namesrvAddr, TOPIC, 1, 30_000)
      await sendOne(cluster.namesrvAddr)
      expect(await commitLogEnd(node(cluster, BROKER).addr)).toBeGreaterThan(0)
    }, impl.timeoutMs)

    it('kill: SIGKILL leaves the node down (no pid, port closed) and its abort marker in place', async () => {
      const before = node(cluster, BROKER)
      await cluster.kill(BROKER)
      expect(alive(before.pid!)).toBe(false)
      expect(node(cluster, BROKER).pid).toBeUndefined()
      expect(await canConnect(before.addr)).toBe(false)
      expect(existsSync(join(before.storeDir!, 'abort'))).toBe(true)
    }, impl.timeoutMs)

    it('restart: same address, new pid, the store (and the message) recovered', async () => {
      const before = node(cluster, BROKER)
      const endBefore = before.storeDir && existsSync(join(before.storeDir, 'commitlog'))
      expect(endBefore).toBe(true)
      await cluster.restart(BROKER)
      remember()
      const after = node(cluster, BROKER)
      expect(after.addr).toBe(before.addr)
      expect(after.pid).toBeDefined()
      expect(await canConnect(after.addr)).toBe(true)
      expect(await commitLogEnd(after.addr)).toBeGreaterThan(0)
    }, impl.timeoutMs)

    it('pause/resume: SIGSTOP stops the process, SIGCONT lets it run again', async () => {
      const {pid} = node(cluster, BROKER)
      await cluster.pause(BROKER)
      expect(procState(pid!)).toBe('T')
      await cluster.resume(BROKER)
      expect(procState(pid!)).not.toBe('T')
      expect(await commitLogEnd(node(cluster, BROKER).addr)).toBeGreaterThan(0)
    }, impl.timeoutMs)

    it('wipe store: killed, store deleted, restarted: the broker comes back empty at the same address', async () => {
      const {storeDir, addr} = node(cluster, BROKER)
      await cluster.kill(BROKER)
      rmSync(storeDir!, {recursive: true, force: true})
      await cluster.restart(BROKER)
      remember()
      expect(node(cluster, BROKER).addr).toBe(addr)
      expect(await commitLogEnd(addr)).toBe(0)
    }, impl.timeoutMs)

    it('stop: every process is gone and no node reports a pid', async () => {
      const pids = cluster.nodes().map((n) => n.pid!)
      await cluster.stop()
      for (const pid of pids) expect(alive(pid)).toBe(false)
      expect(cluster.nodes().every((n) => n.pid === undefined)).toBe(true)
      // A clean stop runs the broker's shutdown: the abort marker goes.
      expect(existsSync(join(node(cluster, BROKER).storeDir!, 'abort'))).toBe(false)
    }, impl.timeoutMs)

    const faultfsMissing = faultfsProblems()
    if (faultfsMissing.length > 0) console.warn(`*** SKIPPING the store-on-faultfs contract test (${impl.name}): ${faultfsMissing.join('; ')} ***`)
    it.skipIf(faultfsMissing.length > 0)('store on faultfs: the store is served by a faultfs mount while up, and stop() unmounts it', async () => {
      const dir = join(runDir, 'faultfs')
      const onFaultFs = impl.make(dir, [master({storeFs: 'faultfs'})])
      try {
        await onFaultFs.start()
        onFaultFs.nodes().forEach((n) => n.pid !== undefined && seen.add(n.pid))
        const mount = onFaultFs.storeFs?.(BROKER)
        expect(mount?.mounted).toBe(true)
        expect(faultfsMountsUnder(dir)).toEqual([mount!.opts.mountPoint])
        expect(await commitLogEnd(node(onFaultFs, BROKER).addr)).toBe(0)
      } finally {
        await onFaultFs.stop()
      }
      expect(faultfsMountsUnder(dir)).toEqual([])
      expect(onFaultFs.nodes().every((n) => n.pid === undefined)).toBe(true)
    }, impl.timeoutMs * 2)
  })
}
