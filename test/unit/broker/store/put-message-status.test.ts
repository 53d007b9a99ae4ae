import {describe, expect, it} from 'vitest'
import {isStored, putMessageStatusToResponseCode, type PutMessageStatus} from '../../../../src/broker/store/put-message-status.js'

describe('putMessageStatusToResponseCode (rocketmq-protocol.md §2.5, 4.9.8 column)', () => {
  const table: [PutMessageStatus, number, boolean][] = [
    ['PUT_OK', 0, true],
    ['FLUSH_DISK_TIMEOUT', 10, true],
    ['FLUSH_SLAVE_TIMEOUT', 12, true],
    ['SLAVE_NOT_AVAILABLE', 11, true],
    ['CREATE_MAPPED_FILE_FAILED', 1, false],
    ['MESSAGE_ILLEGAL', 13, false],
    ['PROPERTIES_SIZE_EXCEEDED', 13, false],
    ['SERVICE_NOT_AVAILABLE', 14, false],
    ['OS_PAGE_CACHE_BUSY', 1, false],
    ['UNKNOWN_ERROR', 1, false],
  ]
  it.each(table)('%s → %i (stored: %s)', (status, code, stored) => {
    expect(putMessageStatusToResponseCode(status)).toBe(code)
    expect(isStored(status)).toBe(stored)
  })
})
