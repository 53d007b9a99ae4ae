/**
 * The outbox's relay after a crash: every entry still PENDING is sent again, synchronously and with
 * the same identity and body, and marked SUCCESS on SEND_OK; a failure leaves it PENDING for the
 * next start. Entries whose first send did reach the broker are stored twice — the outbox turns
 * "maybe lost" into "maybe duplicated", which consumers must absorb (idempotent consumer).
 */
import type {Message} from '../../client/message.js'
import type {SendResult} from '../../client/send-result.js'
import type {ProducerLedgerWriter} from '../../recorder/ledger/index.js'

import {crc32} from '../../protocol/crc32.js'
import {identityProperties} from '../message-identity.js'
import {classifySendError, outcomeOfStatus} from '../send-outcome.js'
import type {OutboxEntry, OutboxTable} from './outbox-table.js'

export interface CompensationReport {
  resent: number
  failed: number
}

export interface CompensateOptions {
  pending: OutboxEntry[]
  table: OutboxTable
  ledger: ProducerLedgerWriter
  runId: string
  topic: string
  send: (msg: Message) => Promise<SendResult>
  now: () => number
}

export async function compensateOutbox(o: CompensateOptions): Promise<CompensationReport> {
  const report: CompensationReport = {resent: 0, failed: 0}
  for (const e of o.pending) {
    const identity = {runId: o.runId, producerId: e.producerId, seq: e.seq, bodyCrc: crc32(e.body), intendedMs: e.intendedMs}
    const msg: Message = {topic: o.topic, body: e.body, keys: `${e.producerId}:${e.seq}`, properties: identityProperties(identity)}
    try {
      const r = await o.send(msg)
      o.ledger.outcome({
        producerId: e.producerId, seq: e.seq, outcome: outcomeOfStatus(r.status), retries: r.attempts - 1, queueId: r.queue.queueId,
        queueOffset: r.queueOffset, intendedMs: e.intendedMs, ackMs: o.now(),
      })
      if (r.status === 'SEND_OK') {
        o.table.success(e.producerId, e.seq)
        report.resent++
      } else {
        report.failed++
      }
    } catch (err) {
      const c = classifySendError(err)
      o.ledger.outcome({producerId: e.producerId, seq: e.seq, outcome: c.outcome, brokerCode: c.brokerCode, retries: c.attempts - 1, intendedMs: e.intendedMs, ackMs: o.now()})
      report.failed++
    }
  }
  o.ledger.flushSync()
  return report
}

