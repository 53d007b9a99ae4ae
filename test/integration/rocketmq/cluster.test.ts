import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {connect} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, expect, it} from 'vitest'

import {Admin} from '../../../src/client/admin.js'
import {DEFAULT_ROCKETMQ_VERSION, RocketMQCluster} from '../../../src/cluster/rocketmq-cluster.js'
import {describeRocketMQ} from '../../helpers/rocketmq.js'
import {alive} from '../../helpers/pids.js'

/** Process state letter from /proc (T = stopped by SIGSTOP). */
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
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', () => resolve(false))
  })
}

/** One namesrv + one ASYNC_MASTER broker; the fault test runs on the default (5.x) line only, to keep the suite short. */
function singleBrokerSuite(version: string, withFaults: boolean): void {
  describeRocketMQ('RocketMQCluster', () => {
    // Created in beforeAll: a skipped suite still runs this body to collect its tests.
    let runDir: string
    let cluster: RocketMQCluster
    beforeAll(() => {
      runDir = mkdtempSync(join(tmpdir(), 'mqbench-rmq-cluster-'))
      cluster = new RocketMQCluster({
        runDir,
        version,
        brokers: [{brokerName: 'broker-a', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: 'ASYNC_FLUSH'}],
      })
    })
    afterAll(async () => {
      await cluster?.stop()
      if (runDir !== undefined) rmSync(runDir, {recursive: true, force: true})
    })

    it('starts namesrv + one broker, both listen on loopback, and stop() leaves no pid alive', async () => {
      const began = performance.now()
      await cluster.start()
      const startMs = Math.round(performance.now() - began)
      const nodes = cluster.nodes()
      expect(nodes.map((n) => n.name)).toEqual(['namesrv', 'broker-a-0'])
      const pids = nodes.map((n) => n.pid!)
      for (const pid of pids) expect(alive(pid)).toBe(true)
      expect(cluster.namesrvAddr).toMatch(/^127\.0\.0\.1:\d+$/)
      expect(await canConnect(cluster.namesrvAddr)).toBe(true)
      const broker = nodes[1]!
      expect(await canConnect(broker.addr)).toBe(true)
      // Ready means registered: the namesrv already maps the broker, with no grace period after start().
      const admin = new Admin({namesrvAddr: cluster.namesrvAddr})
      try {
        expect((await admin.getClusterInfo()).brokerAddrTable['broker-a']?.brokerAddrs['0']).toBe(broker.addr)
      } finally {
        admin.shutdown()
      }
      const conf = readFileSync(join(runDir, 'broker-a-0', 'broker-a-0.conf'), 'utf8')
      expect(conf).toContain(`listenPort=${broker.addr.split(':')[1]}`)
      expect(conf).toContain(`namesrvAddr=${cluster.namesrvAddr}`)

      const stopBegan = performance.now()
      await cluster.stop()
      const stopMs = Math.round(performance.now() - stopBegan)
      for (const pid of pids) expect(alive(pid)).toBe(false)
      expect(cluster.nodes().every((n) => n.pid === undefined)).toBe(true)
      // SIGTERM ran RocketMQ's shutdown hook: a clean shutdown removes the abort marker.
      expect(existsSync(join(broker.storeDir!, 'abort'))).toBe(false)
      console.log(`[rocketmq-cluster ${version}] start ${startMs} ms (per node: ${JSON.stringify(cluster.startupTimes())}), stop ${stopMs} ms`)
    }, 240_000)

    if (withFaults) it('kill -9 is a hard kill (abort marker stays), restart brings the broker back, pause/resume stop and continue it', async () => {
      await cluster.start()
      const before = cluster.nodes().find((n) => n.name === 'broker-a-0')!
      await cluster.kill('broker-a-0')
      expect(alive(before.pid!)).toBe(false)
      expect(cluster.nodes().find((n) => n.name === 'broker-a-0')!.pid).toBeUndefined()
      expect(existsSync(join(before.storeDir!, 'abort'))).toBe(true)
      expect(await canConnect(before.addr)).toBe(false)

      await cluster.restart('broker-a-0')
      const after = cluster.nodes().find((n) => n.name === 'broker-a-0')!
      expect(after.pid).not.toBe(before.pid)
      expect(after.addr).toBe(before.addr)
      expect(await canConnect(after.addr)).toBe(true)
      console.log(`[rocketmq-cluster ${version}] broker restart after kill -9 (abnormal recovery): ${cluster.startupTimes()['broker-a-0']} ms`)

      await cluster.pause('broker-a-0')
      expect(procState(after.pid!)).toBe('T')
      await cluster.resume('broker-a-0')
      expect(procState(after.pid!)).not.toBe('T')
      await cluster.stop()
      expect(alive(after.pid!)).toBe(false)
    }, 240_000)
  }, version)
}

singleBrokerSuite(DEFAULT_ROCKETMQ_VERSION, true)
// The 4.x line (4.9.7: the newest 4.x on Maven Central) differs in logging setup, HA port and namesrv binding.
singleBrokerSuite('4.9.7', false)
