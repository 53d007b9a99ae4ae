/**
 * Client connection bodies (AdminBrokerProcessor; mqadmin consumerConnection / producerConnection):
 *
 *   GET_CONSUMER_CONNECTION_LIST (203) → ConsumerConnection
 *     {"connectionSet":[Connection],"consumeFromWhere":string,"consumeType":string,
 *      "messageModel":string,"subscriptionTable":{topic: SubscriptionData}}
 *   GET_PRODUCER_CONNECTION_LIST (204) → ProducerConnection {"connectionSet":[Connection]}
 *   Connection {"clientAddr":"ip:port","clientId":string,"language":"JAVA",…,"version":int}
 * SubscriptionData is the heartbeat's (heartbeat-data.ts). Enums travel by name.
 */
import {type ConsumeType, decodeSubscriptionData, type MessageModel, type SubscriptionData} from './heartbeat-data.js'
import {asArray, asObject, encodeJsonBody, parseJsonBody, reqNum, reqStr, setOwn} from './json-body.js'

export interface Connection {
  clientAddr: string
  clientId: string
  language: string
  version: number
}

export interface ConsumerConnection {
  connectionSet: Connection[]
  consumeFromWhere: string
  consumeType: ConsumeType
  messageModel: MessageModel
  subscriptionTable: Record<string, SubscriptionData>
}

export interface ProducerConnection {
  connectionSet: Connection[]
}

function connection(c: Connection): Connection {
  return {clientAddr: c.clientAddr, clientId: c.clientId, language: c.language, version: c.version}
}

function decodeConnections(v: unknown, path: string): Connection[] {
  return asArray(v ?? [], path).map((item, i) => {
    const p = `${path}[${i}]`
    const o = asObject(item, p)
    return {clientAddr: reqStr(o, 'clientAddr', p), clientId: reqStr(o, 'clientId', p), language: reqStr(o, 'language', p), version: reqNum(o, 'version', p)}
  })
}

export function encodeConsumerConnection(c: ConsumerConnection): Buffer {
  return encodeJsonBody({
    connectionSet: c.connectionSet.map(connection), consumeFromWhere: c.consumeFromWhere, consumeType: c.consumeType,
    messageModel: c.messageModel, subscriptionTable: c.subscriptionTable,
  })
}

export function decodeConsumerConnection(body: Buffer | string | undefined): ConsumerConnection {
  const path = 'ConsumerConnection'
  const o = asObject(parseJsonBody(body, path), path)
  const subs = asObject(o.subscriptionTable ?? {}, `${path}.subscriptionTable`)
  const subscriptionTable: Record<string, SubscriptionData> = {}
  for (const topic of Object.keys(subs)) setOwn(subscriptionTable, topic, decodeSubscriptionData(subs[topic], `${path}.subscriptionTable.${topic}`))
  return {
    connectionSet: decodeConnections(o.connectionSet, `${path}.connectionSet`),
    consumeFromWhere: reqStr(o, 'consumeFromWhere', path),
    consumeType: reqStr(o, 'consumeType', path) as ConsumeType,
    messageModel: reqStr(o, 'messageModel', path) as MessageModel,
    subscriptionTable,
  }
}

export function encodeProducerConnection(c: ProducerConnection): Buffer {
  return encodeJsonBody({connectionSet: c.connectionSet.map(connection)})
}

export function decodeProducerConnection(body: Buffer | string | undefined): ProducerConnection {
  const path = 'ProducerConnection'
  const o = asObject(parseJsonBody(body, path), path)
  return {connectionSet: decodeConnections(o.connectionSet, `${path}.connectionSet`)}
}
