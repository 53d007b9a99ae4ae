/**
 * The properties text a send carries. It is the message's own properties with UNIQ_KEY, WAIT, TAGS
 * and KEYS set from the send, written straight into one string: byte for byte what
 * encodeProperties({...properties, UNIQ_KEY, WAIT, TAGS?, KEYS?}) writes (a key the message already
 * has keeps its place, the others follow in that order), without the copied object per send.
 */
import {MessageProperty, NAME_VALUE_SEPARATOR, PROPERTY_SEPARATOR} from '../protocol/message/properties.js'
import type {Message} from './message.js'

const {UNIQ_KEY, WAIT, TAGS, KEYS} = MessageProperty

/** The UNIQ_KEY the message brings itself, if any (kept across retries and re-sends). */
export function ownUniqKey(msg: Message): string | undefined {
  const own = msg.properties
  return own !== undefined && Object.hasOwn(own, UNIQ_KEY) ? (own[UNIQ_KEY] ?? undefined) : undefined
}

function pair(key: string, value: string): string {
  return key + NAME_VALUE_SEPARATOR + value + PROPERTY_SEPARATOR
}

export function sendPropertiesText(msg: Message, uniqKey: string): string {
  const wait = msg.waitStoreMsgOK === false ? 'false' : 'true'
  const own = msg.properties
  let out = ''
  let seen = 0
  if (own !== undefined) {
    for (const key in own) {
      if (!Object.hasOwn(own, key)) continue
      let value: string | undefined = own[key]
      if (key === UNIQ_KEY) {
        value = uniqKey
        seen |= 1
      } else if (key === WAIT) {
        value = wait
        seen |= 2
      } else if (key === TAGS) {
        if (msg.tags !== undefined) value = msg.tags
        seen |= 4
      } else if (key === KEYS) {
        if (msg.keys !== undefined) value = msg.keys
        seen |= 8
      }
      // encodeProperties skips null and undefined, as Java skips null.
      if (value !== undefined && value !== null) out += pair(key, value)
    }
  }
  if ((seen & 1) === 0) out += pair(UNIQ_KEY, uniqKey)
  if ((seen & 2) === 0) out += pair(WAIT, wait)
  if ((seen & 4) === 0 && msg.tags !== undefined) out += pair(TAGS, msg.tags)
  if ((seen & 8) === 0 && msg.keys !== undefined) out += pair(KEYS, msg.keys)
  return out
}
