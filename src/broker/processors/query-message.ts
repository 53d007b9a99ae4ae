/**
 * Message lookup (RocketMQ QueryMessageProcessor), what mqadmin queryMsgById / queryMsgByKey use:
 * VIEW_MESSAGE_BY_ID (33) answers the one record at the CommitLog offset an offset msgId encodes;
 * QUERY_MESSAGE (12) answers every record the IndexService holds under topic#key, newest first, as
 * one body of records back to back (the client checks each record's key: index hits are hints).
 */
import {
  decodeQueryMessageRequestHeader, decodeViewMessageRequestHeader, encodeQueryMessageResponseHeader,
} from '../../protocol/headers/query-message.js'
import {newResponse, type RemotingCommand} from '../../protocol/remoting-command.js'
import {RequestCode} from '../../protocol/request-code.js'
import {ResponseCode} from '../../protocol/response-code.js'
import type {RequestHandler} from '../../remoting/remoting-server.js'
import type {BrokerContext} from '../broker-context.js'

/** MessageStoreConfig.defaultQueryMaxNum: a unique-key query ignores the client's maxNum. */
const DEFAULT_QUERY_MAX_NUM = 32

function queryMessage(ctx: BrokerContext, req: RemotingCommand): RemotingCommand {
  const h = decodeQueryMessageRequestHeader(req.extFields)
  const maxNum = h.uniqueKeyQuery === true ? DEFAULT_QUERY_MAX_NUM : h.maxNum
  const r = ctx.store.queryMessage(h.topic, h.key, maxNum, h.beginTimestamp, h.endTimestamp)
  const extFields = encodeQueryMessageResponseHeader(r)
  if (r.records.length === 0) {
    return newResponse(req, ResponseCode.QUERY_NOT_FOUND, {extFields, remark: 'can not find message, maybe time range not correct'})
  }
  return newResponse(req, ResponseCode.SUCCESS, {extFields, body: Buffer.concat(r.records)})
}

function viewMessageById(ctx: BrokerContext, req: RemotingCommand): RemotingCommand {
  const h = decodeViewMessageRequestHeader(req.extFields)
  const record = ctx.store.selectOneMessageByOffset(h.offset)
  if (record === undefined) {
    return newResponse(req, ResponseCode.SYSTEM_ERROR, {remark: `can not find message by the offset, ${h.offset}`})
  }
  return newResponse(req, ResponseCode.SUCCESS, {body: record})
}

export function queryMessageHandlers(ctx: BrokerContext): Array<[number, RequestHandler]> {
  return [
    [RequestCode.QUERY_MESSAGE, (req) => queryMessage(ctx, req)],
    [RequestCode.VIEW_MESSAGE_BY_ID, (req) => viewMessageById(ctx, req)],
  ]
}
