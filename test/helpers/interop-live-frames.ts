/**
 * Raw frames from a real broker and namesrv, checked with our decoders on every run and written to
 * test/fixtures/frames/ as golden fixtures when MQBENCH_CAPTURE_FRAMES=1. Requests go out in both
 * header types; a 5.x peer answers in its own configured type, which names the fixture file.
 */
import {expect, it} from 'vitest'
import {Admin} from '../../src/client/index.js'
import {decodeTopicRouteData} from '../../src/protocol/bodies/topic-route-data.js'
import {decodeFrame} from '../../src/protocol/frame.js'
import {decodeOffsetResponseHeader, encodeGetMaxOffsetRequestHeader} from '../../src/protocol/headers/consumer-offset.js'
import {encodeGetRouteInfoRequestHeader} from '../../src/protocol/headers/namesrv.js'
import {decodePullMessageResponseHeader, encodePullMessageRequestHeader, PullSysFlag} from '../../src/protocol/headers/pull-message.js'
import {decodeSendMessageResponseHeader, encodeSendMessageRequestHeaderV2} from '../../src/protocol/headers/send-message.js'
import {decodeMessages} from '../../src/protocol/message/message-decoder.js'
import {encodeProperties} from '../../src/protocol/message/properties.js'
import {newRequest, type RemotingCommand} from '../../src/protocol/remoting-command.js'
import {RequestCode} from '../../src/protocol/request-code.js'
import {ResponseCode} from '../../src/protocol/response-code.js'
import {captureRequested, exchangeFrame, headerTypeName, toFixture, writeFixture} from './interop-frames.js'
import type {InteropContext} from './interop-suite.js'

const GOLDEN_TOPIC = 'mqbench_golden'
const TYPE_NAMES = ['json', 'rocketmq'] as const

function sendRequest(brokerName: string): RemotingCommand {
  const properties = encodeProperties({KEYS: 'golden-key', TAGS: 'TagA', UNIQ_KEY: '7F000001000012345678000000000001', WAIT: 'true', golden: 'héllo'})
  return newRequest(RequestCode.SEND_MESSAGE_V2, encodeSendMessageRequestHeaderV2({
    producerGroup: 'golden_p', topic: GOLDEN_TOPIC, defaultTopic: 'TBW102', defaultTopicQueueNums: 4, queueId: 0, sysFlag: 0,
    bornTimestamp: 1_700_000_000_000, flag: 0, properties, reconsumeTimes: 0, unitMode: false, bname: brokerName,
  }), Buffer.from('golden body'))
}

function pullRequest(brokerName: string, queueOffset: number): RemotingCommand {
  return newRequest(RequestCode.PULL_MESSAGE, encodePullMessageRequestHeader({
    consumerGroup: 'golden_c', topic: GOLDEN_TOPIC, queueId: 0, queueOffset, maxMsgNums: 1, sysFlag: PullSysFlag.SUBSCRIPTION,
    commitOffset: 0, suspendTimeoutMillis: 0, subscription: '*', subVersion: 0, expressionType: 'TAG', bname: brokerName,
  }))
}

function routeRequest(topic: string): RemotingCommand {
  return newRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, encodeGetRouteInfoRequestHeader({topic, acceptStandardJsonOnly: true}))
}

/** Registers one test; `prefix` starts every fixture file name, e.g. 'java533-broker'. */
export function defineLiveFramesTest(context: () => InteropContext, opts: {version: string; prefix: string; description: string}): void {
  const source = `captured from Apache RocketMQ ${opts.version} (${opts.description}) by the real-RocketMQ interop suite with MQBENCH_CAPTURE_FRAMES=1`
  it('raw frames from the real broker and namesrv decode with our codecs', async () => {
    const ctx = context()
    const {brokerName, masterAddr} = ctx
    const namesrv = ctx.cluster.namesrvAddr
    await new Admin({remoting: ctx.remoting[0]}).createTopic({topic: GOLDEN_TOPIC, queueNums: 1, brokerAddr: masterAddr})
    const captured: Array<{file: string; name: string; frame: Buffer}> = []
    const capture = async (what: string, title: string, addr: string, req: RemotingCommand, type: 0 | 1) => {
      const frame = await exchangeFrame(addr, req, type)
      const answered = headerTypeName(frame)
      const asked = TYPE_NAMES[type]
      const file = `${opts.prefix}-${what}-${answered}${answered === asked ? '' : `-to-${asked}-request`}.json`
      captured.push({file, name: `${title} (${asked.toUpperCase()} request, ${answered.toUpperCase()} response)`, frame})
      const cmd = decodeFrame(frame)
      expect(cmd.flag & 1, `${title} is a response`).toBe(1)
      expect(cmd.language).toBe('JAVA')
      return cmd
    }

    for (const type of [0, 1] as const) {
      const send = await capture('send-response', 'SEND_MESSAGE_V2 response', masterAddr, sendRequest(brokerName), type)
      expect(send.code).toBe(ResponseCode.SUCCESS)
      expect(decodeSendMessageResponseHeader(send.extFields)).toMatchObject({queueId: 0, queueOffset: type})
    }
    // A real broker may answer SEND_OK before its dispatcher made the message pullable (seen on 4.9.7 in CI):
    // wait for both messages to be dispatched before capturing the pull.
    await waitUntilPullable(masterAddr, brokerName)
    const pull = await capture('pull-response', 'PULL_MESSAGE response holding one message', masterAddr, pullRequest(brokerName, 0), 1)
    expect(pull.code).toBe(ResponseCode.SUCCESS)
    expect(decodePullMessageResponseHeader(pull.extFields)).toMatchObject({nextBeginOffset: 1, minOffset: 0, maxOffset: 2})
    const [stored, ...rest] = decodeMessages(pull.body!)
    expect(rest).toEqual([])
    expect(stored!.body.toString()).toBe('golden body')
    expect(stored!.properties).toMatchObject({KEYS: 'golden-key', TAGS: 'TagA', golden: 'héllo'})

    const notFound = await capture('pull-not-found', 'PULL_MESSAGE response at maxOffset (PULL_NOT_FOUND)', masterAddr, pullRequest(brokerName, 2), 0)
    expect(notFound.code).toBe(ResponseCode.PULL_NOT_FOUND)
    expect(decodePullMessageResponseHeader(notFound.extFields)).toMatchObject({nextBeginOffset: 2, maxOffset: 2})

    const maxOffset = await capture('get-max-offset-response', 'GET_MAX_OFFSET response', masterAddr,
      newRequest(RequestCode.GET_MAX_OFFSET, encodeGetMaxOffsetRequestHeader({topic: GOLDEN_TOPIC, queueId: 0})), 1)
    expect(decodeOffsetResponseHeader(maxOffset.extFields).offset).toBe(2)

    const route = await capture('routeinfo-response', 'GET_ROUTEINFO_BY_TOPIC response with a standard-JSON body', namesrv, routeRequest(ctx.topic), 0)
    expect(route.code).toBe(ResponseCode.SUCCESS)
    const routeData = decodeTopicRouteData(route.body)
    expect(routeData.brokerDatas.map((b) => b.brokerAddrs)).toEqual([{0: masterAddr}])
    expect(routeData.queueDatas).toMatchObject([{brokerName, readQueueNums: 4, writeQueueNums: 4}])

    const missing = await capture('routeinfo-topic-not-exist', 'GET_ROUTEINFO_BY_TOPIC of an unknown topic (TOPIC_NOT_EXIST)', namesrv, routeRequest('mqbench_no_such_topic'), 1)
    expect(missing.code).toBe(ResponseCode.TOPIC_NOT_EXIST)
    expect(missing.remark).toContain('mqbench_no_such_topic')

    const summary = captured.map(({file, name, frame}) => {
      const fixture = toFixture(name, source, frame)
      if (captureRequested()) writeFixture(file, fixture)
      return `${file}${fixture.decodeOnly ? ' (decodeOnly: our encoder differs)' : ''}`
    })
    console.log(`[rocketmq interop] ${captureRequested() ? 'wrote' : 'checked'} ${summary.length} live frames: ${summary.join(', ')}`)
  }, 60_000)
}

async function waitUntilPullable(masterAddr: string, brokerName: string): Promise<void> {
  const deadline = Date.now() + 10_000
  while (decodeFrame(await exchangeFrame(masterAddr, pullRequest(brokerName, 0), 1)).code !== ResponseCode.SUCCESS) {
    if (Date.now() > deadline) throw new Error(`${GOLDEN_TOPIC} queue 0 was not pullable within 10 s of SEND_OK`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
