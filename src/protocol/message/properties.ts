/**
 * Message properties as RocketMQ stores them: `name 0x01 value 0x02` per pair, every pair
 * terminated by 0x02 (MessageDecoder.messageProperties2String / string2messageProperties).
 */
export const NAME_VALUE_SEPARATOR = '\u0001'
export const PROPERTY_SEPARATOR = '\u0002'

/** Keys RocketMQ itself reads or writes (MessageConst). */
export const MessageProperty = {
  KEYS: 'KEYS',
  TAGS: 'TAGS',
  UNIQ_KEY: 'UNIQ_KEY',
  WAIT: 'WAIT',
  DELAY: 'DELAY',
  RETRY_TOPIC: 'RETRY_TOPIC',
  REAL_TOPIC: 'REAL_TOPIC',
  REAL_QID: 'REAL_QID',
  ORIGIN_MESSAGE_ID: 'ORIGIN_MESSAGE_ID',
  RECONSUME_TIME: 'RECONSUME_TIME',
  MAX_RECONSUME_TIMES: 'MAX_RECONSUME_TIMES',
  TRAN_MSG: 'TRAN_MSG',
  PGROUP: 'PGROUP',
  CLUSTER: 'CLUSTER',
  MSG_REGION: 'MSG_REGION',
  TRACE_ON: 'TRACE_ON',
} as const

export type MessageProperties = Record<string, string>

/** Null/undefined values are skipped, as Java skips null. Separators inside keys/values are not escapable. */
export function encodeProperties(props: MessageProperties | undefined): string {
  if (!props) return ''
  let out = ''
  for (const key in props) {
    const value = props[key]
    if (value === undefined || value === null) continue
    out += key + NAME_VALUE_SEPARATOR + value + PROPERTY_SEPARATOR
  }
  return out
}

/**
 * Decoding follows Java: split on 0x02, split each part at the first 0x01, and drop parts with
 * an empty key or value (so empty-valued properties never survive a round trip).
 */
export function decodeProperties(text: string): MessageProperties {
  const props: MessageProperties = {}
  let start = 0
  while (start < text.length) {
    let end = text.indexOf(PROPERTY_SEPARATOR, start)
    if (end < 0) end = text.length
    const sep = text.indexOf(NAME_VALUE_SEPARATOR, start)
    if (sep > start && sep < end - 1) setOwn(props, text.slice(start, sep), text.slice(sep + 1, end))
    start = end + 1
  }
  return props
}

/** A property named "__proto__" arrives off the wire like any other; it must become a key, never the prototype. */
function setOwn(props: MessageProperties, key: string, value: string): void {
  if (key === '__proto__') Object.defineProperty(props, key, {value, enumerable: true, writable: true, configurable: true})
  else props[key] = value
}

/** ConsumeQueue tag code: Java String.hashCode() of TAGS, 0 when there is no tag. */
export function tagsHashCode(tags: string | undefined): number {
  if (!tags) return 0
  let h = 0
  for (let i = 0; i < tags.length; i++) h = (Math.imul(31, h) + tags.charCodeAt(i)) | 0
  return h
}
