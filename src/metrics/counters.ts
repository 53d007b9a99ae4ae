/**
 * Send outcome counters: plain, JSON-safe objects so a worker can put them in an IPC message as-is and
 * the orchestrator can sum them. SendStatus counts are kept apart from errors on purpose: a
 * FLUSH_DISK_TIMEOUT is a reply from the broker that stored the message, not a failed send.
 */
import {SEND_STATUSES, type SendStatus} from './send-status.js'

export interface SendErrorCounters {
  timeout: number
  connection: number
  /** Broker replies that are not a SendStatus, by response code name (e.g. SYSTEM_BUSY). */
  broker: Record<string, number>
}

export interface SendCounters extends Record<SendStatus, number> {
  errors: SendErrorCounters
  retries: number
  /** Sends the open-loop schedule could not start in time; never sent, so not in the ledger's outcomes. */
  dropped: number
}

export function emptySendCounters(): SendCounters {
  return {
    SEND_OK: 0, FLUSH_DISK_TIMEOUT: 0, FLUSH_SLAVE_TIMEOUT: 0, SLAVE_NOT_AVAILABLE: 0,
    errors: {timeout: 0, connection: 0, broker: {}}, retries: 0, dropped: 0,
  }
}

/** A new object with a + b; neither input is changed. */
export function addSendCounters(a: SendCounters, b: SendCounters): SendCounters {
  const sum = emptySendCounters()
  for (const status of SEND_STATUSES) sum[status] = a[status] + b[status]
  sum.errors.timeout = a.errors.timeout + b.errors.timeout
  sum.errors.connection = a.errors.connection + b.errors.connection
  sum.errors.broker = addByName(a.errors.broker, b.errors.broker)
  sum.retries = a.retries + b.retries
  sum.dropped = a.dropped + b.dropped
  return sum
}

/** Counts one broker error reply under its response code name. */
export function countBrokerError(c: SendCounters, codeName: string): void {
  c.errors.broker[codeName] = (c.errors.broker[codeName] ?? 0) + 1
}

export function totalErrors(c: SendCounters): number {
  let total = c.errors.timeout + c.errors.connection
  for (const n of Object.values(c.errors.broker)) total += n
  return total
}

/** Every send that got an answer with a SendStatus (the broker took the message, durably or not). */
export function totalStatuses(c: SendCounters): number {
  let total = 0
  for (const status of SEND_STATUSES) total += c[status]
  return total
}

function addByName(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const sum: Record<string, number> = {...a}
  for (const [name, n] of Object.entries(b)) sum[name] = (sum[name] ?? 0) + n
  return sum
}
