/**
 * Client connection listing headers (RocketMQ AdminBrokerProcessor), for mqadmin's
 * consumerConnection and producerConnection.
 *
 *   GET_CONSUMER_CONNECTION_LIST 203  consumerGroup string M   (body: ConsumerConnection, or
 *                                                              CONSUMER_NOT_ONLINE)
 *   GET_PRODUCER_CONNECTION_LIST 204  producerGroup string M   (body: ProducerConnection, or
 *                                                              SYSTEM_ERROR "... not exist")
 */
import {type ExtFields, reqString} from './fields.js'

export interface GetConsumerConnectionListRequestHeader {
  consumerGroup: string
}

export function encodeGetConsumerConnectionListRequestHeader(h: GetConsumerConnectionListRequestHeader): ExtFields {
  return {consumerGroup: h.consumerGroup}
}

export function decodeGetConsumerConnectionListRequestHeader(ext: ExtFields | undefined): GetConsumerConnectionListRequestHeader {
  return {consumerGroup: reqString(ext, 'consumerGroup')}
}

export interface GetProducerConnectionListRequestHeader {
  producerGroup: string
}

export function encodeGetProducerConnectionListRequestHeader(h: GetProducerConnectionListRequestHeader): ExtFields {
  return {producerGroup: h.producerGroup}
}

export function decodeGetProducerConnectionListRequestHeader(ext: ExtFields | undefined): GetProducerConnectionListRequestHeader {
  return {producerGroup: reqString(ext, 'producerGroup')}
}
