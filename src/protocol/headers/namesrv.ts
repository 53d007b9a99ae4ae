/**
 * Namesrv request headers (rocketmq-protocol.md §3.10).
 *
 *   GET_ROUTEINFO_BY_TOPIC 105  topic string M | acceptStandardJsonOnly bool - (4.9.4+)
 *   REGISTER_BROKER 103         brokerName string M | brokerAddr string M ("ip:port")
 *                               | clusterName string M | haServerAddr string M | brokerId long M
 *                               | heartbeatTimeoutMillis long - (5.x) | compressed bool -
 *                               | bodyCrc32 int - (CRC32 of the body & 0x7FFFFFFF; 0 = unchecked)
 *     response                  haServerAddr string - | masterAddr string - (filled for slaves)
 *   UNREGISTER_BROKER 104       brokerName string M | brokerAddr string M | clusterName string M
 *                               | brokerId long M
 */
import {
  type ExtFields, optBool, optInt, optLong, optString, putOpt, reqLong, reqString, withoutUndefined,
} from './fields.js'

export interface GetRouteInfoRequestHeader {
  topic: string
  acceptStandardJsonOnly?: boolean
}

export function encodeGetRouteInfoRequestHeader(h: GetRouteInfoRequestHeader): ExtFields {
  const out: ExtFields = {topic: h.topic}
  putOpt(out, 'acceptStandardJsonOnly', h.acceptStandardJsonOnly)
  return out
}

export function decodeGetRouteInfoRequestHeader(ext: ExtFields | undefined): GetRouteInfoRequestHeader {
  return withoutUndefined({
    topic: reqString(ext, 'topic'),
    acceptStandardJsonOnly: optBool(ext, 'acceptStandardJsonOnly'),
  })
}

export interface RegisterBrokerRequestHeader {
  brokerName: string
  brokerAddr: string
  clusterName: string
  haServerAddr: string
  brokerId: number
  heartbeatTimeoutMillis?: number
  compressed?: boolean
  bodyCrc32?: number
}

export function encodeRegisterBrokerRequestHeader(h: RegisterBrokerRequestHeader): ExtFields {
  const out: ExtFields = {
    brokerName: h.brokerName,
    brokerAddr: h.brokerAddr,
    clusterName: h.clusterName,
    haServerAddr: h.haServerAddr,
    brokerId: String(h.brokerId),
  }
  putOpt(out, 'heartbeatTimeoutMillis', h.heartbeatTimeoutMillis)
  putOpt(out, 'compressed', h.compressed)
  putOpt(out, 'bodyCrc32', h.bodyCrc32)
  return out
}

export function decodeRegisterBrokerRequestHeader(ext: ExtFields | undefined): RegisterBrokerRequestHeader {
  return withoutUndefined({
    brokerName: reqString(ext, 'brokerName'),
    brokerAddr: reqString(ext, 'brokerAddr'),
    clusterName: reqString(ext, 'clusterName'),
    haServerAddr: reqString(ext, 'haServerAddr'),
    brokerId: reqLong(ext, 'brokerId'),
    heartbeatTimeoutMillis: optLong(ext, 'heartbeatTimeoutMillis'),
    compressed: optBool(ext, 'compressed'),
    bodyCrc32: optInt(ext, 'bodyCrc32'),
  })
}

export interface RegisterBrokerResponseHeader {
  haServerAddr?: string
  masterAddr?: string
}

export function encodeRegisterBrokerResponseHeader(h: RegisterBrokerResponseHeader): ExtFields {
  const out: ExtFields = {}
  putOpt(out, 'haServerAddr', h.haServerAddr)
  putOpt(out, 'masterAddr', h.masterAddr)
  return out
}

export function decodeRegisterBrokerResponseHeader(ext: ExtFields | undefined): RegisterBrokerResponseHeader {
  return withoutUndefined({haServerAddr: optString(ext, 'haServerAddr'), masterAddr: optString(ext, 'masterAddr')})
}

export interface UnregisterBrokerRequestHeader {
  brokerName: string
  brokerAddr: string
  clusterName: string
  brokerId: number
}

export function encodeUnregisterBrokerRequestHeader(h: UnregisterBrokerRequestHeader): ExtFields {
  return {brokerName: h.brokerName, brokerAddr: h.brokerAddr, clusterName: h.clusterName, brokerId: String(h.brokerId)}
}

export function decodeUnregisterBrokerRequestHeader(ext: ExtFields | undefined): UnregisterBrokerRequestHeader {
  return {
    brokerName: reqString(ext, 'brokerName'),
    brokerAddr: reqString(ext, 'brokerAddr'),
    clusterName: reqString(ext, 'clusterName'),
    brokerId: reqLong(ext, 'brokerId'),
  }
}
