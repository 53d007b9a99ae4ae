/**
 * The Cluster contract (test/helpers/cluster-contract.ts) over real Apache RocketMQ, each supported
 * release (5.3.3 default, 5.5.0, 4.9.7): JVMs that take tens of seconds to start and restart, so this
 * half runs in the vitest.rocketmq project; a missing java or install skips it loudly (describeRocketMQ).
 * Also: a broker that fails to start says why, quoting its output.
 */
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, expect, it} from 'vitest'
import {RocketMQCluster} from '../../../src/cluster/rocketmq-cluster.js'
import {RunBrokenError} from '../../../src/errors.js'
import {clusterContract} from '../../helpers/cluster-contract.js'
import {describeRocketMQ} from '../../helpers/rocketmq.js'

for (const version of ['5.3.3', '5.5.0', '4.9.7']) {
  describeRocketMQ(`Cluster contract ${version}`, () => {
    clusterContract([{name: `rocketmq ${version}`, make: (runDir, brokers) => new RocketMQCluster({runDir, brokers, version}), timeoutMs: 240_000}])
  }, version)
}

/** Pids of live processes whose command line names `dir` (each JVM gets -Duser.home=<its node dir>). */
function processesUnder(dir: string): number[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dir)
    } catch {
      return false
    }
  }).map(Number)
}

describeRocketMQ('RocketMQCluster start failure', () => {
  let taken: Server
  let runDir: string
  let cluster: RocketMQCluster | undefined
  beforeAll(async () => {
    runDir = mkdtempSync(join(tmpdir(), 'mqbench-rmq-fail-'))
    taken = createServer().listen(0, '127.0.0.1')
    await new Promise((resolve) => taken.once('listening', resolve))
  })
  afterAll(async () => {
    await cluster?.stop()
    taken?.close()
    if (runDir) rmSync(runDir, {recursive: true, force: true})
  })

  it('a broker whose port is taken: start() rejects quoting the cause from its output, and no JVM is left', async () => {
    const port = (taken.address() as {port: number}).port
    cluster = new RocketMQCluster({runDir, brokers: [{brokerName: 'broker-a', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: 'ASYNC_FLUSH', extraConf: {listenPort: port}}]})
    const failed = await cluster.start().then(() => undefined, (err: unknown) => err)
    expect(failed).toBeInstanceOf(RunBrokenError)
    const message = (failed as Error).message
    expect(message).toMatch(/^broker-a-0 exited \(code \d+\) before printing .*; last lines of .*broker-a-0\/stdout\.log: /)
    expect(message).toContain('Address already in use')
    expect((failed as RunBrokenError).hint).toContain(join(runDir, 'broker-a-0', 'logs', 'rocketmqlogs'))
    // Neither the failed broker nor the namesrv started before it outlives start().
    expect(cluster.nodes().every((n) => n.pid === undefined)).toBe(true)
    expect(processesUnder(runDir)).toEqual([])
  }, 240_000)
})
