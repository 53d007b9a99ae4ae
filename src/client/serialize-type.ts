/**
 * The client-facing name of a remoting header type, as RocketMQ spells rocketmq.serialize.type.
 * Clients default to JSON, which every RocketMQ server reads and the one real brokers answer in.
 */
import {SerializeType} from '../protocol/frame.js'

export type SerializeTypeName = keyof typeof SerializeType

export function serializeTypeCode(name: SerializeTypeName | undefined): 0 | 1 {
  return name === undefined ? SerializeType.JSON : SerializeType[name]
}
