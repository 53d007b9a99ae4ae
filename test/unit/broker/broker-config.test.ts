import {describe, expect, it} from 'vitest'
import {ConfigError} from '../../../src/errors.js'
import {parseBrokerConfig} from '../../../src/broker/broker-config.js'

function errorOf(text: string): string {
  try {
    parseBrokerConfig(text)
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return (err as Error).message
  }
  throw new Error('expected a ConfigError')
}

describe('parseBrokerConfig', () => {
  it('reads a RocketMQ-style file with comments and applies RocketMQ defaults for the rest', () => {
    const cfg = parseBrokerConfig([
      '# a master',
      'brokerClusterName=C1',
      'brokerName = broker-b',
      'brokerId=0',
      'brokerRole=SYNC_MASTER',
      '! another comment style',
      'flushDiskType=SYNC_FLUSH',
      'listenPort=20911',
      'namesrvAddr=127.0.0.1:9876;127.0.0.1:9877',
      'storePathRootDir=/tmp/x',
      'syncFlushTimeout: 1500',
      'autoCreateTopicEnable=false',
      'pageCacheMode=volatile',
      '',
    ].join('\n'))
    expect(cfg).toMatchObject({
      brokerClusterName: 'C1', brokerName: 'broker-b', brokerRole: 'SYNC_MASTER', flushDiskType: 'SYNC_FLUSH',
      listenPort: 20911, namesrvAddr: '127.0.0.1:9876;127.0.0.1:9877', storePathRootDir: '/tmp/x',
      syncFlushTimeout: 1500, autoCreateTopicEnable: false, pageCacheMode: 'volatile',
      // untouched RocketMQ defaults
      flushIntervalCommitLog: 500, flushCommitLogLeastPages: 4, flushCommitLogThoroughInterval: 10000,
      mappedFileSizeCommitLog: 1073741824, maxMessageSize: 4194304, defaultTopicQueueNums: 8,
      registerNameServerPeriod: 30000, flushConsumerOffsetInterval: 5000, slaveReadEnable: false,
      brokerIP1: '127.0.0.1', brokerIP2: '127.0.0.1', haListenPort: undefined, slaveTimeout: 3000,
    })
  })

  it('brokerIP2 follows brokerIP1 unless set', () => {
    expect(parseBrokerConfig('brokerIP1=127.0.0.5').brokerIP2).toBe('127.0.0.5')
    expect(parseBrokerConfig('brokerIP1=127.0.0.5\nbrokerIP2=127.0.0.6').brokerIP2).toBe('127.0.0.6')
  })

  it('rejects a malformed value with one line naming the key and the expected form', () => {
    expect(errorOf('syncFlushTimeout=5s')).toBe('broker.conf: syncFlushTimeout: expected a non-negative integer (ms), got "5s"')
    expect(errorOf('flushDiskType=SYNC')).toBe('broker.conf: flushDiskType: expected one of ASYNC_FLUSH, SYNC_FLUSH, got "SYNC"')
    expect(errorOf('slaveReadEnable=yes')).toBe('broker.conf: slaveReadEnable: expected true or false, got "yes"')
    expect(errorOf('listenPort=70000')).toBe('broker.conf: listenPort: expected a TCP port 0-65535, got "70000"')
    expect(errorOf('mappedFileSizeConsumeQueue=1001')).toBe('broker.conf: mappedFileSizeConsumeQueue: expected a multiple of 20 (bytes), got "1001"')
    expect(errorOf('namesrvAddr=localhost')).toBe('broker.conf: namesrvAddr: expected host:port[;host:port...], got "localhost"')
  })

  it('accepts storeFs local|faultfs (read by the orchestrator) and names the expected form otherwise', () => {
    expect(() => parseBrokerConfig('brokerName=a\nstoreFs=faultfs')).not.toThrow()
    expect(errorOf('brokerName=a\nstoreFs=tmpfs')).toMatch(/storeFs: expected one of local, faultfs, got "tmpfs"/)
  })

  it('rejects an unknown key (Java would silently ignore a typo)', () => {
    expect(errorOf('flushDiskTyp=SYNC_FLUSH')).toBe('broker.conf: flushDiskTyp: unknown key (see rocketmq-protocol.md §7 for broker.conf keys)')
  })

  it('rejects a line that is not key=value, and inconsistent role/id', () => {
    expect(errorOf('brokerName')).toBe('broker.conf: line 1: expected key=value, got "brokerName"')
    expect(errorOf('brokerRole=SLAVE')).toBe('broker.conf: brokerId: expected an id >= 1 for brokerRole=SLAVE, got "0"')
    expect(errorOf('brokerId=1')).toBe('broker.conf: brokerId: expected 0 for brokerRole=ASYNC_MASTER, got "1"')
  })

  it('names the file it was given in the message', () => {
    expect(() => parseBrokerConfig('x=1', 'b1.conf')).toThrow(/^b1\.conf: x: unknown key/)
  })
})
