import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import type {Message} from '../../../src/client/message.js'
import {ownUniqKey, sendPropertiesText} from '../../../src/client/send-properties.js'
import {encodeProperties, MessageProperty} from '../../../src/protocol/message/properties.js'

/** What the producer wrote before: a copied object with the send's keys set, then encoded. */
function viaObject(msg: Message, uniqKey: string): string {
  const props: Record<string, string> = {...msg.properties}
  props[MessageProperty.UNIQ_KEY] = uniqKey
  props[MessageProperty.WAIT] = msg.waitStoreMsgOK === false ? 'false' : 'true'
  if (msg.tags !== undefined) props[MessageProperty.TAGS] = msg.tags
  if (msg.keys !== undefined) props[MessageProperty.KEYS] = msg.keys
  return encodeProperties(props)
}

describe('sendPropertiesText', () => {
  it('writes exactly what encoding a copied property object wrote, keys in the same order', () => {
    const seed = process.env.FC_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FC_SEED)
    console.log('send-properties seed', seed)
    const key = fc.oneof(fc.constantFrom('UNIQ_KEY', 'WAIT', 'TAGS', 'KEYS', 'MQB_SEQ', '__proto__'), fc.string({minLength: 1, maxLength: 8}))
    const value = fc.oneof(fc.string({maxLength: 12}), fc.constant(undefined), fc.constant(null))
    const msg = fc.record(
      {
        properties: fc.dictionary(key, value, {maxKeys: 8, noNullPrototype: true}),
        tags: fc.string({maxLength: 6}),
        keys: fc.string({maxLength: 6}),
        waitStoreMsgOK: fc.boolean(),
      },
      {requiredKeys: []},
    )
    fc.assert(
      fc.property(msg, fc.string({minLength: 1, maxLength: 32}), (m, uniq) => {
        const message = {topic: 'T', body: Buffer.from('x'), ...m} as Message
        const uniqKey = ownUniqKey(message) ?? uniq
        expect(uniqKey).toBe({...message.properties}[MessageProperty.UNIQ_KEY] ?? uniq)
        expect(sendPropertiesText(message, uniqKey)).toBe(viaObject(message, uniqKey))
      }),
      {seed, numRuns: 3000},
    )
  })

  it('puts the message own keys first, then UNIQ_KEY, WAIT, TAGS, KEYS', () => {
    const text = sendPropertiesText({topic: 'T', body: Buffer.from('x'), tags: 'A', keys: 'k', properties: {MQB_SEQ: '7', WAIT: 'x'}}, 'U')
    expect(text).toBe('MQB_SEQ\u00017\u0002WAIT\u0001true\u0002UNIQ_KEY\u0001U\u0002TAGS\u0001A\u0002KEYS\u0001k\u0002')
  })
})
