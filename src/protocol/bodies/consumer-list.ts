/** GET_CONSUMER_LIST_BY_GROUP (38) response body: {"consumerIdList":["<clientId>",…]} (§3.6). */
import {asObject, encodeJsonBody, parseJsonBody, stringArray} from './json-body.js'

export interface ConsumerList {
  consumerIdList: string[]
}

export function encodeConsumerList(list: ConsumerList): Buffer {
  return encodeJsonBody({consumerIdList: list.consumerIdList})
}

export function decodeConsumerList(body: Buffer | string | undefined): ConsumerList {
  const o = asObject(parseJsonBody(body, 'ConsumerList'), 'ConsumerList')
  return {consumerIdList: stringArray(o.consumerIdList ?? [], 'ConsumerList.consumerIdList')}
}
