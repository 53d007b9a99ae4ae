import {afterEach, describe, expect, it} from 'vitest'
import {RemotingError} from '../../../src/errors.js'
import {PullConsumer} from '../../../src/client/pull-consumer.js'
import {decodeHeartbeatData} from '../../../src/protocol/bodies/heartbeat-data.js'
import {decodePullMessageRequestHeader, encodePullMessageResponseHeader, PullSysFlag} from '../../../src/protocol/headers/pull-message.js'
import {encodeMessageRecord} from '../../../src/protocol/message/message-ext.js'
import {newResponse, type RemotingCommand} from '../../../src/protocol/remoting-command.js'
import {RequestCode} from '../../../src/protocol/request-code.js'
import {ResponseCode} from '../../../src/protocol/response-code.js'
import {FakeBroker, FakeNamesrv, routeOf, TypeRecordingRelay} from './fake-cluster.js'

const PULL = RequestCode.PULL_MESSAGE
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function setup(): Promise<{ns: FakeNamesrv; master: FakeBroker; slave: FakeBroker; consumer: PullConsumer}> {
  const ns = await new FakeNamesrv().start()
  const master = await new FakeBroker('broker-a').start()
  const slave = await new FakeBroker('broker-a').start()
  ns.routes.set('T', routeOf([{name: 'broker-a', master: master.addr, slave: slave.addr}], 2))
  const consumer = new PullConsumer({namesrvAddr: ns.addr, consumerGroup: 'cg'})
  await consumer.start()
  cleanups.push(() => ns.stop(), () => master.stop(), () => slave.stop(), () => consumer.shutdown())
  return {ns, master, slave, consumer}
}

function record(queueOffset: number, body: string): Buffer {
  return encodeMessageRecord({
    topic: 'T', queueId: 1, flag: 0, queueOffset, commitLogOffset: 1000 + queueOffset * 200, sysFlag: 0,
    bornTimestamp: 1_700_000_000_000, bornHost: '127.0.0.1:50000', storeTimestamp: 1_700_000_000_001,
    storeHost: '127.0.0.1:10911', reconsumeTimes: 0, preparedTransactionOffset: 0, body: Buffer.from(body),
    properties: {UNIQ_KEY: `ID${queueOffset}`},
  })
}

function pullAnswer(code: number, opts: {body?: Buffer; suggest?: number; next?: number} = {}) {
  return (req: RemotingCommand) =>
    newResponse(req, code, {
      extFields: encodePullMessageResponseHeader({suggestWhichBrokerId: opts.suggest ?? 0, nextBeginOffset: opts.next ?? 3, minOffset: 0, maxOffset: 3}),
      ...(opts.body === undefined ? {} : {body: opts.body}),
    })
}

const mq = {topic: 'T', brokerName: 'broker-a', queueId: 1}

describe('PullConsumer', () => {
  it('pulls with SUBSCRIPTION|SUSPEND|COMMIT_OFFSET, subscription "*" and decodes the records', async () => {
    const {master, consumer} = await setup()
    master.on(PULL, pullAnswer(0, {body: Buffer.concat([record(0, 'a'), record(1, 'bb'), record(2, 'ccc')])}))
    const result = await consumer.pull(mq, 0, 32, {suspendTimeoutMillis: 1000, commitOffset: 5})
    const h = decodePullMessageRequestHeader(master.requests[0]!.extFields)
    expect(h).toMatchObject({consumerGroup: 'cg', topic: 'T', queueId: 1, queueOffset: 0, maxMsgNums: 32, commitOffset: 5,
      suspendTimeoutMillis: 1000, subscription: '*', expressionType: 'TAG'})
    expect(h.sysFlag).toBe(PullSysFlag.SUBSCRIPTION | PullSysFlag.SUSPEND | PullSysFlag.COMMIT_OFFSET)
    expect(result.status).toBe('FOUND')
    expect(result.nextBeginOffset).toBe(3)
    expect(result.messages.map((m) => [m.queueOffset, m.body.toString(), m.properties.UNIQ_KEY])).toEqual([
      [0, 'a', 'ID0'], [1, 'bb', 'ID1'], [2, 'ccc', 'ID2'],
    ])
    expect(result.brokerAddr).toBe(master.addr)
  })

  it.each([
    [ResponseCode.PULL_NOT_FOUND, 'NO_NEW_MSG'],
    [ResponseCode.PULL_RETRY_IMMEDIATELY, 'NO_MATCHED_MSG'],
    [ResponseCode.PULL_OFFSET_MOVED, 'OFFSET_ILLEGAL'],
  ])('maps pull code %i to %s', async (code, status) => {
    const {master, consumer} = await setup()
    master.on(PULL, pullAnswer(code))
    const result = await consumer.pull(mq, 3, 32, {suspendTimeoutMillis: 0})
    expect(result).toMatchObject({status, messages: [], nextBeginOffset: 3})
    // No hold requested: the SUSPEND bit is off.
    expect(decodePullMessageRequestHeader(master.requests[0]!.extFields).sysFlag).toBe(PullSysFlag.SUBSCRIPTION)
  })

  it('throws other pull codes as RemotingError', async () => {
    const {master, consumer} = await setup()
    master.on(PULL, (req) => newResponse(req, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, {remark: 'no group'}))
    const err = await consumer.pull(mq, 0, 32).catch((e: unknown) => e)
    expect((err as RemotingError).responseCode).toBe(26)
  })

  it('follows suggestWhichBrokerId to the slave, without COMMIT_OFFSET, and falls back to any address', async () => {
    const {ns, master, slave, consumer} = await setup()
    master.on(PULL, pullAnswer(ResponseCode.PULL_NOT_FOUND, {suggest: 1}))
    slave.on(PULL, pullAnswer(ResponseCode.PULL_NOT_FOUND, {suggest: 1}))
    await consumer.pull(mq, 3, 32, {suspendTimeoutMillis: 0, commitOffset: 3})
    const second = await consumer.pull(mq, 3, 32, {suspendTimeoutMillis: 0, commitOffset: 3})
    expect(second).toMatchObject({brokerAddr: slave.addr, brokerId: 1})
    expect(decodePullMessageRequestHeader(slave.requests[0]!.extFields).sysFlag & PullSysFlag.COMMIT_OFFSET).toBe(0)
    // Master gone from the route: an explicit brokerId 0 still lands on what is left (the slave).
    ns.routes.set('T', routeOf([{name: 'broker-a', slave: slave.addr}], 2))
    await consumer.fetchSubscribeQueues('T')
    const third = await consumer.pull(mq, 3, 32, {suspendTimeoutMillis: 0, brokerId: 0})
    expect(third.brokerAddr).toBe(slave.addr)
  })

  it('queries offsets (undefined on QUERY_NOT_FOUND), commits them and heartbeats CONSUME_ACTIVELY', async () => {
    const {master, slave, consumer} = await setup()
    expect(await consumer.fetchSubscribeQueues('T')).toHaveLength(2)
    let stored: string | undefined
    master.on(RequestCode.QUERY_CONSUMER_OFFSET, (req) =>
      stored === undefined ? newResponse(req, ResponseCode.QUERY_NOT_FOUND) : newResponse(req, 0, {extFields: {offset: stored}}),
    )
    master.on(RequestCode.UPDATE_CONSUMER_OFFSET, (req) => {
      stored = req.extFields!.commitOffset
      return newResponse(req, 0)
    })
    expect(await consumer.queryOffset(mq)).toBeUndefined()
    await consumer.commitOffset(mq, 42)
    expect(await consumer.queryOffset(mq)).toBe(42)
    await consumer.heartbeat()
    for (const broker of [master, slave]) {
      const hb = broker.requests.find((r) => r.code === RequestCode.HEART_BEAT)!
      const data = decodeHeartbeatData(hb.body)
      expect(data.clientID).toBe(consumer.clientId)
      expect(data.consumerDataSet[0]).toMatchObject({groupName: 'cg', consumeType: 'CONSUME_ACTIVELY', messageModel: 'CLUSTERING'})
      expect(data.consumerDataSet[0]!.subscriptionDataSet.map((s) => [s.topic, s.subString])).toEqual([['T', '*']])
    }
  })
})

describe('PullConsumer serializeType', () => {
  it('pulls with ROCKETMQ headers when asked (JSON otherwise), answered in kind', async () => {
    for (const serializeType of [undefined, 'ROCKETMQ'] as const) {
      const ns = await new FakeNamesrv().start()
      const master = await new FakeBroker('broker-a').start()
      const relay = await new TypeRecordingRelay(master.addr).start()
      ns.routes.set('T', routeOf([{name: 'broker-a', master: relay.addr}], 2))
      master.on(PULL, pullAnswer(ResponseCode.SUCCESS, {body: record(0, 'x')}))
      const consumer = new PullConsumer({namesrvAddr: ns.addr, consumerGroup: 'cg', serializeType})
      await consumer.start()
      cleanups.push(() => ns.stop(), () => master.stop(), () => relay.stop(), () => consumer.shutdown())
      const [mq] = await consumer.fetchSubscribeQueues('T')
      const result = await consumer.pull(mq!, 0, 32, {suspendTimeoutMillis: 0})
      expect(result.status).toBe('FOUND')
      const type = serializeType === 'ROCKETMQ' ? 1 : 0
      expect(relay.requestTypes.length).toBeGreaterThan(0)
      expect(new Set([...relay.requestTypes, ...relay.responseTypes])).toEqual(new Set([type]))
    }
  })
})
