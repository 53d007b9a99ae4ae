import {describe, expect, it} from 'vitest'
import {defaultBrokerConfig, parseBrokerConfig} from '../../../../src/broker/broker-config.js'

describe('broker.conf delay and retry keys', () => {
  it("defaults to RocketMQ's levels, scale 1, 16 reconsumes, delayOffset.json every 10 s", () => {
    expect(defaultBrokerConfig()).toMatchObject({
      messageDelayLevel: '1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h', delayTimeScale: 1,
      maxReconsumeTimes: 16, flushDelayOffsetInterval: 10000,
    })
  })

  it('parses them and names the key on bad values', () => {
    const cfg = parseBrokerConfig('messageDelayLevel=1s 2s 1h\ndelayTimeScale=0.001\nmaxReconsumeTimes=3\n')
    expect(cfg).toMatchObject({messageDelayLevel: '1s 2s 1h', delayTimeScale: 0.001, maxReconsumeTimes: 3})
    expect(() => parseBrokerConfig('messageDelayLevel=1 2')).toThrow(/messageDelayLevel: expected durations/)
    expect(() => parseBrokerConfig('delayTimeScale=0')).toThrow(/delayTimeScale: expected a positive number/)
    expect(() => parseBrokerConfig('delayTimeScale=-1')).toThrow(/delayTimeScale/)
  })
})
