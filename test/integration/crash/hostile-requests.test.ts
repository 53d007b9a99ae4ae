/**
 * Bad input on some connections while another connection keeps working (what
 * test/integration/broker/embedded-broker.test.ts does not cover: answers *during* the abuse, frame
 * length/JSON garbage, half frames, bad queue ids, negative and past-the-end pull offsets, pulls of
 * unknown topics, requests missing header fields). The broker answers or drops only the offending
 * connection; the steady connection sees no error and the process never restarts.
 */
import net from 'node:net'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {encodePullMessageRequestHeader, PullSysFlag} from '../../../src/protocol/headers/pull-message.js'
import {encodeSendMessageRequestHeaderV2} from '../../../src/protocol/headers/send-message.js'
import {newRequest, type RemotingCommand} from '../../../src/protocol/remoting-command.js'
import {RequestCode} from '../../../src/protocol/request-code.js'
import {ResponseCode} from '../../../src/protocol/response-code.js'
import {RemotingClient} from '../../../src/remoting/remoting-client.js'
import {CrashBroker} from '../../helpers/crash-broker.js'
import {alive} from '../../helpers/pids.js'

const TOPIC = 'Steady'
const broker = new CrashBroker({name: 'crash-hostile', flushDiskType: 'SYNC_FLUSH', extraConf: {autoCreateTopicEnable: false, maxMessageSize: 4096}})
const steady = new RemotingClient()
const bad = new RemotingClient()

beforeAll(async () => {
  await broker.start(TOPIC, 2)
})

afterAll(async () => {
  steady.close()
  bad.close()
  expect(await broker.teardown(), 'processes still alive after teardown').toEqual([])
})

function sendReq(topic: string, body: Buffer, queueId = 0): RemotingCommand {
  return newRequest(RequestCode.SEND_MESSAGE_V2, encodeSendMessageRequestHeaderV2({
    producerGroup: 'hostile', topic, defaultTopic: 'TBW102', defaultTopicQueueNums: 4, queueId, sysFlag: 0,
    bornTimestamp: Date.now(), flag: 0, properties: '',
  }), body)
}

function pullReq(topic: string, queueId: number, queueOffset: number): RemotingCommand {
  return newRequest(RequestCode.PULL_MESSAGE, encodePullMessageRequestHeader({
    consumerGroup: 'hostile', topic, queueId, queueOffset, maxMsgNums: 8, sysFlag: PullSysFlag.SUBSCRIPTION,
    commitOffset: 0, suspendTimeoutMillis: 0, subVersion: 0, subscription: '*', expressionType: 'TAG',
  }))
}

/** Writes raw bytes on a fresh socket; resolves true when the broker closes it, false if it stays open. */
function rawExchange(bytes: Buffer, opts: {endAfterWrite?: boolean; waitMs?: number} = {}): Promise<boolean> {
  const [host, port] = broker.addr.split(':')
  return new Promise((resolve) => {
    const sock = net.connect(Number(port), host!, () => {
      sock.write(bytes)
      if (opts.endAfterWrite) sock.end()
    })
    const timer = setTimeout(() => {
      sock.destroy()
      resolve(false)
    }, opts.waitMs ?? 3000)
    sock.on('close', () => {
      clearTimeout(timer)
      resolve(true)
    })
    sock.on('error', () => {})
  })
}

/** One header-only frame: [total][JSON-type header length][header bytes]. */
function jsonFrame(header: string): Buffer {
  const h = Buffer.from(header)
  const out = Buffer.alloc(8 + h.length)
  out.writeInt32BE(4 + h.length, 0)
  out.writeInt32BE(h.length, 4)
  h.copy(out, 8)
  return out
}

describe('hostile requests while another connection is served', () => {
  it('errors are answered or the offending connection dropped; the steady connection never fails', async () => {
    const pid = broker.pid!
    const addr = broker.addr
    let running = true
    const steadyErrors: string[] = []
    let steadyOk = 0
    const steadyLoop = (async () => {
      for (let i = 0; running; i++) {
        const s = await steady.invoke(addr, sendReq(TOPIC, Buffer.from(`steady ${i}`), i % 2), 5000).catch((e: Error) => e)
        if (s instanceof Error || s.code !== ResponseCode.SUCCESS) steadyErrors.push(`send ${i}: ${s instanceof Error ? s.message : s.code}`)
        else steadyOk++
        const p = await steady.invoke(addr, pullReq(TOPIC, i % 2, 0), 5000).catch((e: Error) => e)
        if (p instanceof Error || p.code !== ResponseCode.SUCCESS) steadyErrors.push(`pull ${i}: ${p instanceof Error ? p.message : p.code}`)
      }
    })()

    const answers = await Promise.all([
      bad.invoke(addr, sendReq('NoSuchTopic', Buffer.from('x')), 5000),
      bad.invoke(addr, sendReq('bad topic!', Buffer.from('x')), 5000),
      bad.invoke(addr, sendReq(TOPIC, Buffer.from('x'), 7), 5000),
      bad.invoke(addr, sendReq(TOPIC, Buffer.alloc(4097)), 5000),
      bad.invoke(addr, newRequest(RequestCode.SEND_MESSAGE_V2, {a: 'hostile'}, Buffer.from('no header fields')), 5000),
      bad.invoke(addr, pullReq('NoSuchTopic', 0, 0), 5000),
      bad.invoke(addr, pullReq(TOPIC, 9, 0), 5000),
      bad.invoke(addr, pullReq(TOPIC, 0, -5), 5000),
      bad.invoke(addr, pullReq(TOPIC, 0, 1_000_000_000), 5000),
      bad.invoke(addr, newRequest(RequestCode.PULL_MESSAGE, {}), 5000),
    ])
    const codes = answers.map((r) => r.code)
    expect(codes).toEqual([
      ResponseCode.TOPIC_NOT_EXIST, ResponseCode.INVALID_PARAMETER, ResponseCode.INVALID_PARAMETER, ResponseCode.MESSAGE_ILLEGAL,
      ResponseCode.SYSTEM_ERROR, ResponseCode.TOPIC_NOT_EXIST, ResponseCode.INVALID_PARAMETER, ResponseCode.PULL_OFFSET_MOVED,
      ResponseCode.PULL_OFFSET_MOVED, ResponseCode.SYSTEM_ERROR,
    ])
    console.log(answers.map((r) => `${r.code} ${r.remark ?? ""}`).join("\n"))
    // Errors name what was wrong, never a stack trace.
    for (const r of answers) expect(r.remark ?? '').not.toMatch(/\n\s+at /)

    const closed = await Promise.all([
      rawExchange(Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 4])), // length beyond the frame limit
      rawExchange(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')), // not our protocol at all
      rawExchange(jsonFrame('{{not json')), // framing fine, header garbage
      rawExchange(jsonFrame('{"code":10,"flag":0}').subarray(0, 9), {endAfterWrite: true}), // half a frame, then EOF
    ])
    expect(closed).toEqual([true, true, true, true])

    running = false
    await steadyLoop
    expect(steadyErrors).toEqual([])
    expect(steadyOk).toBeGreaterThan(0)
    expect(alive(pid)).toBe(true)
    expect(broker.pid).toBe(pid)
    // The abusive connection itself still works for a good request afterwards.
    expect((await bad.invoke(addr, sendReq(TOPIC, Buffer.from('good after bad')), 5000)).code).toBe(ResponseCode.SUCCESS)
  })
})
