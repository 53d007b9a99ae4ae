/**
 * Property tests for the remoting codec. Set FC_SEED to replay a run; the seed is printed.
 */
import fc from 'fast-check'
import {afterEach, describe, expect, it, vi} from 'vitest'
import {decodeFrame, encodeFrame, FrameDecoder} from '../../../src/protocol/frame.js'
import {languageName} from '../../../src/protocol/header-rocketmq.js'
import {
  decodePullMessageRequestHeader, encodePullMessageRequestHeader, type PullMessageRequestHeader,
} from '../../../src/protocol/headers/pull-message.js'
import {
  decodeSendMessageRequestHeader, encodeSendMessageRequestHeader, encodeSendMessageRequestHeaderV2,
  type SendMessageRequestHeader,
} from '../../../src/protocol/headers/send-message.js'
import * as bodies from '../../../src/protocol/bodies/index.js'
import * as headers from '../../../src/protocol/headers/index.js'
import {ProtocolError} from '../../../src/protocol/protocol-error.js'
import type {RemotingCommand} from '../../../src/protocol/remoting-command.js'

const seed = process.env.FC_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FC_SEED)
console.log('seed', seed)

const int32 = fc.integer({min: -(2 ** 31), max: 2 ** 31 - 1})
const int16 = fc.integer({min: -32768, max: 32767})
const text = fc.string({unit: 'binary', maxLength: 40})
const nonEmptyText = fc.string({unit: 'binary', minLength: 1, maxLength: 40})
const body = fc.option(fc.uint8Array({minLength: 1, maxLength: 64}).map((a) => Buffer.from(a)), {nil: undefined})

function command(parts: Omit<RemotingCommand, 'remark' | 'extFields' | 'body'>, remark?: string, extFields?: Record<string, string>, b?: Buffer): RemotingCommand {
  const cmd: RemotingCommand = {...parts}
  if (remark !== undefined) cmd.remark = remark
  if (extFields !== undefined) cmd.extFields = extFields
  if (b !== undefined) cmd.body = b
  return cmd
}

// JSON carries any int32, any string, and an empty extFields object ({} on the wire, as Java writes it).
const jsonCommand = fc
  .tuple(
    fc.record({code: int32, language: fc.oneof(fc.constantFrom('JAVA', 'GO', 'NODE_JS'), text), version: int32, opaque: int32, flag: int32}),
    fc.option(text, {nil: undefined}),
    fc.option(fc.dictionary(text, text, {maxKeys: 8, noNullPrototype: true}), {nil: undefined}),
    body,
  )
  .map(([parts, remark, ext, b]) => command(parts, remark, ext, b))

// ROCKETMQ: short code/version, a language byte, and no empty strings (Java reads those as null).
const rocketmqCommand = fc
  .tuple(
    fc.record({code: int16, language: fc.integer({min: 0, max: 255}).map(languageName), version: int16, opaque: int32, flag: int32}),
    fc.option(nonEmptyText, {nil: undefined}),
    fc.option(fc.dictionary(nonEmptyText, nonEmptyText, {minKeys: 1, maxKeys: 8, noNullPrototype: true}), {nil: undefined}),
    body,
  )
  .map(([parts, remark, ext, b]) => command(parts, remark, ext, b))

const anyFrame = fc.oneof(
  jsonCommand.map((c) => encodeFrame(c, 0)),
  rocketmqCommand.map((c) => encodeFrame(c, 1)),
)

describe('frame round trips', () => {
  it('JSON header: decode(encode(cmd)) == cmd', () => {
    fc.assert(fc.property(jsonCommand, (cmd) => {
      expect(decodeFrame(encodeFrame(cmd, 0))).toStrictEqual(cmd)
    }), {seed, numRuns: 1000})
  })

  it('ROCKETMQ header: decode(encode(cmd)) == cmd', () => {
    fc.assert(fc.property(rocketmqCommand, (cmd) => {
      expect(decodeFrame(encodeFrame(cmd, 1))).toStrictEqual(cmd)
    }), {seed, numRuns: 1000})
  })

  it('FrameDecoder: a stream of frames in random chunks yields the same commands', () => {
    const commands = fc.array(fc.oneof(
      jsonCommand.map((c) => ({c, type: 0 as const})),
      rocketmqCommand.map((c) => ({c, type: 1 as const})),
    ), {minLength: 1, maxLength: 6})
    fc.assert(fc.property(commands, fc.array(fc.integer({min: 1, max: 50}), {minLength: 1}), (items, sizes) => {
      const stream = Buffer.concat(items.map(({c, type}) => encodeFrame(c, type)))
      const decoder = new FrameDecoder()
      const out: RemotingCommand[] = []
      for (let p = 0, i = 0; p < stream.length; p += sizes[i++ % sizes.length]!) {
        out.push(...decoder.push(stream.subarray(p, p + sizes[i % sizes.length]!)))
      }
      expect(out).toStrictEqual(items.map(({c}) => c))
    }), {seed, numRuns: 500})
  })
})

describe('header round trips', () => {
  const sendHeader: fc.Arbitrary<SendMessageRequestHeader> = fc.record(
    {
      producerGroup: text, topic: text, defaultTopic: text, defaultTopicQueueNums: int32, queueId: int32,
      sysFlag: int32, bornTimestamp: fc.maxSafeInteger(), flag: int32, properties: text, reconsumeTimes: int32,
      unitMode: fc.boolean(), maxReconsumeTimes: int32, batch: fc.boolean(), bname: text,
    },
    {noNullPrototype: true, requiredKeys: ['producerGroup', 'topic', 'defaultTopic', 'defaultTopicQueueNums', 'queueId', 'sysFlag', 'bornTimestamp', 'flag']},
  )

  it('SendMessageRequestHeader V1 and V2', () => {
    fc.assert(fc.property(sendHeader, (h) => {
      expect(decodeSendMessageRequestHeader(encodeSendMessageRequestHeader(h), 10)).toStrictEqual(h)
      expect(decodeSendMessageRequestHeader(encodeSendMessageRequestHeaderV2(h), 310)).toStrictEqual(h)
    }), {seed, numRuns: 500})
  })

  it('PullMessageRequestHeader, through a whole JSON frame', () => {
    const pullHeader: fc.Arbitrary<PullMessageRequestHeader> = fc.record(
      {
        consumerGroup: text, topic: text, queueId: int32, queueOffset: fc.maxSafeInteger(), maxMsgNums: int32,
        sysFlag: int32, commitOffset: fc.maxSafeInteger(), suspendTimeoutMillis: fc.maxSafeInteger(),
        subscription: text, subVersion: fc.maxSafeInteger(), expressionType: text, maxMsgBytes: int32, bname: text,
      },
      {noNullPrototype: true, requiredKeys: ['consumerGroup', 'topic', 'queueId', 'queueOffset', 'maxMsgNums', 'sysFlag', 'commitOffset', 'suspendTimeoutMillis', 'subVersion']},
    )
    fc.assert(fc.property(pullHeader, (h) => {
      const frame = encodeFrame({code: 11, language: 'JAVA', version: 479, opaque: 1, flag: 0, extFields: encodePullMessageRequestHeader(h)})
      expect(decodePullMessageRequestHeader(decodeFrame(frame).extFields)).toStrictEqual(h)
    }), {seed, numRuns: 500})
  })
})

describe('header decoders against hostile extFields', () => {
  const decoders = Object.entries(headers).filter(([name]) => name.startsWith('decode')) as [string, (ext: unknown, code?: number) => unknown][]
  const wireNames = [
    'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'topic', 'queueId', 'queueOffset', 'offset',
    'consumerGroup', 'producerGroup', 'commitOffset', 'brokerId', 'boundaryType', 'order', 'msgId', 'timestamp',
  ]
  const value = fc.oneof(text, fc.integer().map(String), fc.constantFrom('true', 'FALSE', '-0', '+1', '1e3', '9007199254740993'))
  const ext = fc.dictionary(fc.oneof(fc.constantFrom(...wireNames), text), value, {noNullPrototype: true})

  it('every decode* returns a value or throws ProtocolError', () => {
    expect(decoders.length).toBeGreaterThanOrEqual(19)
    fc.assert(fc.property(ext, fc.constantFrom(10, 310, 320), (fields, code) => {
      for (const [, decode] of decoders) {
        try {
          decode(fields, code)
        } catch (err) {
          if (!(err instanceof ProtocolError) || err.code !== 'BAD_FIELD') throw err
        }
      }
    }), {seed, numRuns: 2000})
  })
})

describe('body decoders against arbitrary JSON', () => {
  const decoders: [string, (body: string) => unknown][] = [
    ['TopicRouteData', bodies.decodeTopicRouteData], ['HeartbeatData', bodies.decodeHeartbeatData],
    ['RegisterBrokerBody', bodies.decodeRegisterBrokerBody], ['ClusterInfo', bodies.decodeClusterInfo],
    ['ConsumerList', bodies.decodeConsumerList],
  ]
  // Valid JSON, fastjson-style bare keys, and truncations of both.
  const input = fc.oneof(
    fc.json({maxDepth: 4}),
    fc.json({maxDepth: 4}).map((j) => j.replace(/"(\d+)":/g, '$1:')),
    fc.tuple(fc.json({maxDepth: 4}), fc.nat()).map(([j, n]) => j.slice(0, n % (j.length + 1))),
  )

  it('every body decode* returns a value or throws BAD_BODY', () => {
    fc.assert(fc.property(input, (body) => {
      for (const [, decode] of decoders) {
        try {
          decode(body)
        } catch (err) {
          if (!(err instanceof ProtocolError) || err.code !== 'BAD_BODY') throw err
        }
      }
    }), {seed, numRuns: 2000})
  })
})

describe('FrameDecoder against hostile input', () => {
  const MAX_FRAME_BYTES = 512

  type Mutation =
    | {kind: 'flip'; at: number; bit: number}
    | {kind: 'truncate'; at: number}
    | {kind: 'length'; value: number}
    | {kind: 'headerInfo'; value: number}
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({min: 0, max: 7})}),
    fc.record({kind: fc.constant('truncate' as const), at: fc.nat()}),
    fc.record({kind: fc.constant('length' as const), value: int32}),
    fc.record({kind: fc.constant('headerInfo' as const), value: int32}),
  )

  function mutate(frame: Buffer, mutations: Mutation[]): Buffer {
    let b = Buffer.from(frame)
    for (const m of mutations) {
      if (b.length === 0) break
      if (m.kind === 'flip') b[m.at % b.length]! ^= 1 << m.bit
      else if (m.kind === 'truncate') b = b.subarray(0, m.at % b.length)
      else if (m.kind === 'length' && b.length >= 4) b.writeInt32BE(m.value, 0)
      else if (m.kind === 'headerInfo' && b.length >= 8) b.writeInt32BE(m.value, 4)
    }
    return b
  }

  // A pool of valid frames drawn once (from the same seed) keeps 100,000 runs affordable.
  const pool = fc.constantFrom(...fc.sample(anyFrame, {seed, numRuns: 300}))
  const hostileStream = fc.array(
    fc.oneof(
      pool,
      fc.tuple(pool, fc.array(mutation, {minLength: 1, maxLength: 4})).map(([f, ms]) => mutate(f, ms)),
      fc.uint8Array({maxLength: 80}).map((a) => Buffer.from(a)),
    ),
    {minLength: 1, maxLength: 4},
  ).map((parts) => Buffer.concat(parts))

  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('100,000 random and mutated streams: only ProtocolError, never an allocation above the maximum', () => {
    // Only allocations made inside push() count; generating the input allocates too.
    let measuring = false
    let largest = 0
    let largestEver = 0
    const track = (size: unknown) => {
      if (measuring && typeof size === 'number' && size > largest) largest = size
    }
    const allocUnsafe = Buffer.allocUnsafe.bind(Buffer)
    const alloc = Buffer.alloc.bind(Buffer)
    vi.spyOn(Buffer, 'allocUnsafe').mockImplementation((size) => (track(size), allocUnsafe(size)))
    vi.spyOn(Buffer, 'alloc').mockImplementation((size, fill, enc) => (track(size), alloc(size, fill, enc)))
    let errors = 0
    fc.assert(fc.property(hostileStream, fc.array(fc.integer({min: 1, max: 40}), {minLength: 1, maxLength: 8}), (stream, sizes) => {
      const decoder = new FrameDecoder({maxFrameBytes: MAX_FRAME_BYTES})
      largest = 0
      try {
        for (let p = 0, i = 0; p < stream.length; i++) {
          const size = sizes[i % sizes.length]!
          const chunk = stream.subarray(p, p + size)
          measuring = true
          try {
            decoder.push(chunk)
          } finally {
            measuring = false
          }
          p += size
        }
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw err
        errors++
      }
      largestEver = Math.max(largestEver, largest)
      return largest <= MAX_FRAME_BYTES
    }), {seed, numRuns: 100_000})
    // Guards the generator: hostile input that never fails would prove nothing.
    expect(errors).toBeGreaterThan(10_000)
    expect(largestEver).toBeGreaterThan(0)
  })
})
