/**
 * The embedded namesrv and brokers as real processes (EmbeddedCluster over dist/): produce and pull
 * through the client, long polling, error answers that leave the broker serving, and kill -9 +
 * restart. Needs a built dist/ (built here once if missing).
 */
import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import net from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {Producer} from '../../../src/client/producer.js'
import {PullConsumer} from '../../../src/client/pull-consumer.js'
import {EmbeddedCluster} from '../../../src/cluster/embedded-cluster.js'
import {encodePullMessageRequestHeader, PullSysFlag} from '../../../src/protocol/headers/pull-message.js'
import {encodeSendMessageRequestHeaderV2} from '../../../src/protocol/headers/send-message.js'
import {decodeMessages} from '../../../src/protocol/message/message-decoder.js'
import {newRequest} from '../../../src/protocol/remoting-command.js'
import {RequestCode} from '../../../src/protocol/request-code.js'
import {ResponseCode} from '../../../src/protocol/response-code.js'
import {RemotingClient} from '../../../src/remoting/remoting-client.js'
import {alive} from '../../helpers/pids.js'

const repo = join(import.meta.dirname, '..', '..', '..')
const runDir = mkdtempSync(join(tmpdir(), 'mqbench-embedded-'))
const cluster = new EmbeddedCluster({
  runDir,
  brokers: [
    {brokerName: 'broker-a', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: 'ASYNC_FLUSH', extraConf: {maxMessageSize: 4096}},
    {brokerName: 'broker-b', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: 'SYNC_FLUSH', extraConf: {autoCreateTopicEnable: false}},
  ],
})
const raw = new RemotingClient()
const seenPids = new Set<number>()
let producer: Producer
let consumer: PullConsumer

function addrOf(node: string): string {
  return cluster.nodes().find((n) => n.name === node)!.addr
}

function sendReq(topic: string, body: Buffer, queueId = 0) {
  return newRequest(RequestCode.SEND_MESSAGE_V2, encodeSendMessageRequestHeaderV2({
    producerGroup: 'raw', topic, defaultTopic: 'TBW102', defaultTopicQueueNums: 4, queueId, sysFlag: 0,
    bornTimestamp: Date.now(), flag: 0, properties: '',
  }), body)
}

function pullReq(topic: string, queueOffset: number, sysFlag: number, suspendTimeoutMillis = 0) {
  return newRequest(RequestCode.PULL_MESSAGE, encodePullMessageRequestHeader({
    consumerGroup: 'g-raw', topic, queueId: 0, queueOffset, maxMsgNums: 32, sysFlag: sysFlag | PullSysFlag.SUBSCRIPTION,
    commitOffset: 0, suspendTimeoutMillis, subVersion: 0, subscription: '*', expressionType: 'TAG',
  }))
}

beforeAll(async () => {
  if (!existsSync(join(repo, 'dist/src/broker/main.js'))) {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], {cwd: repo, stdio: 'ignore'})
  }
  const t0 = performance.now()
  await cluster.start()
  console.log(`embedded cluster (namesrv + 2 brokers) ready in ${Math.round(performance.now() - t0)} ms`)
  for (const n of cluster.nodes()) seenPids.add(n.pid!)
  producer = new Producer({namesrvAddr: cluster.namesrvAddr, producerGroup: 'it-p'})
  consumer = new PullConsumer({namesrvAddr: cluster.namesrvAddr, consumerGroup: 'it-c'})
  await producer.start()
  await consumer.start()
})

afterAll(async () => {
  await producer?.shutdown()
  await consumer?.shutdown()
  raw.close()
  await cluster.stop()
  for (const pid of seenPids) expect(alive(pid), `pid ${pid} still alive`).toBe(false)
  rmSync(runDir, {recursive: true, force: true})
})

describe('embedded broker processes', () => {
  it('every node runs as its own process', () => {
    const nodes = cluster.nodes()
    expect(nodes.map((n) => n.name).sort()).toEqual(['broker-a-0', 'broker-b-0', 'namesrv'])
    for (const n of nodes) expect(alive(n.pid!)).toBe(true)
  })

  it('a message sent through the Producer comes back through the PullConsumer', async () => {
    // Unknown topic: the producer borrows TBW102's route, which only broker-a (autoCreate on) has.
    const sent = await producer.send({topic: 'IT', body: Buffer.from('hello embedded'), tags: 'A'})
    expect(sent.status).toBe('SEND_OK')
    expect(sent.queue.brokerName).toBe('broker-a')
    const res = await consumer.pull(sent.queue, sent.queueOffset, 32, {suspendTimeoutMillis: 0})
    expect(res.status).toBe('FOUND')
    expect(res.messages[0]!.body.toString()).toBe('hello embedded')
    expect(res.messages[0]!.properties.UNIQ_KEY).toBe(sent.msgId)
    expect(res.messages[0]!.storeHost).toBe(addrOf('broker-a-0'))
  })

  it('SYNC_FLUSH broker answers SEND_OK for an existing topic', async () => {
    const addr = addrOf('broker-b-0')
    const create = await raw.invoke(addr, newRequest(RequestCode.UPDATE_AND_CREATE_TOPIC, {
      topic: 'ITB', defaultTopic: 'TBW102', readQueueNums: '1', writeQueueNums: '1', perm: '6', topicFilterType: 'SINGLE_TAG', order: 'false',
    }), 5000)
    expect(create.code).toBe(ResponseCode.SUCCESS)
    expect((await raw.invoke(addr, sendReq('ITB', Buffer.from('x')), 5000)).code).toBe(ResponseCode.SUCCESS)
  })

  it('long polling: a suspended pull is answered FOUND when a message arrives', async () => {
    const addr = addrOf('broker-a-0')
    expect((await raw.invoke(addr, sendReq('LP', Buffer.from('first')), 5000)).code).toBe(ResponseCode.SUCCESS)
    const pending = raw.invoke(addr, pullReq('LP', 1, PullSysFlag.SUSPEND, 20_000), 30_000)
    await new Promise((r) => setTimeout(r, 300))
    expect((await raw.invoke(addr, sendReq('LP', Buffer.from('second')), 5000)).code).toBe(ResponseCode.SUCCESS)
    const res = await pending
    expect(res.code).toBe(ResponseCode.SUCCESS)
    expect(decodeMessages(res.body!).map((m) => m.body.toString())).toEqual(['second'])
  })

  it('error answers: oversize body, unknown topic with autoCreate off, bad offset, unknown code', async () => {
    const a = addrOf('broker-a-0')
    const big = await raw.invoke(a, sendReq('IT', Buffer.alloc(4097)), 5000)
    expect(big.code).toBe(ResponseCode.MESSAGE_ILLEGAL)
    const unknown = await raw.invoke(addrOf('broker-b-0'), sendReq('NOPE', Buffer.from('x')), 5000)
    expect(unknown.code).toBe(ResponseCode.TOPIC_NOT_EXIST)
    const moved = await raw.invoke(a, pullReq('IT', 1_000_000, 0), 5000)
    expect(moved.code).toBe(ResponseCode.PULL_OFFSET_MOVED)
    const unsupported = await raw.invoke(a, newRequest(12345), 5000)
    expect(unsupported.code).toBe(ResponseCode.REQUEST_CODE_NOT_SUPPORTED)
  })

  it('a malformed frame closes only that connection; the broker keeps serving', async () => {
    const [host, port] = addrOf('broker-a-0').split(':')
    const closed = await new Promise<boolean>((resolve) => {
      const sock = net.connect(Number(port), host!, () => {
        // totalLength 12, headerInfo claims a 1 MiB JSON header: impossible, must be rejected.
        sock.write(Buffer.from([0, 0, 0, 12, 0, 0x10, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]))
      })
      sock.on('close', () => resolve(true))
      sock.on('error', () => {})
      setTimeout(() => { sock.destroy(); resolve(false) }, 5000)
    })
    expect(closed).toBe(true)
    expect((await raw.invoke(addrOf('broker-a-0'), sendReq('IT', Buffer.from('still here')), 5000)).code).toBe(ResponseCode.SUCCESS)
  })

  it('kill -9 leaves no process; restart recovers the stored messages', async () => {
    const before = cluster.nodes().find((n) => n.name === 'broker-a-0')!
    await cluster.kill('broker-a-0')
    expect(alive(before.pid!)).toBe(false)
    expect(cluster.nodes().find((n) => n.name === 'broker-a-0')!.pid).toBeUndefined()
    await cluster.restart('broker-a-0')
    const after = cluster.nodes().find((n) => n.name === 'broker-a-0')!
    seenPids.add(after.pid!)
    expect(after.pid).not.toBe(before.pid)
    const res = await raw.invoke(after.addr, pullReq('LP', 0, 0), 5000)
    expect(res.code).toBe(ResponseCode.SUCCESS)
    expect(decodeMessages(res.body!).map((m) => m.body.toString())).toEqual(['first', 'second'])
  })
})
