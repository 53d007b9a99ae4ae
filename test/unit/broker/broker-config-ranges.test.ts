/** Issue 19 item 6: every broker.conf interval has a range checked at parse time (Node timers overflow above 2^31-1 ms). */
import {describe, expect, it} from 'vitest'
import {ConfigError} from '../../../src/errors.js'
import {parseBrokerConfig, TIMER_MAX_MS, toMessageStoreConfig} from '../../../src/broker/broker-config.js'

const INTERVALS = [
  'syncFlushTimeout', 'slaveTimeout', 'flushIntervalCommitLog', 'flushCommitLogThoroughInterval', 'flushIntervalConsumeQueue',
  'flushConsumeQueueThoroughInterval', 'registerNameServerPeriod', 'shortPollingTimeMills', 'flushConsumerOffsetInterval',
  'haSendHeartbeatInterval', 'haHousekeepingInterval', 'flushDelayOffsetInterval',
]

describe('broker.conf interval ranges', () => {
  it.each(INTERVALS)('%s: 2^31-1 ms is accepted, one more is a ConfigError naming the key', (key) => {
    expect(parseBrokerConfig(`${key}=${TIMER_MAX_MS}`)[key as 'slaveTimeout']).toBe(TIMER_MAX_MS)
    expect(() => parseBrokerConfig(`${key}=${TIMER_MAX_MS + 1}`)).toThrow(ConfigError)
    expect(() => parseBrokerConfig(`${key}=${TIMER_MAX_MS + 1}`)).toThrow(new RegExp(`^broker.conf: ${key}: expected at most 2147483647 ms`))
  })

  it('serverChannelMaxIdleTimeSeconds: RocketMQ default 120 s, range checked', () => {
    expect(parseBrokerConfig('').serverChannelMaxIdleTimeSeconds).toBe(120)
    expect(parseBrokerConfig('serverChannelMaxIdleTimeSeconds=0').serverChannelMaxIdleTimeSeconds).toBe(0)
    expect(() => parseBrokerConfig('serverChannelMaxIdleTimeSeconds=2147484')).toThrow(/serverChannelMaxIdleTimeSeconds: expected at most 2147483 s/)
  })

  it('maxTransferCountOnMessageInMemory / BytesOnMessageInMemory: RocketMQ defaults 32 / 256 KiB, bounded so a pull fits a frame', () => {
    const defaults = toMessageStoreConfig(parseBrokerConfig(''), 10911)
    expect([defaults.maxTransferCountOnMessageInMemory, defaults.maxTransferBytesOnMessageInMemory]).toEqual([32, 262144])
    const raised = toMessageStoreConfig(parseBrokerConfig('maxTransferCountOnMessageInMemory=1024\nmaxTransferBytesOnMessageInMemory=2097152'), 10911)
    expect([raised.maxTransferCountOnMessageInMemory, raised.maxTransferBytesOnMessageInMemory]).toEqual([1024, 2097152])
    expect(() => parseBrokerConfig('maxTransferCountOnMessageInMemory=0')).toThrow(/^broker.conf: maxTransferCountOnMessageInMemory: expected a positive integer/)
    expect(() => parseBrokerConfig('maxTransferCountOnMessageInMemory=65537')).toThrow(/maxTransferCountOnMessageInMemory: expected at most 65536/)
    expect(() => parseBrokerConfig('maxTransferBytesOnMessageInMemory=8388609')).toThrow(/maxTransferBytesOnMessageInMemory: expected at most 8388608 bytes/)
  })

  it('brokerIP1/brokerIP2 must be loopback: the embedded broker has no authentication', () => {
    expect(parseBrokerConfig('brokerIP1=127.0.0.2').brokerIP1).toBe('127.0.0.2')
    expect(() => parseBrokerConfig('brokerIP1=10.0.0.1')).toThrow(/^broker.conf: brokerIP1: expected a loopback address/)
    expect(() => parseBrokerConfig('brokerIP2=0.0.0.0')).toThrow(/^broker.conf: brokerIP2: expected a loopback address/)
  })
})
