import {afterEach, describe, expect, it} from 'vitest'
import {RemotingError} from '../../../src/errors.js'
import {borrowDefaultRoute, publishQueues, RouteCache, subscribeQueues} from '../../../src/client/route-cache.js'
import {RemotingClient} from '../../../src/remoting/remoting-client.js'
import {FakeNamesrv, routeOf} from './fake-cluster.js'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function setup(): Promise<{ns: FakeNamesrv; cache: RouteCache}> {
  const ns = await new FakeNamesrv().start()
  const remoting = new RemotingClient()
  cleanups.push(() => ns.stop(), () => remoting.close())
  return {ns, cache: new RouteCache({remoting, namesrvAddr: ns.addr})}
}

describe('publish and subscribe queues', () => {
  it('publishes only writable queues of broker names with a master, sorted by broker name', () => {
    const route = routeOf([
      {name: 'broker-b', master: '127.0.0.1:2'},
      {name: 'broker-a', master: '127.0.0.1:1'},
      {name: 'broker-c', slave: '127.0.0.1:3'},
      {name: 'broker-d', master: '127.0.0.1:4', perm: 4},
    ])
    expect(publishQueues('T', route).map((q) => `${q.brokerName}/${q.queueId}`)).toEqual(['broker-a/0', 'broker-a/1', 'broker-b/0', 'broker-b/1'])
    // Subscribing does not need a master: a slave serves reads.
    expect(subscribeQueues('T', route).map((q) => q.brokerName)).toEqual(['broker-b', 'broker-b', 'broker-a', 'broker-a', 'broker-c', 'broker-c', 'broker-d', 'broker-d'])
  })

  it('borrows the default topic route with min(defaultTopicQueueNums, writeQueueNums) queues', () => {
    const route = routeOf([{name: 'broker-a', master: '127.0.0.1:1'}], 8)
    expect(publishQueues('New', borrowDefaultRoute(route, 4))).toHaveLength(4)
  })
})

describe('RouteCache', () => {
  it('asks with acceptStandardJsonOnly and reads fastjson bare numeric brokerAddrs keys', async () => {
    const {ns, cache} = await setup()
    ns.routes.set(
      'T',
      '{"brokerDatas":[{"brokerAddrs":{0:"127.0.0.1:10911",1:"127.0.0.1:11911"},"brokerName":"broker-a","cluster":"DefaultCluster"}],' +
        '"filterServerTable":{},"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSynFlag":0,"writeQueueNums":4}]}',
    )
    const route = await cache.getRoute('T')
    expect(ns.requests[0]!.extFields).toEqual({topic: 'T', acceptStandardJsonOnly: 'true'})
    expect(route.brokerDatas[0]!.brokerAddrs).toEqual({'0': '127.0.0.1:10911', '1': '127.0.0.1:11911'})
    expect(cache.masterAddr('broker-a')).toBe('127.0.0.1:10911')
    expect(cache.allBrokerAddrs().sort()).toEqual(['127.0.0.1:10911', '127.0.0.1:11911'])
    expect(publishQueues('T', route)).toHaveLength(4)
  })

  it('caches, shares concurrent fetches and refetches on demand', async () => {
    const {ns, cache} = await setup()
    ns.routes.set('T', routeOf([{name: 'broker-a', master: '127.0.0.1:1'}]))
    await Promise.all([cache.getRoute('T'), cache.getRoute('T'), cache.getRoute('T')])
    await cache.getRoute('T')
    expect(ns.requests).toHaveLength(1)
    ns.routes.set('T', routeOf([{name: 'broker-a', master: '127.0.0.1:9'}]))
    await cache.getRoute('T', {refresh: true})
    expect(cache.masterAddr('broker-a')).toBe('127.0.0.1:9')
  })

  it('turns TOPIC_NOT_EXIST into a RemotingError with code 17', async () => {
    const {cache} = await setup()
    const err = await cache.getRoute('Nope').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RemotingError)
    expect((err as RemotingError).responseCode).toBe(17)
  })

  it('falls over to the next namesrv in a ;-separated list', async () => {
    const ns = await new FakeNamesrv().start()
    const remoting = new RemotingClient({connectTimeoutMs: 500})
    cleanups.push(() => ns.stop(), () => remoting.close())
    ns.routes.set('T', routeOf([{name: 'broker-a', master: '127.0.0.1:1'}]))
    // Port 1 on loopback: nothing listens there, the connect is refused.
    const cache = new RouteCache({remoting, namesrvAddr: `127.0.0.1:1;${ns.addr}`})
    expect((await cache.getRoute('T')).queueDatas).toHaveLength(1)
  })
})
