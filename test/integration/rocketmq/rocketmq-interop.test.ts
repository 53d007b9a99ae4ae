/**
 * The interop suite (test/helpers/interop-suite.ts) against a real Apache RocketMQ 5.3.3 namesrv +
 * ASYNC_MASTER broker, plus raw frames from that broker checked against our decoders. With
 * MQBENCH_CAPTURE_FRAMES=1 the frames are also written to test/fixtures/frames/ as golden fixtures.
 * Skips loudly where java (or the installed jars and mvn) is missing.
 */
import {expect, it} from 'vitest'
import {Admin} from '../../../src/client/index.js'
import {DEFAULT_ROCKETMQ_VERSION, RocketMQCluster} from '../../../src/cluster/rocketmq-cluster.js'
import {decodeTopicRouteData} from '../../../src/protocol/bodies/topic-route-data.js'
import {decodeFrame} from '../../../src/protocol/frame.js'
import {decodeOffsetResponseHeader, encodeGetMaxOffsetRequestHeader} from '../../../src/protocol/headers/consumer-offset.js'
import {encodeGetRouteInfoRequestHeader} from '../../../src/protocol/headers/namesrv.js'
import {decodePullMessageResponseHeader, encodePullMessageRequestHeader, PullSysFlag} from '../../../src/protocol/headers/pull-message.js'
import {decodeSendMessageResponseHeader, encodeSendMessageRequestHeaderV2} from '../../../src/protocol/headers/send-message.js'
import {decodeMessages} from '../../../src/protocol/message/message-decoder.js'
import {encodeProperties} from '../../../src/protocol/message/properties.js'
import {newRequest, type RemotingCommand} from '../../../src/protocol/remoting-command.js'
import {RequestCode} from '../../../src/protocol/request-code.js'
import {ResponseCode} from '../../../src/protocol/response-code.js'
import {captureRequested, exchangeFrame, toFixture, writeFixture} from '../../helpers/interop-frames.js'
import {defineInteropSuite} from '../../helpers/interop-suite.js'
import {describeRocketMQ} from '../../helpers/rocketmq.js'

const VERSION = DEFAULT_ROCKETMQ_VERSION
const GOLDEN_TOPIC = 'mqbench_golden'
const SOURCE = `captured from Apache RocketMQ ${VERSION} (namesrv + ASYNC_MASTER broker on loopback) by test/integration/rocketmq/rocketmq-interop.test.ts`

function sendRequest(): RemotingCommand {
  const properties = encodeProperties({KEYS: 'golden-key', TAGS: 'TagA', UNIQ_KEY: '7F000001000012345678000000000001', WAIT: 'true', golden: 'héllo'})
  return newRequest(RequestCode.SEND_MESSAGE_V2, encodeSendMessageRequestHeaderV2({
    producerGroup: 'golden_p', topic: GOLDEN_TOPIC, defaultTopic: 'TBW102', defaultTopicQueueNums: 4, queueId: 0, sysFlag: 0,
    bornTimestamp: 1_700_000_000_000, flag: 0, properties, reconsumeTimes: 0, unitMode: false, bname: 'broker-a',
  }), Buffer.from('golden body'))
}

function pullRequest(queueOffset: number): RemotingCommand {
  return newRequest(RequestCode.PULL_MESSAGE, encodePullMessageRequestHeader({
    consumerGroup: 'golden_c', topic: GOLDEN_TOPIC, queueId: 0, queueOffset, maxMsgNums: 1, sysFlag: PullSysFlag.SUBSCRIPTION,
    commitOffset: 0, suspendTimeoutMillis: 0, subscription: '*', subVersion: 0, expressionType: 'TAG', bname: 'broker-a',
  }))
}

describeRocketMQ('interop suite', () => {
  const context = defineInteropSuite({
    label: 'rocketmq',
    makeCluster: (runDir) => new RocketMQCluster({
      runDir,
      version: VERSION,
      brokers: [{brokerName: 'broker-a', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: 'ASYNC_FLUSH'}],
    }),
  })

  it('raw frames from the real broker and namesrv decode with our codecs (both header types)', async () => {
    const ctx = context()
    const admin = new Admin({remoting: ctx.remoting[0]})
    await admin.createTopic({topic: GOLDEN_TOPIC, queueNums: 1, brokerAddr: ctx.masterAddr})
    const captured: Array<{file: string; name: string; frame: Buffer}> = []
    const capture = async (file: string, name: string, addr: string, req: RemotingCommand, type: 0 | 1) => {
      const frame = await exchangeFrame(addr, req, type)
      captured.push({file, name, frame})
      const cmd = decodeFrame(frame)
      expect(cmd.flag & 1, `${name} is a response`).toBe(1)
      expect(cmd.language).toBe('JAVA')
      return cmd
    }

    for (const [type, label] of [[0, 'json'], [1, 'rocketmq']] as const) {
      const send = await capture(`real-${VERSION}-send-response-${label}.json`, `SEND_MESSAGE_V2 response, ${label.toUpperCase()} header`, ctx.masterAddr, sendRequest(), type)
      expect(send.code).toBe(ResponseCode.SUCCESS)
      const sendHeader = decodeSendMessageResponseHeader(send.extFields)
      expect(sendHeader.queueId).toBe(0)
      expect(sendHeader.queueOffset).toBe(type)
    }

    const pull = await capture(`real-${VERSION}-pull-response-rocketmq.json`, 'PULL_MESSAGE response with one message, ROCKETMQ header', ctx.masterAddr, pullRequest(0), 1)
    expect(pull.code).toBe(ResponseCode.SUCCESS)
    expect(decodePullMessageResponseHeader(pull.extFields)).toMatchObject({nextBeginOffset: 1, minOffset: 0, maxOffset: 2})
    const [stored, ...rest] = decodeMessages(pull.body!)
    expect(rest).toEqual([])
    expect(stored!.body.toString()).toBe('golden body')
    expect(stored!.properties).toMatchObject({KEYS: 'golden-key', TAGS: 'TagA', golden: 'héllo'})

    const notFound = await capture(`real-${VERSION}-pull-not-found-json.json`, 'PULL_MESSAGE response at maxOffset (PULL_NOT_FOUND), JSON header', ctx.masterAddr, pullRequest(2), 0)
    expect(notFound.code).toBe(ResponseCode.PULL_NOT_FOUND)
    expect(decodePullMessageResponseHeader(notFound.extFields)).toMatchObject({nextBeginOffset: 2, maxOffset: 2})

    const maxOffset = await capture(`real-${VERSION}-get-max-offset-response-rocketmq.json`, 'GET_MAX_OFFSET response, ROCKETMQ header', ctx.masterAddr,
      newRequest(RequestCode.GET_MAX_OFFSET, encodeGetMaxOffsetRequestHeader({topic: GOLDEN_TOPIC, queueId: 0})), 1)
    expect(decodeOffsetResponseHeader(maxOffset.extFields).offset).toBe(2)

    const route = await capture(`real-${VERSION}-get-routeinfo-response-json.json`, 'GET_ROUTEINFO_BY_TOPIC response (standard JSON body), JSON header', ctx.cluster.namesrvAddr,
      newRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, encodeGetRouteInfoRequestHeader({topic: ctx.topic, acceptStandardJsonOnly: true})), 0)
    expect(route.code).toBe(ResponseCode.SUCCESS)
    const routeData = decodeTopicRouteData(route.body)
    expect(routeData.brokerDatas.map((b) => b.brokerAddrs)).toEqual([{0: ctx.masterAddr}])
    expect(routeData.queueDatas).toMatchObject([{brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 4}])

    const missing = await capture(`real-${VERSION}-get-routeinfo-topic-not-exist-rocketmq.json`, 'GET_ROUTEINFO_BY_TOPIC of an unknown topic (TOPIC_NOT_EXIST with remark), ROCKETMQ header',
      ctx.cluster.namesrvAddr, newRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, encodeGetRouteInfoRequestHeader({topic: 'mqbench_no_such_topic', acceptStandardJsonOnly: true})), 1)
    expect(missing.code).toBe(ResponseCode.TOPIC_NOT_EXIST)
    expect(missing.remark).toContain('mqbench_no_such_topic')

    const summary = captured.map(({file, name, frame}) => {
      const fixture = toFixture(name, SOURCE, frame)
      if (captureRequested()) writeFixture(file, fixture)
      return `${file}${fixture.decodeOnly ? ' (decodeOnly)' : ''}`
    })
    console.log(`[rocketmq interop] ${captureRequested() ? 'wrote' : 'checked'} ${summary.length} live frames: ${summary.join(', ')}`)
  }, 60_000)
}, VERSION)
