/** Turns a non-SUCCESS answer to an admin/offset request into a RemotingError naming the call. */
import {RemotingError} from '../errors.js'
import type {RemotingCommand} from '../protocol/remoting-command.js'
import {ResponseCode, responseCodeName} from '../protocol/response-code.js'

export function expectSuccess(response: RemotingCommand, what: string): void {
  if (response.code !== ResponseCode.SUCCESS) {
    const remark = response.remark ? `: ${response.remark}` : ''
    throw new RemotingError(response.code, `${what} failed: ${responseCodeName(response.code)} (${response.code})${remark}`, {
      remark: response.remark,
    })
  }
}
