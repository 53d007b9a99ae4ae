import {afterEach, describe, expect, it} from 'vitest'
import {RemotingError, TimeoutError} from '../../../src/errors.js'
import {Producer, type ProducerOptions, type SendAttempt} from '../../../src/client/producer.js'
import {decodeHeartbeatData} from '../../../src/protocol/bodies/heartbeat-data.js'
import {decodeSendMessageRequestHeader} from '../../../src/protocol/headers/send-message.js'
import {decodeProperties} from '../../../src/protocol/message/properties.js'
import {RemotingFlag, type RemotingCommand} from '../../../src/protocol/remoting-command.js'
import {RequestCode} from '../../../src/protocol/request-code.js'
import {FakeBroker, FakeNamesrv, routeOf, sendAnswer, TypeRecordingRelay} from './fake-cluster.js'

const SEND = RequestCode.SEND_MESSAGE_V2
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function cluster(): Promise<{ns: FakeNamesrv; a: FakeBroker; b: FakeBroker}> {
  const ns = await new FakeNamesrv().start()
  const a = await new FakeBroker('broker-a').start()
  const b = await new FakeBroker('broker-b').start()
  cleanups.push(() => ns.stop(), () => a.stop(), () => b.stop())
  ns.routes.set('T', routeOf([{name: 'broker-a', master: a.addr}, {name: 'broker-b', master: b.addr}]))
  return {ns, a, b}
}

async function producer(ns: FakeNamesrv, opts: Partial<ProducerOptions> = {}): Promise<Producer> {
  const p = new Producer({namesrvAddr: ns.addr, producerGroup: 'pg', ...opts})
  await p.start()
  cleanups.push(() => p.shutdown())
  return p
}

const sends = (b: FakeBroker): RemotingCommand[] => b.requests.filter((r) => r.code === SEND)
const msg = {topic: 'T', body: Buffer.from('hello'), tags: 'TagA', keys: 'k1 k2'}

describe('Producer.send', () => {
  it('speaks JSON headers by default and ROCKETMQ ones when asked, and servers answer in kind', async () => {
    for (const serializeType of [undefined, 'JSON', 'ROCKETMQ'] as const) {
      const ns = await new FakeNamesrv().start()
      const a = await new FakeBroker('broker-a').start()
      const nsRelay = await new TypeRecordingRelay(ns.addr).start()
      const aRelay = await new TypeRecordingRelay(a.addr).start()
      cleanups.push(() => ns.stop(), () => a.stop(), () => nsRelay.stop(), () => aRelay.stop())
      ns.routes.set('T', routeOf([{name: 'broker-a', master: aRelay.addr}]))
      a.on(SEND, sendAnswer(0))
      const p = new Producer({namesrvAddr: nsRelay.addr, producerGroup: 'pg', serializeType})
      await p.start()
      cleanups.push(() => p.shutdown())
      expect((await p.send(msg)).status).toBe('SEND_OK')
      const type = serializeType === 'ROCKETMQ' ? 1 : 0
      for (const relay of [nsRelay, aRelay]) {
        expect(relay.requestTypes.length).toBeGreaterThan(0)
        expect(new Set([...relay.requestTypes, ...relay.responseTypes])).toEqual(new Set([type]))
      }
    }
  })

  it('sends SEND_MESSAGE_V2 with short names, UNIQ_KEY, WAIT, TAGS and KEYS, and returns the SendResult', async () => {
    const {ns, a, b} = await cluster()
    a.on(SEND, sendAnswer(0, 41))
    b.on(SEND, sendAnswer(0, 41))
    const result = await (await producer(ns)).send(msg)
    const req = [...sends(a), ...sends(b)][0]!
    const header = decodeSendMessageRequestHeader(req.extFields, SEND)
    expect(header).toMatchObject({producerGroup: 'pg', topic: 'T', defaultTopic: 'TBW102', defaultTopicQueueNums: 4, sysFlag: 0, flag: 0})
    expect(req.extFields!.n).toBe(result.queue.brokerName)
    const props = decodeProperties(header.properties!)
    expect(props.UNIQ_KEY).toMatch(/^[0-9A-F]{32}$/)
    expect(props).toMatchObject({WAIT: 'true', TAGS: 'TagA', KEYS: 'k1 k2'})
    expect(req.body!.toString()).toBe('hello')
    expect(result).toMatchObject({status: 'SEND_OK', msgId: props.UNIQ_KEY, offsetMsgId: '7F00000100002A9F00000000000000AA', queueOffset: 41, attempts: 1})
    expect(result.queue.queueId).toBe(header.queueId)
  })

  it('a send to a chosen queue works as the first send of a fresh producer (the route is looked up for it) and never moves elsewhere', async () => {
    const {ns, a, b} = await cluster()
    a.on(SEND, sendAnswer(0, 7))
    b.on(SEND, sendAnswer(0, 7))
    const queue = {topic: 'T', brokerName: 'broker-b', queueId: 3}
    expect(await (await producer(ns)).send(msg, {queue})).toMatchObject({status: 'SEND_OK', attempts: 1, queue: {brokerName: 'broker-b'}})
    expect(await (await producer(ns)).sendAsync(msg, {queue})).toMatchObject({status: 'SEND_OK', attempts: 1, queue: {brokerName: 'broker-b'}})
    await (await producer(ns)).sendOneway(msg, {queue})
    await new Promise((r) => setTimeout(r, 50))
    expect(sends(a)).toHaveLength(0)
    expect(sends(b).map((req) => decodeSendMessageRequestHeader(req.extFields, SEND).queueId)).toEqual([3, 3, 3])
  })

  it.each([
    [10, 'FLUSH_DISK_TIMEOUT'],
    [11, 'SLAVE_NOT_AVAILABLE'],
    [12, 'FLUSH_SLAVE_TIMEOUT'],
  ])('returns code %i as %s without retrying by default', async (code, status) => {
    const {ns, a, b} = await cluster()
    a.on(SEND, sendAnswer(code))
    b.on(SEND, sendAnswer(code))
    const result = await (await producer(ns)).send(msg)
    expect(result.status).toBe(status)
    expect(sends(a).length + sends(b).length).toBe(1)
  })

  it('retries a non-OK status on the other broker with retryAnotherBrokerWhenNotStoreOK, keeping UNIQ_KEY', async () => {
    const {ns, a, b} = await cluster()
    const all: RemotingCommand[] = []
    for (const broker of [a, b]) {
      broker.on(SEND, (req, conn) => {
        all.push(req)
        return sendAnswer(12)(req, conn)
      })
    }
    const p = await producer(ns, {retryAnotherBrokerWhenNotStoreOK: true})
    const result = await p.send(msg)
    expect(all).toHaveLength(3)
    expect(result.status).toBe('FLUSH_SLAVE_TIMEOUT')
    expect(result.attempts).toBe(3)
    expect(new Set(all.map((r) => decodeProperties(r.extFields!.i!).UNIQ_KEY)).size).toBe(1)
    // Alternates: never the broker that answered just before.
    const order = all.map((r) => r.extFields!.n)
    expect(order[0]).not.toBe(order[1])
    expect(order[1]).not.toBe(order[2])
  })

  it('retries a retryable broker code on the other broker and reports every attempt', async () => {
    const {ns, a, b} = await cluster()
    a.on(SEND, sendAnswer(1))
    b.on(SEND, sendAnswer(1))
    // Whichever broker is hit first fails; the second one succeeds.
    let first: string | undefined
    for (const broker of [a, b]) {
      broker.on(SEND, (req, conn) => {
        first ??= broker.brokerName
        return sendAnswer(first === broker.brokerName ? 1 : 0)(req, conn)
      })
    }
    const attempts: SendAttempt[] = []
    const result = await (await producer(ns)).send(msg, {onAttempt: (x) => attempts.push(x)})
    expect(result.status).toBe('SEND_OK')
    expect(result.attempts).toBe(2)
    expect(result.queue.brokerName).not.toBe(first)
    expect(attempts.map((x) => [x.attempt, x.queue.brokerName, x.status ?? (x.error as RemotingError).responseCode])).toEqual([
      [1, first, 1],
      [2, result.queue.brokerName, 'SEND_OK'],
    ])
  })

  it('throws a non-retryable broker code at once', async () => {
    const {ns, a, b} = await cluster()
    a.on(SEND, sendAnswer(13))
    b.on(SEND, sendAnswer(13))
    const err = await (await producer(ns)).send(msg).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(RemotingError)
    expect((err as RemotingError).responseCode).toBe(13)
    expect((err as RemotingError & {attempts: number}).attempts).toBe(1)
    expect(sends(a).length + sends(b).length).toBe(1)
  })

  it('retries on another broker when the first one is unreachable', async () => {
    const {ns, a, b} = await cluster()
    await a.stop()
    b.on(SEND, sendAnswer(0))
    const p = await producer(ns, {retryTimesWhenSendFailed: 4})
    for (let i = 0; i < 4; i++) {
      const result = await p.send(msg)
      expect(result.queue.brokerName).toBe('broker-b')
    }
  })

  it('stops at the total sendMsgTimeout budget: a timed-out attempt leaves no time for retries', async () => {
    const {ns, a, b} = await cluster()
    for (const broker of [a, b]) broker.on(SEND, () => new Promise<undefined>(() => {}))
    const err = await (await producer(ns, {sendMsgTimeout: 300})).send(msg).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TimeoutError)
    expect(sends(a).length + sends(b).length).toBe(1)
  })

  it('follows a route change: queues come from the route the cache holds now', async () => {
    const {ns, a, b} = await cluster()
    ns.routes.set('T', routeOf([{name: 'broker-a', master: a.addr}]))
    b.on(SEND, sendAnswer(0))
    a.on(SEND, sendAnswer(0))
    const p = await producer(ns)
    for (let i = 0; i < 3; i++) expect((await p.send(msg)).queue.brokerName).toBe('broker-a')
    ns.routes.set('T', routeOf([{name: 'broker-b', master: b.addr}]))
    await a.stop()
    // A failed attempt refreshes the route in the background; sends then follow the new one.
    const deadline = Date.now() + 5000
    let last: string | undefined
    while (last !== 'broker-b' && Date.now() < deadline) last = (await p.send(msg).catch(() => undefined))?.queue.brokerName
    expect(last).toBe('broker-b')
    for (let i = 0; i < 3; i++) expect((await p.send(msg)).queue.brokerName).toBe('broker-b')
  })

  it('borrows TBW102 brokers for a topic the namesrv does not know', async () => {
    const {ns, a} = await cluster()
    ns.routes.set('TBW102', routeOf([{name: 'broker-a', master: a.addr}], 8))
    a.on(SEND, sendAnswer(0))
    const result = await (await producer(ns)).send({topic: 'Fresh', body: Buffer.from('x')})
    expect(result.queue).toMatchObject({topic: 'Fresh', brokerName: 'broker-a'})
    expect(result.queue.queueId).toBeLessThan(4)
  })
})

describe('Producer.sendAsync and sendOneway', () => {
  it('does not retry a broker error code in async mode', async () => {
    const {ns, a, b} = await cluster()
    a.on(SEND, sendAnswer(1))
    b.on(SEND, sendAnswer(1))
    await expect((await producer(ns)).sendAsync(msg)).rejects.toBeInstanceOf(RemotingError)
    expect(sends(a).length + sends(b).length).toBe(1)
  })

  it('retries a network failure in async mode', async () => {
    const {ns, a, b} = await cluster()
    await a.stop()
    b.on(SEND, sendAnswer(0))
    const p = await producer(ns, {retryTimesWhenSendAsyncFailed: 4})
    const results = await Promise.all(Array.from({length: 6}, () => p.sendAsync(msg)))
    expect(results.every((r) => r.queue.brokerName === 'broker-b' && r.status === 'SEND_OK')).toBe(true)
    expect(results.some((r) => r.attempts > 1)).toBe(true)
  })

  it('keeps at most maxInFlight async sends on the wire', async () => {
    const {ns, a, b} = await cluster()
    const held: Array<() => void> = []
    for (const broker of [a, b]) {
      broker.on(SEND, (req, conn) => new Promise((resolve) => held.push(() => resolve(sendAnswer(0)(req, conn) as RemotingCommand))))
    }
    const p = await producer(ns, {maxInFlight: 2})
    const all = Array.from({length: 5}, () => p.sendAsync(msg))
    await new Promise((r) => setTimeout(r, 150))
    expect(sends(a).length + sends(b).length).toBe(2)
    expect(p.inFlight).toBe(2)
    while ((await Promise.race([Promise.all(all).then(() => 'done'), new Promise((r) => setTimeout(() => r('tick'), 20))])) !== 'done') {
      for (const release of held.splice(0)) release()
      expect(p.inFlight).toBeLessThanOrEqual(2)
    }
    expect(sends(a).length + sends(b).length).toBe(5)
  })

  it('sends oneway with the ONEWAY flag and no reply', async () => {
    const {ns, a, b} = await cluster()
    await (await producer(ns)).sendOneway(msg)
    const deadline = Date.now() + 2000
    while (sends(a).length + sends(b).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    const req = [...sends(a), ...sends(b)][0]!
    expect(req.flag & RemotingFlag.ONEWAY).toBe(RemotingFlag.ONEWAY)
  })

  it('refuses sends before start', async () => {
    const {ns} = await cluster()
    const p = new Producer({namesrvAddr: ns.addr, producerGroup: 'pg'})
    expect(() => p.send(msg)).toThrow(/before start/)
  })
})


describe('Producer.heartbeat', () => {
  it('declares producerGroup to every broker it has a route to, on its own period', async () => {
    const {ns, a, b} = await cluster()
    a.on(SEND, sendAnswer(0))
    b.on(SEND, sendAnswer(0))
    const p = await producer(ns, {heartbeatIntervalMs: 50})
    await p.heartbeat()
    expect(a.requests.filter((r) => r.code === RequestCode.HEART_BEAT)).toHaveLength(0)
    await p.send(msg)
    await p.send(msg)
    await p.heartbeat()
    for (const broker of [a, b]) {
      const hb = broker.requests.find((r) => r.code === RequestCode.HEART_BEAT)!
      expect(decodeHeartbeatData(hb.body)).toMatchObject({clientID: p.clientId, producerDataSet: [{groupName: 'pg'}], consumerDataSet: []})
    }
    const before = a.requests.filter((r) => r.code === RequestCode.HEART_BEAT).length
    await new Promise((r) => setTimeout(r, 200))
    expect(a.requests.filter((r) => r.code === RequestCode.HEART_BEAT).length).toBeGreaterThan(before)
  })
})
