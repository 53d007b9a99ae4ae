import {afterEach, describe, expect, it} from 'vitest'
import {parseBrokerConfig} from '../../../../src/broker/broker-config.js'
import {ACK_LAG_MS, BROKEN_MODE_LOG_PREFIX, parseBrokenMode} from '../../../../src/broker/processors/broken-mode.js'
import {ConfigError} from '../../../../src/errors.js'
import {crc32} from '../../../../src/protocol/crc32.js'
import {encodeSendMessageRequestHeaderV2} from '../../../../src/protocol/headers/send-message.js'
import {decodeMessageExt} from '../../../../src/protocol/message/message-decoder.js'
import {encodeProperties} from '../../../../src/protocol/message/properties.js'
import {newRequest} from '../../../../src/protocol/remoting-command.js'
import {RequestCode} from '../../../../src/protocol/request-code.js'
import {ResponseCode} from '../../../../src/protocol/response-code.js'
import {type Harness, harness} from './harness.js'

function send(seq: number, topic = 'T', queueId = 1) {
  const body = Buffer.alloc(64, seq & 0xff)
  const ext = encodeSendMessageRequestHeaderV2({
    producerGroup: 'pg', topic, defaultTopic: 'TBW102', defaultTopicQueueNums: 4, queueId, sysFlag: 0,
    bornTimestamp: 1700000000000, flag: 0, properties: encodeProperties({UNIQ_KEY: `U${seq}`, KEYS: `0:${seq}`}),
  })
  return newRequest(RequestCode.SEND_MESSAGE_V2, ext, body)
}

async function brokenHarness(mode: string): Promise<{h: Harness; lines: string[]}> {
  const h = await harness({mqbenchBrokenMode: mode})
  const lines: string[] = []
  h.ctx.log = (l) => void lines.push(l)
  return {h, lines}
}

const sabotaged = (lines: string[]) => lines.filter((l) => l.startsWith(BROKEN_MODE_LOG_PREFIX)).map((l) => /keys=(\S+)/.exec(l)![1])

describe('broken broker mode (mqbenchBrokenMode)', () => {
  let h: Harness | undefined
  afterEach(() => h?.dispose())

  it('is off by default and parses the three forms', () => {
    expect(parseBrokerConfig('brokerName=b').mqbenchBrokenMode).toBe('off')
    expect(parseBrokenMode('off')).toBeUndefined()
    expect(parseBrokenMode('drop-every-n:100')).toEqual({kind: 'drop', everyN: 100})
    expect(parseBrokenMode('duplicate-every-n:50')).toEqual({kind: 'duplicate', everyN: 50})
    expect(parseBrokenMode('corrupt-every-n:1')).toEqual({kind: 'corrupt', everyN: 1})
    expect(parseBrokenMode('reorder-every-n:7')).toEqual({kind: 'reorder', everyN: 7})
  })

  it.each(['drop', 'drop-every-n:0', 'drop-every-n:x', 'lose-every-n:5', 'drop-every-n:5x'])('refuses %j with one line naming the key', (v) => {
    let err: unknown
    try {
      parseBrokerConfig(`mqbenchBrokenMode=${v}`)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ConfigError)
    const msg = (err as Error).message
    expect(msg).toMatch(/^broker\.conf: mqbenchBrokenMode: expected off, drop-every-n:<N>, duplicate-every-n:<N>, corrupt-every-n:<N> or reorder-every-n:<N>/)
    expect(msg).not.toContain('\n')
  })

  it('drop: every N-th send gets SEND_OK with a full header but is never stored', async () => {
    const b = await brokenHarness('drop-every-n:3')
    h = b.h
    const codes: number[] = []
    for (let seq = 0; seq < 9; seq++) {
      const res = await h.call(send(seq))
      codes.push(res.code)
      expect(res.extFields).toMatchObject({queueId: '1', transactionId: `U${seq}`})
      expect(res.extFields!.msgId).toMatch(/^[0-9A-F]{32}$/)
    }
    expect(codes.every((c) => c === ResponseCode.SUCCESS)).toBe(true)
    expect(h.store.stored.map((m) => m.properties['KEYS'])).toEqual(['0:0', '0:1', '0:3', '0:4', '0:6', '0:7'])
    expect(sabotaged(b.lines)).toEqual(['0:2', '0:5', '0:8'])
  })

  it('duplicate: every N-th send is stored twice and answered once', async () => {
    const b = await brokenHarness('duplicate-every-n:2')
    h = b.h
    for (let seq = 0; seq < 4; seq++) expect((await h.call(send(seq))).code).toBe(ResponseCode.SUCCESS)
    expect(h.store.stored.map((m) => m.properties['KEYS'])).toEqual(['0:0', '0:1', '0:1', '0:2', '0:3', '0:3'])
    expect(sabotaged(b.lines)).toEqual(['0:1', '0:3'])
  })

  it('corrupt: every N-th stored body differs from what was sent in exactly its last byte', async () => {
    const b = await brokenHarness('corrupt-every-n:2')
    h = b.h
    const sent = [0, 1, 2, 3].map((seq) => send(seq))
    for (const req of sent) expect((await h.call(req)).code).toBe(ResponseCode.SUCCESS)
    const stored = h.store.queues.get('T@1')!.map((e) => decodeMessageExt(e.record).body)
    for (let i = 0; i < 4; i++) {
      const original = sent[i]!.body!
      expect(original.equals(Buffer.alloc(64, i))).toBe(true) // the request itself is left untouched
      const differs = crc32(stored[i]!) !== crc32(original)
      expect(differs).toBe(i % 2 === 1)
      expect(stored[i]!.subarray(0, 63).equals(original.subarray(0, 63))).toBe(true)
    }
    expect(sabotaged(b.lines)).toEqual(['0:1', '0:3'])
  })

  it('reorder: every N-th send is acked at once and stored right after the next send to its queue (or after the lag)', async () => {
    const b = await brokenHarness('reorder-every-n:3')
    h = b.h
    const settle = (ms: number) => new Promise((r) => setTimeout(r, ms))
    for (let seq = 0; seq < 6; seq++) expect((await h.call(send(seq))).code).toBe(ResponseCode.SUCCESS)
    expect((await h.call(send(100, 'T', 2))).code).toBe(ResponseCode.SUCCESS) // another queue releases nothing
    await settle(50)
    const keys = () => h!.store.stored.map((m) => m.properties['KEYS'])
    expect(keys()).toEqual(['0:0', '0:1', '0:3', '0:2', '0:4', '0:100'])
    await settle(ACK_LAG_MS + 100) // the last held send has no successor: stored when the lag runs out
    expect(keys()).toEqual(['0:0', '0:1', '0:3', '0:2', '0:4', '0:100', '0:5'])
    expect(sabotaged(b.lines)).toEqual(['0:2', '0:5'])
  })

  it('leaves %RETRY% and %DLQ% sends alone and does not count them', async () => {
    const b = await brokenHarness('drop-every-n:1')
    h = b.h
    expect((await h.call(send(0, '%RETRY%g', 0))).code).toBe(ResponseCode.SUCCESS)
    expect((await h.call(send(1, '%DLQ%g', 0))).code).toBe(ResponseCode.SUCCESS)
    expect(h.store.stored).toHaveLength(2)
    expect(sabotaged(b.lines)).toEqual([])
  })
})
