/**
 * Issue 19 item 3: a client that pipelines PULL requests and never reads its replies used to drive
 * the broker from 10 MB to 1.5 GB RSS in 4 s. Each connection is now bounded (unsent reply bytes,
 * requests in flight): the broker stops reading that socket instead. The flood runs for a fixed 4 s
 * and its own unsent bytes are capped, so the test is bounded in time and size. An idle connection
 * is closed after serverChannelMaxIdleTimeSeconds.
 */
import {readFileSync} from 'node:fs'
import net from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {Producer} from '../../../src/client/producer.js'
import {PullConsumer} from '../../../src/client/pull-consumer.js'
import {encodeFrame} from '../../../src/protocol/frame.js'
import {encodePullMessageRequestHeader, PullSysFlag} from '../../../src/protocol/headers/pull-message.js'
import {newRequest} from '../../../src/protocol/remoting-command.js'
import {RequestCode} from '../../../src/protocol/request-code.js'
import {CrashBroker} from '../../helpers/crash-broker.js'

const TOPIC = 'Flood'
const BODY = 4096
const FLOOD_MS = 4000
/** Unbounded, the broker passed 1.5 GB within the flood; bounded, it holds a few MiB per connection. */
const RSS_GROWTH_LIMIT_BYTES = 192 * 1024 * 1024
const broker = new CrashBroker({name: 'backpressure', flushDiskType: 'ASYNC_FLUSH', extraConf: {serverChannelMaxIdleTimeSeconds: 2}})
let producer: Producer

beforeAll(async () => {
  await broker.start(TOPIC, 1)
  producer = new Producer({namesrvAddr: broker.namesrvAddr, producerGroup: 'bp-p', maxInFlight: 64})
  await producer.start()
  const body = Buffer.alloc(BODY, 0x61)
  const mq = {topic: TOPIC, brokerName: 'broker-a', queueId: 0}
  await Promise.all(Array.from({length: 400}, () => producer.send({topic: TOPIC, body}, {queue: mq})))
})

afterAll(async () => {
  await producer?.shutdown()
  expect(await broker.teardown(), 'processes still alive after teardown').toEqual([])
})

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return Number(m![1]) * 1024
}

function connect(): Promise<net.Socket> {
  const [host, port] = broker.addr.split(':')
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(port), host!, () => resolve(sock))
    sock.once('error', reject)
  })
}

describe('per-connection backpressure', () => {
  it('RSS stays bounded while a client floods PULLs and never reads; the broker serves others afterwards', async () => {
    const pid = broker.pid!
    const before = rssBytes(pid)
    const pull = encodeFrame(newRequest(RequestCode.PULL_MESSAGE, encodePullMessageRequestHeader({
      consumerGroup: 'bp-c', topic: TOPIC, queueId: 0, queueOffset: 0, maxMsgNums: 32, sysFlag: PullSysFlag.SUBSCRIPTION,
      commitOffset: 0, suspendTimeoutMillis: 0, subVersion: 0, subscription: '*', expressionType: 'TAG',
    })), 0)
    const batch = Buffer.concat(Array.from({length: 256}, () => pull))
    const sock = await connect()
    sock.pause()
    sock.on('error', () => undefined)
    let maxRss = before
    let sent = 0
    const end = Date.now() + FLOOD_MS
    while (Date.now() < end) {
      // Our own unsent bytes stay under 4 MiB: the flood is bounded on this side too.
      if (sock.writableLength < 4 * 1024 * 1024) {
        sock.write(batch)
        sent += 256
      }
      await new Promise((r) => setTimeout(r, 5))
      maxRss = Math.max(maxRss, rssBytes(pid))
    }
    console.log(`flood: ${sent} PULLs written, broker RSS ${Math.round(before / 2 ** 20)} → max ${Math.round(maxRss / 2 ** 20)} MiB`)
    sock.destroy()
    expect(sent).toBeGreaterThan(1000)
    expect(maxRss - before).toBeLessThan(RSS_GROWTH_LIMIT_BYTES)
    const consumer = new PullConsumer({namesrvAddr: broker.namesrvAddr, consumerGroup: 'bp-normal'})
    await consumer.start()
    try {
      const got = await consumer.pull({topic: TOPIC, brokerName: 'broker-a', queueId: 0}, 0, 8, {suspendTimeoutMillis: 0})
      expect(got.messages).toHaveLength(8)
    } finally {
      await consumer.shutdown()
    }
  })

  it('an idle connection is closed after serverChannelMaxIdleTimeSeconds', async () => {
    const sock = await connect()
    sock.on('error', () => undefined)
    const closed = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 15_000)
      sock.on('close', () => {
        clearTimeout(timer)
        resolve(true)
      })
    })
    sock.destroy()
    expect(closed).toBe(true)
  })
})
