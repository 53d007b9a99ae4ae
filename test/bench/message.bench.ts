/**
 * Stored-message record codec: encoding is on the broker's append path (one per message), decoding on
 * every consumer's. 1 KiB bodies with a realistic property string, like mqbench's own messages.
 */
import {decodeMessageExt, encodeProperties, measureRecord, writeMessageRecord, type MessageRecordInput} from '../../src/protocol/message/index.js'
import {opsPerSecond, type Bench} from './bench.js'

function sampleInput(): MessageRecordInput {
  return {
    topic: 'mqbench', queueId: 3, flag: 0, queueOffset: 123_456, commitLogOffset: 987_654_321, sysFlag: 0,
    bornTimestamp: Date.now(), bornHost: '127.0.0.1:54321', storeTimestamp: Date.now(), storeHost: '127.0.0.1:10911',
    reconsumeTimes: 0, preparedTransactionOffset: 0, body: Buffer.alloc(1024, 7),
    properties: encodeProperties({
      UNIQ_KEY: '7F00000112340A0B0C0D05F5E1000001', KEYS: '0:123456', WAIT: 'true', MQB_RUN: 'run-20261125', MQB_PID: '0',
      MQB_SEQ: '123456', MQB_CRC: '3735928559', MQB_T: '1764050000000.25', CLUSTER: 'MqbenchCluster',
    }),
  }
}

export const benches: Bench[] = [
  {
    name: 'protocol.message_encode',
    run: async () => {
      const input = sampleInput()
      const target = Buffer.allocUnsafe(4 * 1024 * 1024)
      let pos = 0
      const value = await opsPerSecond(() => {
        const measured = measureRecord(input)
        if (pos + measured.size > target.length) pos = 0
        pos += writeMessageRecord(target, pos, input, measured)
      })
      return {value, unit: 'ops/s', bodyBytes: 1024, into: 'preallocated buffer (the CommitLog write path)'}
    },
  },
  {
    name: 'protocol.message_decode',
    run: async () => {
      const input = sampleInput()
      const target = Buffer.allocUnsafe(2048)
      writeMessageRecord(target, 0, input)
      const value = await opsPerSecond(() => {
        decodeMessageExt(target, 0)
      })
      return {value, unit: 'ops/s', bodyBytes: 1024, checkCrc: true}
    },
  },
]
