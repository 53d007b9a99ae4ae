import {describe, expect, it} from 'vitest'
import {RemotingError} from '../../../src/errors.js'
import {newRequest, newResponse} from '../../../src/protocol/remoting-command.js'
import {RETRYABLE_SEND_CODES, sendStatusOf} from '../../../src/client/send-result.js'

const req = newRequest(310)

describe('sendStatusOf', () => {
  it.each([
    [0, 'SEND_OK'],
    [10, 'FLUSH_DISK_TIMEOUT'],
    [11, 'SLAVE_NOT_AVAILABLE'],
    [12, 'FLUSH_SLAVE_TIMEOUT'],
  ])('maps code %i to %s', (code, status) => {
    expect(sendStatusOf(newResponse(req, code))).toBe(status)
  })

  it.each([1, 2, 13, 14, 17, 29])('throws a RemotingError carrying code %i and the remark', (code) => {
    let caught: unknown
    try {
      sendStatusOf(newResponse(req, code, {remark: 'why not'}))
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(RemotingError)
    expect((caught as RemotingError).responseCode).toBe(code)
    expect((caught as RemotingError).message).toContain('why not')
  })

  it('retries exactly the 4.9.8 codes plus SYSTEM_BUSY and GO_AWAY', () => {
    expect([...RETRYABLE_SEND_CODES].sort((a, b) => a - b)).toEqual([1, 2, 14, 16, 17, 204, 205, 1500])
  })
})
