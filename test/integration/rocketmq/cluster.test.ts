import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {connect} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, expect, it} from 'vitest'

import {RocketMQCluster} from '../../../src/cluster/rocketmq-cluster.js'
import {describeRocketMQ} from '../../helpers/rocketmq.js'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
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

describeRocketMQ('RocketMQCluster', () => {
  const runDir = mkdtempSync(join(tmpdir(), 'mqbench-rmq-cluster-'))
  const cluster = new RocketMQCluster({
    runDir,
    brokers: [{brokerName: 'broker-a', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: 'ASYNC_FLUSH'}],
  })
  afterAll(async () => {
    await cluster.stop()
    rmSync(runDir, {recursive: true, force: true})
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
    const conf = readFileSync(join(runDir, 'broker-a-0', 'broker-a-0.conf'), 'utf8')
    expect(conf).toContain(`listenPort=${broker.addr.split(':')[1]}`)
    expect(conf).toContain(`namesrvAddr=${cluster.namesrvAddr}`)

    const stopBegan = performance.now()
    await cluster.stop()
    const stopMs = Math.round(performance.now() - stopBegan)
    for (const pid of pids) expect(alive(pid)).toBe(false)
    expect(cluster.nodes().every((n) => n.pid === undefined)).toBe(true)
    console.log(`[rocketmq-cluster] start ${startMs} ms (per node: ${JSON.stringify(cluster.startupTimes())}), stop ${stopMs} ms`)
  }, 240_000)
})
