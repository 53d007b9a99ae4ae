import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, afterEach, describe, expect, it} from 'vitest'

import {type BrokerSpec, brokerNodeName} from '../../../src/cluster/cluster.js'
import {ConfigError, RunBrokenError} from '../../../src/errors.js'
import {
  isRocketMQAvailable,
  renderBrokerConf,
  RocketMQCluster,
  rocketmqInstallDir,
  validateBrokerSpecs,
  type BrokerConfContext,
} from '../../../src/cluster/rocketmq-cluster.js'
import {applyHaMasterAddress, configuredHaMasterAddress} from '../../../src/cluster/ha-master-address.js'

const tmp = mkdtempSync(join(tmpdir(), 'mqbench-rmq-unit-'))
const savedHome = process.env.MQBENCH_ROCKETMQ_HOME
afterEach(() => {
  if (savedHome === undefined) delete process.env.MQBENCH_ROCKETMQ_HOME
  else process.env.MQBENCH_ROCKETMQ_HOME = savedHome
})
afterAll(() => rmSync(tmp, {recursive: true, force: true}))

const master: BrokerSpec = {brokerName: 'broker-a', brokerId: 0, brokerRole: 'SYNC_MASTER', flushDiskType: 'SYNC_FLUSH'}
const slave: BrokerSpec = {brokerName: 'broker-a', brokerId: 1, brokerRole: 'SLAVE', flushDiskType: 'ASYNC_FLUSH'}
const ctx: BrokerConfContext = {
  version: '5.3.3',
  clusterName: 'C1',
  namesrvAddr: '127.0.0.1:9876',
  listenPort: 20911,
  storeDir: '/run/broker-a-0/store',
  groupSize: 2,
}

function parse(conf: string): Record<string, string> {
  return Object.fromEntries(conf.trimEnd().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]))
}

describe('renderBrokerConf', () => {
  it('writes RocketMQ keys for a 5.x SYNC_MASTER, including the quorum keys 5.x needs to wait for the slave', () => {
    const conf = renderBrokerConf(master, ctx)
    expect(conf.split('\n').every((line) => line === line.trimEnd())).toBe(true)
    expect(parse(conf)).toMatchObject({
      brokerClusterName: 'C1',
      brokerName: 'broker-a',
      brokerId: '0',
      brokerRole: 'SYNC_MASTER',
      flushDiskType: 'SYNC_FLUSH',
      namesrvAddr: '127.0.0.1:9876',
      brokerIP1: '127.0.0.1',
      brokerIP2: '127.0.0.1',
      listenPort: '20911',
      haListenPort: '20912',
      storePathRootDir: '/run/broker-a-0/store',
      storePathCommitLog: '/run/broker-a-0/store/commitlog',
      mappedFileSizeCommitLog: String(64 * 1024 * 1024),
      autoCreateTopicEnable: 'true',
      totalReplicas: '2',
      inSyncReplicas: '2',
    })
  })

  it('leaves the 5.x-only keys out for 4.x and for ASYNC_MASTER', () => {
    const v4 = parse(renderBrokerConf(master, {...ctx, version: '4.9.7'}))
    expect(v4).not.toHaveProperty('totalReplicas')
    expect(v4).not.toHaveProperty('haListenPort')
    const asyncMaster = parse(renderBrokerConf({...master, brokerRole: 'ASYNC_MASTER'}, ctx))
    expect(asyncMaster).not.toHaveProperty('inSyncReplicas')
  })

  it('lets a 5.x slave serve pulls (it answers SYSTEM_BUSY to every pull otherwise); the master keeps its default', () => {
    expect(parse(renderBrokerConf(slave, {...ctx, masterHaAddr: '127.0.0.1:20912'})).slaveReadEnable).toBe('true')
    expect(parse(renderBrokerConf(master, ctx))).not.toHaveProperty('slaveReadEnable')
    expect(parse(renderBrokerConf(slave, {...ctx, version: '4.9.7', masterHaAddr: '127.0.0.1:20912'}))).not.toHaveProperty('slaveReadEnable')
  })

  it('points a 4.x slave at its master HA port (a 5.x slave learns it from the namesrv) and lets extraConf override defaults, trimmed', () => {
    expect(parse(renderBrokerConf(slave, {...ctx, masterHaAddr: '127.0.0.1:20912'}))).not.toHaveProperty('haMasterAddress')
    const conf = parse(
      renderBrokerConf({...slave, extraConf: {mappedFileSizeCommitLog: 1048576, slaveReadEnable: ' true '}}, {...ctx, version: '4.9.7', masterHaAddr: '127.0.0.1:20912'}),
    )
    expect(conf.haMasterAddress).toBe('127.0.0.1:20912')
    expect(conf.brokerRole).toBe('SLAVE')
    expect(conf.mappedFileSizeCommitLog).toBe('1048576')
    expect(conf.slaveReadEnable).toBe('true')
  })
})

describe('validateBrokerSpecs', () => {
  it('accepts a master/slave pair and names nodes <brokerName>-<brokerId>', () => {
    expect(() => validateBrokerSpecs([master, slave])).not.toThrow()
    expect([master, slave].map(brokerNodeName)).toEqual(['broker-a-0', 'broker-a-1'])
  })

  it.each([
    ['no brokers', [] as BrokerSpec[], /at least one broker/],
    ['master with brokerId 1', [{...master, brokerId: 1}], /brokers\[0\]\.brokerId must be 0 for a master/],
    ['slave with brokerId 0', [master, {...slave, brokerId: 0}], /brokers\[1\]\.brokerId must be an integer > 0/],
    ['duplicate node', [master, slave, slave], /brokers\[2\] duplicates broker broker-a-1/],
    ['bad name', [{...master, brokerName: 'a b'}], /brokerName must match/],
    ['newline in extraConf', [{...master, extraConf: {x: 'a\nlistenPort=1'}}], /extraConf\.x/],
  ])('rejects %s with a ConfigError naming the field', (_label, specs, message) => {
    expect(() => validateBrokerSpecs(specs)).toThrow(ConfigError)
    expect(() => validateBrokerSpecs(specs)).toThrow(message)
  })
})

describe('isRocketMQAvailable', () => {
  it('reports a missing install with the command that fixes it, and finds one marked installed', () => {
    process.env.MQBENCH_ROCKETMQ_HOME = join(tmp, 'cache')
    expect(rocketmqInstallDir('5.3.3')).toBe(join(tmp, 'cache', '5.3.3'))
    const missing = isRocketMQAvailable('5.3.3')
    expect(missing.ok).toBe(false)
    if (!missing.ok) expect(missing.reason).toMatch(/not installed .*npm run rocketmq:install/)
    mkdirSync(join(tmp, 'cache', '5.3.3'), {recursive: true})
    writeFileSync(join(tmp, 'cache', '5.3.3', '.installed'), '{}')
    const found = isRocketMQAvailable('5.3.3')
    // java is required too; on a machine without it the reason says so instead.
    if (found.ok) expect(found.libDir).toBe(join(tmp, 'cache', '5.3.3', 'lib'))
    else expect(found.reason).toMatch(/java/)
  })
})

describe('RocketMQCluster without an install', () => {
  it('refuses to start with a ConfigError and spawns nothing', async () => {
    process.env.MQBENCH_ROCKETMQ_HOME = join(tmp, 'empty-cache')
    const cluster = new RocketMQCluster({runDir: join(tmp, 'run'), brokers: [master]})
    expect(() => cluster.namesrvAddr).toThrow(RunBrokenError)
    await expect(cluster.start()).rejects.toBeInstanceOf(ConfigError)
    expect(cluster.nodes()).toEqual([])
    await expect(cluster.kill('broker-a-0')).rejects.toThrow(/no node 'broker-a-0'/)
  })

  it('validates specs in the constructor', () => {
    expect(() => new RocketMQCluster({runDir: tmp, brokers: [{...master, brokerId: 2}]})).toThrow(ConfigError)
  })
})

describe('a slave\'s configured haMasterAddress (ha-master-address.ts)', () => {
  it('is read from a SLAVE\'s conf only', () => {
    expect(configuredHaMasterAddress({...slave, extraConf: {haMasterAddress: '127.0.0.1:40001'}})).toBe('127.0.0.1:40001')
    expect(configuredHaMasterAddress(slave)).toBeUndefined()
    expect(configuredHaMasterAddress({...master, extraConf: {haMasterAddress: '127.0.0.1:40001'}})).toBeUndefined()
    expect(configuredHaMasterAddress(undefined)).toBeUndefined()
  })

  it('the proxy\'s address wins over the master\'s HA port in a 4.x conf, and stays in a 5.x conf (it stops the namesrv\'s address)', () => {
    const routed = {...slave, extraConf: {haMasterAddress: '127.0.0.1:40001'}}
    expect(parse(renderBrokerConf(routed, {...ctx, version: '4.9.7', masterHaAddr: '127.0.0.1:20912'})).haMasterAddress).toBe('127.0.0.1:40001')
    expect(parse(renderBrokerConf(routed, {...ctx, masterHaAddr: '127.0.0.1:20912'})).haMasterAddress).toBe('127.0.0.1:40001')
  })

  it('4.x applies it from the conf: nothing is sent (no broker at this address, yet no error)', async () => {
    await expect(applyHaMasterAddress('4.9.7', {name: 'broker-a-1', kind: 'broker', addr: '127.0.0.1:1', pid: undefined}, '127.0.0.1:2', '127.0.0.1:3')).resolves.toBeUndefined()
  })
})
