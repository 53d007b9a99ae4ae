/**
 * Issue 19 item 5: `--target rocketmq` listened on every interface (main, fast and HA ports on *),
 * with no authentication. RocketMQ 5.x's NettyServerConfig.bindAddress now puts the namesrv and the
 * broker's main and fast ports on 127.0.0.1, checked with `ss -ltn` while the cluster runs. The HA
 * port has no bind setting in RocketMQ (DefaultHAService binds every interface): it is reported, not
 * hidden. Skipped LOUDLY where a real RocketMQ cannot run.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, expect, it} from 'vitest'
import {RocketMQCluster} from '../../../src/cluster/rocketmq-cluster.js'
import {describeRocketMQ} from '../../helpers/rocketmq.js'

/** Listening sockets (local address:port) of every process in `pids`, from `ss -ltnp`. */
function listeners(pids: number[]): string[] {
  const out = execFileSync('ss', ['-ltnpH'], {encoding: 'utf8'})
  // A JVM listens on IPv6 sockets: loopback shows as [::ffff:127.0.0.1]:port (or [::1]:port).
  return out.split('\n').filter((l) => pids.some((pid) => l.includes(`pid=${pid},`)))
    .map((l) => l.trim().split(/\s+/)[3]!.replace(/^\[::ffff:(\d+\.\d+\.\d+\.\d+)\]/, '$1').replace(/^\[::1\]/, '127.0.0.1'))
}

describeRocketMQ('real RocketMQ binds loopback', () => {
  let runDir: string
  let cluster: RocketMQCluster
  beforeAll(() => {
    runDir = mkdtempSync(join(tmpdir(), 'mqbench-rmq-loopback-'))
    cluster = new RocketMQCluster({runDir, brokers: [{brokerName: 'broker-a', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: 'ASYNC_FLUSH'}]})
  })
  afterAll(async () => {
    await cluster?.stop()
    if (runDir !== undefined) rmSync(runDir, {recursive: true, force: true})
  })

  it('namesrv, main and fast ports listen on 127.0.0.1 only (ss -ltn); the HA port is the one RocketMQ cannot bind', async () => {
    await cluster.start()
    const [namesrv, broker] = cluster.nodes()
    const port = Number(broker!.addr.split(':')[1])
    const sockets = listeners([namesrv!.pid!, broker!.pid!])
    console.log(`[rocketmq loopback] listening: ${sockets.join(' ')}`)
    const ha = sockets.filter((s) => s.endsWith(`:${port + 1}`))
    if (ha.some((s) => !s.startsWith('127.'))) console.warn(`*** RocketMQ's HA port ${port + 1} listens on ${ha.join(', ')}: it has no bind-address setting ***`)
    const open = sockets.filter((s) => !s.endsWith(`:${port + 1}`) && !/^127\.\d+\.\d+\.\d+:/.test(s))
    expect(open).toEqual([])
    for (const p of [Number(cluster.namesrvAddr.split(':')[1]), port, port - 2]) expect(sockets).toContain(`127.0.0.1:${p}`)
  }, 180_000)
})
