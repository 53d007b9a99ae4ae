/**
 * PutMessageStatus (RocketMQ store) and its single mapping to the response code a SEND answers
 * with (SendMessageProcessor.handlePutMessageResult, 4.9.8; rocketmq-protocol.md §2.5).
 */
import {ResponseCode} from '../../protocol/response-code.js'

export type PutMessageStatus =
  | 'PUT_OK'
  | 'FLUSH_DISK_TIMEOUT'
  | 'FLUSH_SLAVE_TIMEOUT'
  | 'SLAVE_NOT_AVAILABLE'
  | 'SERVICE_NOT_AVAILABLE'
  | 'CREATE_MAPPED_FILE_FAILED'
  | 'MESSAGE_ILLEGAL'
  | 'PROPERTIES_SIZE_EXCEEDED'
  | 'OS_PAGE_CACHE_BUSY'
  | 'UNKNOWN_ERROR'

/** The four statuses after which the message is in the CommitLog (the producer gets a SendResult). */
export function isStored(status: PutMessageStatus): boolean {
  return status === 'PUT_OK' || status === 'FLUSH_DISK_TIMEOUT' || status === 'FLUSH_SLAVE_TIMEOUT' || status === 'SLAVE_NOT_AVAILABLE'
}

export function putMessageStatusToResponseCode(status: PutMessageStatus): number {
  switch (status) {
    case 'PUT_OK':
      return ResponseCode.SUCCESS
    case 'FLUSH_DISK_TIMEOUT':
      return ResponseCode.FLUSH_DISK_TIMEOUT
    case 'FLUSH_SLAVE_TIMEOUT':
      return ResponseCode.FLUSH_SLAVE_TIMEOUT
    case 'SLAVE_NOT_AVAILABLE':
      return ResponseCode.SLAVE_NOT_AVAILABLE
    case 'MESSAGE_ILLEGAL':
    case 'PROPERTIES_SIZE_EXCEEDED':
      return ResponseCode.MESSAGE_ILLEGAL
    case 'SERVICE_NOT_AVAILABLE':
      return ResponseCode.SERVICE_NOT_AVAILABLE
    // 4.9.8 answers SYSTEM_ERROR for these; 5.x answers SYSTEM_BUSY for OS_PAGE_CACHE_BUSY.
    case 'CREATE_MAPPED_FILE_FAILED':
    case 'OS_PAGE_CACHE_BUSY':
    case 'UNKNOWN_ERROR':
      return ResponseCode.SYSTEM_ERROR
  }
}
