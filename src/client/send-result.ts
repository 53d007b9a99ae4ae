/**
 * SendStatus and the one mapping from a SEND response code to it (rocketmq-protocol.md §2.3,
 * Java's processSendResponse). The three non-OK statuses still mean "stored on the master";
 * every other code means "not stored" and becomes a RemotingError the retry loop can inspect.
 */
import {RemotingError} from '../errors.js'
import type {RemotingCommand} from '../protocol/remoting-command.js'
import {ResponseCode, responseCodeName} from '../protocol/response-code.js'
import type {MessageQueue} from './message.js'

export type SendStatus = 'SEND_OK' | 'FLUSH_DISK_TIMEOUT' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE'

export interface SendResult {
  status: SendStatus
  /** The client-side UNIQ_KEY, the same on every retry. */
  msgId: string
  /** The broker's offset message id (store host + commit-log offset). */
  offsetMsgId: string
  queue: MessageQueue
  queueOffset: number
  /** Attempts this send took, including the one that produced this result (1 = no retry). */
  attempts: number
}

/** @throws RemotingError carrying the response code and remark for any code that is not a SendStatus. */
export function sendStatusOf(response: RemotingCommand): SendStatus {
  switch (response.code) {
    case ResponseCode.SUCCESS:
      return 'SEND_OK'
    case ResponseCode.FLUSH_DISK_TIMEOUT:
      return 'FLUSH_DISK_TIMEOUT'
    case ResponseCode.FLUSH_SLAVE_TIMEOUT:
      return 'FLUSH_SLAVE_TIMEOUT'
    case ResponseCode.SLAVE_NOT_AVAILABLE:
      return 'SLAVE_NOT_AVAILABLE'
    default:
      throw new RemotingError(
        response.code,
        `send failed: ${responseCodeName(response.code)} (${response.code})${response.remark ? `: ${response.remark}` : ''}`,
        {remark: response.remark},
      )
  }
}

/**
 * Broker codes after which Java's sync send tries again (4.9.8 retryResponseCodes plus 5.x's
 * SYSTEM_BUSY and GO_AWAY); anything else, e.g. MESSAGE_ILLEGAL, fails at once.
 */
export const RETRYABLE_SEND_CODES: ReadonlySet<number> = new Set([
  ResponseCode.TOPIC_NOT_EXIST,
  ResponseCode.SERVICE_NOT_AVAILABLE,
  ResponseCode.SYSTEM_ERROR,
  ResponseCode.NO_PERMISSION,
  ResponseCode.NO_BUYER_ID,
  ResponseCode.NOT_IN_CURRENT_UNIT,
  ResponseCode.SYSTEM_BUSY,
  ResponseCode.GO_AWAY,
])
