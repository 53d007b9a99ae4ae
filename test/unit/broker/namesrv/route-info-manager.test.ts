import {describe, expect, it} from 'vitest'
import {type BrokerRegistration, RouteInfoManager} from '../../../../src/broker/namesrv/route-info-manager.js'

function reg(over: Partial<BrokerRegistration> = {}): BrokerRegistration {
  return {
    clusterName: 'C', brokerName: 'broker-a', brokerAddr: '127.0.0.1:10911', brokerId: 0, haServerAddr: '127.0.0.1:10912',
    dataVersion: {counter: 1, timestamp: 1},
    topicConfigTable: {T: {topicName: 'T', readQueueNums: 4, writeQueueNums: 4, perm: 6}},
    channelId: 1,
    ...over,
  }
}

describe('RouteInfoManager', () => {
  it('answers a route from the master registration; unknown topics have none', () => {
    const r = new RouteInfoManager()
    expect(r.registerBroker(reg())).toEqual({})
    expect(r.pickupTopicRouteData('T')).toEqual({
      queueDatas: [{brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0}],
      brokerDatas: [{cluster: 'C', brokerName: 'broker-a', brokerAddrs: {'0': '127.0.0.1:10911'}}],
      filterServerTable: {},
    })
    expect(r.pickupTopicRouteData('nope')).toBeUndefined()
  })

  it('a slave adds its address but no queue data, and learns the master and its HA address', () => {
    const r = new RouteInfoManager()
    r.registerBroker(reg())
    const res = r.registerBroker(reg({brokerId: 1, brokerAddr: '127.0.0.1:11911', haServerAddr: '127.0.0.1:11912', channelId: 2,
      topicConfigTable: {T: {topicName: 'T', readQueueNums: 99, writeQueueNums: 99, perm: 6}, S: {topicName: 'S', readQueueNums: 1, writeQueueNums: 1, perm: 6}}}))
    expect(res).toEqual({masterAddr: '127.0.0.1:10911', haServerAddr: '127.0.0.1:10912'})
    const route = r.pickupTopicRouteData('T')!
    expect(route.queueDatas[0]!.readQueueNums).toBe(4)
    expect(route.brokerDatas[0]!.brokerAddrs).toEqual({'0': '127.0.0.1:10911', '1': '127.0.0.1:11911'})
    expect(r.pickupTopicRouteData('S')).toBeUndefined()
  })

  it('closing the master channel leaves the slave address; the route goes with the last address', () => {
    const r = new RouteInfoManager()
    r.registerBroker(reg())
    r.registerBroker(reg({brokerId: 1, brokerAddr: '127.0.0.1:11911', channelId: 2}))
    r.onChannelClose(1)
    expect(r.pickupTopicRouteData('T')!.brokerDatas[0]!.brokerAddrs).toEqual({'1': '127.0.0.1:11911'})
    r.unregisterBroker({clusterName: 'C', brokerName: 'broker-a', brokerAddr: '127.0.0.1:11911', brokerId: 1})
    expect(r.pickupTopicRouteData('T')).toBeUndefined()
    expect(r.getClusterInfo()).toEqual({brokerAddrTable: {}, clusterAddrTable: {}})
  })

  it('expires brokers silent for longer than the expiry', () => {
    const r = new RouteInfoManager()
    r.registerBroker(reg(), 1000)
    expect(r.scanNotActiveBroker(1000 + 120_000)).toEqual([])
    expect(r.scanNotActiveBroker(1000 + 120_001)).toEqual(['127.0.0.1:10911'])
    expect(r.pickupTopicRouteData('T')).toBeUndefined()
  })

  it('re-reads topics only when dataVersion changes; dropped topics disappear', () => {
    const r = new RouteInfoManager()
    r.registerBroker(reg())
    r.registerBroker(reg({topicConfigTable: {}}))
    expect(r.pickupTopicRouteData('T')).toBeDefined()
    r.registerBroker(reg({dataVersion: {counter: 2, timestamp: 2}, topicConfigTable: {U: {topicName: 'U', readQueueNums: 2, writeQueueNums: 2, perm: 6}}}))
    expect(r.pickupTopicRouteData('T')).toBeUndefined()
    expect(r.pickupTopicRouteData('U')!.queueDatas[0]!.writeQueueNums).toBe(2)
    expect(r.allTopics()).toEqual(['U'])
  })

  it('two broker names serve one topic; cluster info lists both', () => {
    const r = new RouteInfoManager()
    r.registerBroker(reg())
    r.registerBroker(reg({brokerName: 'broker-b', brokerAddr: '127.0.0.1:20911', channelId: 3}))
    expect(r.pickupTopicRouteData('T')!.queueDatas.map((q) => q.brokerName)).toEqual(['broker-a', 'broker-b'])
    expect(r.getClusterInfo().clusterAddrTable).toEqual({C: ['broker-a', 'broker-b']})
  })
})
