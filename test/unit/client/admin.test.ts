import {afterEach, describe, expect, it} from 'vitest'
import {Admin, createTopic} from '../../../src/client/admin.js'
import {RemotingError} from '../../../src/errors.js'
import {decodeCreateTopicRequestHeader} from '../../../src/protocol/headers/topic.js'
import {newResponse} from '../../../src/protocol/remoting-command.js'
import {RequestCode} from '../../../src/protocol/request-code.js'
import {FakeBroker, FakeNamesrv, routeOf} from './fake-cluster.js'

const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

describe('Admin', () => {
  it('creates a topic on every master of a cluster, read from fastjson cluster info', async () => {
    const ns = await new FakeNamesrv().start()
    const a = await new FakeBroker('broker-a').start()
    const b = await new FakeBroker('broker-b').start()
    const other = await new FakeBroker('broker-x').start()
    cleanups.push(() => ns.stop(), () => a.stop(), () => b.stop(), () => other.stop())
    ns.clusterInfoText =
      `{"brokerAddrTable":{"broker-a":{"brokerAddrs":{0:"${a.addr}",1:"127.0.0.1:1"},"brokerName":"broker-a","cluster":"C1"},` +
      `"broker-b":{"brokerAddrs":{0:"${b.addr}"},"brokerName":"broker-b","cluster":"C1"},` +
      `"broker-x":{"brokerAddrs":{0:"${other.addr}"},"brokerName":"broker-x","cluster":"C2"}},` +
      `"clusterAddrTable":{"C1":["broker-a","broker-b"],"C2":["broker-x"]}}`
    const done = await createTopic({namesrvAddr: ns.addr, clusterName: 'C1', topic: 'Bench', queueNums: 8})
    expect(done.sort()).toEqual([a.addr, b.addr].sort())
    expect(other.requests).toHaveLength(0)
    const h = decodeCreateTopicRequestHeader(a.requests[0]!.extFields)
    expect(h).toMatchObject({topic: 'Bench', readQueueNums: 8, writeQueueNums: 8, perm: 6, order: false, defaultTopic: 'TBW102'})
  })

  it('creates on one broker address and surfaces a refusal as RemotingError', async () => {
    const a = await new FakeBroker('broker-a').start()
    cleanups.push(() => a.stop())
    a.on(RequestCode.UPDATE_AND_CREATE_TOPIC, (req) => newResponse(req, 29, {remark: 'bad name'}))
    const err = await createTopic({brokerAddr: a.addr, topic: 'bad name', queueNums: 1}).catch((e: unknown) => e)
    expect((err as RemotingError).responseCode).toBe(29)
  })

  it('reads max and min offsets from the master', async () => {
    const ns = await new FakeNamesrv().start()
    const a = await new FakeBroker('broker-a').start()
    cleanups.push(() => ns.stop(), () => a.stop())
    ns.routes.set('T', routeOf([{name: 'broker-a', master: a.addr}]))
    a.on(RequestCode.GET_MAX_OFFSET, (req) => newResponse(req, 0, {extFields: {offset: String(100 + Number(req.extFields!.queueId))}}))
    a.on(RequestCode.GET_MIN_OFFSET, (req) => newResponse(req, 0, {extFields: {offset: '3'}}))
    const admin = new Admin({namesrvAddr: ns.addr})
    cleanups.push(() => admin.shutdown())
    const mq = {topic: 'T', brokerName: 'broker-a', queueId: 1}
    expect(await admin.getMaxOffset(mq)).toBe(101)
    expect(await admin.getMinOffset(mq)).toBe(3)
  })
})
