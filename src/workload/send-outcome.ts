/**
 * The one place a send's ending (a SendResult or a thrown error) becomes a ledger outcome and a
 * counter. Timeouts and connection failures are kept apart from broker codes because they mean
 * different things to the audit: after a timeout the broker may well have stored the message.
 */
import {ConnectionError, MqbenchError, RemotingError, TimeoutError} from '../errors.js'
import {SendOutcome} from '../recorder/ledger/index.js'
import {countBrokerError, type SendCounters} from '../metrics/index.js'
import {responseCodeName} from '../protocol/response-code.js'
import type {SendStatus} from '../client/send-result.js'

export interface ClassifiedError {
  outcome: number
  /** RocketMQ response code for broker refusals; undefined for local/network failures. */
  brokerCode?: number
  /** Name used in SendCounters.errors.broker. */
  kind: 'timeout' | 'connection' | 'broker'
  brokerErrorName?: string
  /** Attempts the client made before giving up (its retry loop annotates thrown errors). */
  attempts: number
}

export function outcomeOfStatus(status: SendStatus): number {
  return SendOutcome[status]
}

export function classifySendError(err: unknown): ClassifiedError {
  const attempts = attemptsOf(err)
  if (err instanceof TimeoutError) return {outcome: SendOutcome.ERROR_TIMEOUT, kind: 'timeout', attempts}
  if (err instanceof ConnectionError) return {outcome: SendOutcome.ERROR_CONNECTION, kind: 'connection', attempts}
  if (err instanceof RemotingError) {
    return {outcome: SendOutcome.ERROR_BROKER, kind: 'broker', brokerCode: err.responseCode, brokerErrorName: responseCodeName(err.responseCode), attempts}
  }
  // Client-side refusals (no route, message illegal, not started): not a broker reply, but not the
  // network either; counted under their error code so they stay visible in the report.
  const name = err instanceof MqbenchError ? err.code : 'INTERNAL'
  return {outcome: SendOutcome.ERROR_BROKER, kind: 'broker', brokerErrorName: name, attempts}
}

export function countError(c: SendCounters, e: ClassifiedError): void {
  if (e.kind === 'timeout') c.errors.timeout++
  else if (e.kind === 'connection') c.errors.connection++
  else countBrokerError(c, e.brokerErrorName ?? 'UNKNOWN')
}

function attemptsOf(err: unknown): number {
  const n = typeof err === 'object' && err !== null ? (err as {attempts?: unknown}).attempts : undefined
  return typeof n === 'number' && n >= 1 ? n : 1
}
