/**
 * Client connection listing headers (RocketMQ AdminBrokerProcessor), for mqadmin's
 * consumerConnection and producerConnection.
 *
 *   GET_CONSUMER_CONNECTION_LIST 203  consumerGroup string M   (body: ConsumerConnection, or
 *                                                              CONSUMER_NOT_ONLINE)
 *   GET_PRODUCER_CONNECTION_LIST 204  producerGroup string M   (body: ProducerConnection, or
 *                                                              SYSTEM_ERROR "... not exist")
 */
import {singleStringHeader} from './fields.js'

export interface GetConsumerConnectionListRequestHeader {
  consumerGroup: string
}

export interface GetProducerConnectionListRequestHeader {
  producerGroup: string
}

const consumerConnectionList = singleStringHeader('consumerGroup')
const producerConnectionList = singleStringHeader('producerGroup')

export const encodeGetConsumerConnectionListRequestHeader: (h: GetConsumerConnectionListRequestHeader) => Record<string, string> =
  consumerConnectionList.encode
export const decodeGetConsumerConnectionListRequestHeader: (ext: Record<string, string> | undefined) => GetConsumerConnectionListRequestHeader =
  consumerConnectionList.decode
export const encodeGetProducerConnectionListRequestHeader: (h: GetProducerConnectionListRequestHeader) => Record<string, string> =
  producerConnectionList.encode
export const decodeGetProducerConnectionListRequestHeader: (ext: Record<string, string> | undefined) => GetProducerConnectionListRequestHeader =
  producerConnectionList.decode
