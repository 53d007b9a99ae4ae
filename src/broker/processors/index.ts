/** The broker's RequestCode → handler table; codes not listed get REQUEST_CODE_NOT_SUPPORTED from the server. */
import type {RequestHandler} from '../../remoting/remoting-server.js'
import type {BrokerContext} from '../broker-context.js'
import {adminHandlers} from './admin.js'
import {adminStatsHandlers} from './admin-stats.js'
import {connectionHandlers} from './connections.js'
import {queryMessageHandlers} from './query-message.js'
import {clientManageHandlers} from './client-manage.js'
import {consumerManageHandlers} from './consumer-manage.js'
import {consumerSendBackHandlers} from './consumer-send-back.js'
import {faultAdminHandlers} from './fault-admin.js'
import {pullMessageHandlers} from './pull-message.js'
import {sendMessageHandlers} from './send-message.js'

export function buildHandlerTable(ctx: BrokerContext): Map<number, RequestHandler> {
  return new Map([
    ...sendMessageHandlers(ctx),
    ...pullMessageHandlers(ctx),
    ...consumerManageHandlers(ctx),
    ...consumerSendBackHandlers(ctx),
    ...clientManageHandlers(ctx),
    ...adminHandlers(ctx),
    ...adminStatsHandlers(ctx),
    ...connectionHandlers(ctx),
    ...queryMessageHandlers(ctx),
    ...faultAdminHandlers(ctx),
  ])
}
