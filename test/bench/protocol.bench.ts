/**
 * Frame codec throughput: encode + decode of a SEND_MESSAGE_V2 request as a Java producer sends it
 * (1 KiB body, 14 short-name extFields incl. a properties string), per header type.
 */
import {encodeSendMessageRequestHeaderV2} from '../../src/protocol/headers/send-message.js'
import {decodeFrame, encodeFrame, SerializeType} from '../../src/protocol/frame.js'
import {newRequest, type RemotingCommand} from '../../src/protocol/remoting-command.js'
import {RequestCode} from '../../src/protocol/request-code.js'
import {type Bench, type BenchResult, opsPerSecond} from './bench.js'

const BODY_BYTES = 1024
const ROUNDS = 7

function sendRequest(): RemotingCommand {
  const ext = encodeSendMessageRequestHeaderV2({
    producerGroup: 'mqbench-producer-0',
    topic: 'mqbench-topic-sync-flush',
    defaultTopic: 'TBW102',
    defaultTopicQueueNums: 4,
    queueId: 3,
    sysFlag: 0,
    bornTimestamp: 1_726_000_000_123,
    flag: 0,
    properties: 'UNIQ_KEY\u00017F0000010C6A18B4AAC2590E4F2D0000\u0002WAIT\u0001true\u0002TAGS\u0001TagA\u0002KEYS\u0001run-1:p0:42\u0002',
    reconsumeTimes: 0,
    unitMode: false,
    batch: false,
    bname: 'broker-a',
  })
  const cmd = newRequest(RequestCode.SEND_MESSAGE_V2, ext, Buffer.alloc(BODY_BYTES, 0x61))
  cmd.opaque = 123456
  return cmd
}

async function roundTrip(serializeType: 0 | 1): Promise<BenchResult> {
  const cmd = sendRequest()
  let sink = 0
  const op = (): void => {
    cmd.opaque = (cmd.opaque + 1) | 0
    const decoded = decodeFrame(encodeFrame(cmd, serializeType))
    sink += decoded.opaque
  }
  await opsPerSecond(op, 300, 10_000) // warm-up so the JIT has settled
  // Best of several short rounds: on a shared 2-core machine a single long round mostly measures
  // the neighbours; the median is reported alongside.
  const rounds: number[] = []
  for (let i = 0; i < ROUNDS; i++) rounds.push(await opsPerSecond(op, 400, 1000))
  if (sink === 0) throw new Error('round trip produced nothing')
  rounds.sort((x, y) => x - y)
  return {
    value: rounds[rounds.length - 1]!,
    unit: 'ops/s',
    medianOpsPerSecond: rounds[Math.floor(rounds.length / 2)]!,
    rounds: ROUNDS,
    bodyBytes: BODY_BYTES,
    extFields: Object.keys(cmd.extFields!).length,
    frameBytes: encodeFrame(cmd, serializeType).length,
  }
}

export const benches: Bench[] = [
  {name: 'protocol.frame_roundtrip', run: () => roundTrip(SerializeType.JSON)},
  {name: 'protocol.frame_roundtrip_rocketmq_header', run: () => roundTrip(SerializeType.ROCKETMQ)},
]

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const bench of benches) console.log(JSON.stringify({bench: bench.name, ...(await bench.run())}))
}
