/**
 * The interop suite's verifier must catch every way a broker can get a message wrong; otherwise
 * "N/N messages verified" would prove nothing. Each case breaks one thing in otherwise perfect
 * pulled data and expects exactly that to be reported.
 */
import {describe, expect, it} from 'vitest'
import type {SendResult} from '../../../src/client/index.js'
import type {MessageExt} from '../../../src/protocol/message/message-ext.js'
import {encodeOffsetMsgId} from '../../../src/protocol/message/message-id.js'
import {interopMessage, LARGE_BODY_EVERY, promisedEnds, type SentRecord, verifyPulled} from '../../helpers/interop-messages.js'

const TOPIC = 'T'
const STORE_HOST = '127.0.0.1:10911'
const SEED = 42

/** n messages round-robin over 2 queues, stored exactly as sent. */
function perfect(n: number): {sent: Map<string, SentRecord>; pulled: MessageExt[]} {
  const sent = new Map<string, SentRecord>()
  const pulled: MessageExt[] = []
  const next = [0, 0]
  for (let seq = 0; seq < n; seq++) {
    const message = interopMessage(TOPIC, SEED, 'sync', seq)
    const queueId = seq % 2
    const queueOffset = next[queueId]!++
    const commitLogOffset = seq * 1000
    const id = `ID${seq}`
    const result: SendResult = {
      status: 'SEND_OK', msgId: id, offsetMsgId: encodeOffsetMsgId(STORE_HOST, commitLogOffset),
      queue: {topic: TOPIC, brokerName: 'b', queueId}, queueOffset, attempts: 1,
    }
    sent.set(id, {message, result})
    pulled.push({
      topic: TOPIC, queueId, flag: message.flag ?? 0, queueOffset, commitLogOffset, sysFlag: 0, bornTimestamp: 0, bornHost: '127.0.0.1:1',
      storeTimestamp: 0, storeHost: STORE_HOST, reconsumeTimes: 0, preparedTransactionOffset: 0,
      body: Buffer.from(message.body),
      properties: {...message.properties, KEYS: message.keys, TAGS: message.tags, UNIQ_KEY: id, WAIT: 'true', MSG_REGION: 'DefaultRegion'},
      bodyCrc: 0, storeSize: 0,
    })
  }
  return {sent, pulled}
}

describe('verifyPulled', () => {
  it('accepts a perfect pull, extra broker-side properties included', () => {
    const {sent, pulled} = perfect(10)
    const v = verifyPulled(sent, pulled)
    expect(v.problems).toEqual([])
    expect(v.verified).toBe(10)
    expect(Object.fromEntries(v.perQueue)).toEqual({0: 5, 1: 5})
  })

  it('promises each queue up to its highest acknowledged offset + 1', () => {
    const {sent} = perfect(11)
    expect(Object.fromEntries(promisedEnds(sent))).toEqual({0: 6, 1: 5})
  })

  it('generates reproducible messages with non-ASCII properties and a large body now and then', () => {
    expect(interopMessage(TOPIC, SEED, 'async', 7)).toEqual(interopMessage(TOPIC, SEED, 'async', 7))
    expect(interopMessage(TOPIC, SEED, 'async', 7).body.equals(interopMessage(TOPIC, SEED, 'sync', 7).body)).toBe(false)
    const large = interopMessage(TOPIC, SEED, 'sync', LARGE_BODY_EVERY - 1)
    expect(large.body.length).toBeGreaterThanOrEqual(64 * 1024)
    const m = interopMessage(TOPIC, SEED, 'sync', 3)
    expect(Object.values(m.properties).some((v) => /[^\x00-\x7f]/.test(v))).toBe(true)
    for (const v of [...Object.values(m.properties), m.keys, m.tags]) expect(v).not.toMatch(/[\x01\x02]|^$/)
  })

  const cases: Array<[string, (d: ReturnType<typeof perfect>) => void, RegExp]> = [
    ['one flipped body bit', (d) => { d.pulled[3]!.body[0]! ^= 0x01 }, /body differs/],
    ['a changed FLAG', (d) => { d.pulled[5]!.flag ^= 1 }, /flag/],
    ['a changed custom property', (d) => { d.pulled[4]!.properties.p_utf8 += '?' }, /property p_utf8/],
    ['a lost KEYS', (d) => { delete d.pulled[2]!.properties.KEYS }, /KEYS/],
    ['a wrong TAGS', (d) => { d.pulled[2]!.properties.TAGS = 'other' }, /TAGS/],
    ['a message never pulled', (d) => { d.pulled.splice(5, 1) }, /never pulled/],
    ['a duplicate delivery', (d) => { d.pulled.push({...d.pulled[1]!}) }, /duplicate/],
    ['a gap in queue offsets', (d) => { d.sent.delete('ID9'); d.pulled.splice(9, 1) }, /not contiguous/],
    ['a stored offset other than the SendResult said', (d) => { d.pulled[6]!.queueOffset = 99 }, /SendResult said/],
    ['a commit-log offset the offsetMsgId does not name', (d) => { d.pulled[6]!.commitLogOffset += 1 }, /offsetMsgId/],
    ['a message that was never sent', (d) => { d.pulled.push({...d.pulled[0]!, properties: {...d.pulled[0]!.properties, UNIQ_KEY: 'nope'}}) }, /unexpected/],
  ]
  for (const [what, breakIt, reported] of cases) {
    it(`reports ${what}`, () => {
      const data = perfect(12)
      breakIt(data)
      const v = verifyPulled(data.sent, data.pulled)
      expect(v.problems.join('\n')).toMatch(reported)
    })
  }
})
