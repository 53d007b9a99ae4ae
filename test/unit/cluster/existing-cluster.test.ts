/** ExistingCluster without a network: what it reports and what it refuses (discovery is covered through the CLI, test/integration/run/existing-cluster.test.ts). */
import {describe, expect, it} from 'vitest'
import {isUp} from '../../../src/cluster/cluster.js'
import {ExistingCluster} from '../../../src/cluster/existing-cluster.js'
import {ConfigError} from '../../../src/errors.js'

const cluster = new ExistingCluster({
  namesrvAddr: '10.0.0.5:9876', clusterName: 'Shop',
  brokers: [
    {brokerName: 'shop-a', brokerId: 0, brokerRole: 'SYNC_MASTER', flushDiskType: 'SYNC_FLUSH', conf: {}, addr: '10.0.0.6:10911', reported: {flushIntervalCommitLog: '200'}},
    {brokerName: 'shop-a', brokerId: 1, brokerRole: 'SLAVE', flushDiskType: 'ASYNC_FLUSH', conf: {}, addr: '10.0.0.7:10911', reported: {}},
  ],
})

describe('ExistingCluster', () => {
  it('lists the namesrv and the discovered brokers as external nodes, up without a pid', () => {
    expect(cluster.nodes().map((n) => [n.name, n.addr, n.pid, n.external, isUp(n)])).toEqual([
      ['namesrv', '10.0.0.5:9876', undefined, true, true],
      ['shop-a-0', '10.0.0.6:10911', undefined, true, true],
      ['shop-a-1', '10.0.0.7:10911', undefined, true, true],
    ])
    expect(cluster.nodes().every((n) => n.storeDir === undefined)).toBe(true)
  })

  it.each(['kill', 'pause', 'resume', 'restart'] as const)('%s is refused, saying the cluster was not started by mqbench', async (op) => {
    await expect(cluster[op]('shop-a-0')).rejects.toThrow(ConfigError)
    await expect(cluster[op]('shop-a-0')).rejects.toThrow(`cannot ${op} shop-a-0: the cluster at 10.0.0.5:9876 was not started by mqbench (--namesrv)`)
  })

  it('flusher settings come from the config the broker reported, RocketMQ defaults elsewhere; no store is reachable', async () => {
    expect(cluster.flusherSettings('shop-a-0')).toEqual({flushIntervalCommitLog: 200, flushCommitLogLeastPages: 4, flushCommitLogThoroughInterval: 10_000})
    expect(cluster.storeFs()).toBeUndefined()
    expect(await cluster.commitLogDigest()).toBeUndefined()
    await expect(cluster.stop()).resolves.toBeUndefined()
  })
})
