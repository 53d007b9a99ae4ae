/** Builds synthetic ledgers for checker tests: a few calls describe what happened to each identity. */
import type {AuditInput} from '../../../src/audit/checker.js'
import type {DeliveryEntry} from '../../../src/recorder/ledger/delivery-ledger.js'
import {type ProducerLedgerEntry, SendOutcome} from '../../../src/recorder/ledger/producer-ledger.js'
import {DeliveryLog} from '../../../src/recorder/ledger/delivery-log.js'
import {ProducerLog} from '../../../src/recorder/ledger/producer-log.js'

export class History {
  readonly producers: ProducerLedgerEntry[][] = [[], []]
  readonly deliveries: DeliveryEntry[][] = [[], []]
  readonly drained: DeliveryEntry[] = []

  start(pid: number, seq: number): this {
    this.producers[pid % 2]!.push({kind: 'start', producerId: pid, seq, intendedMs: seq})
    return this
  }

  outcome(pid: number, seq: number, outcome: number = SendOutcome.SEND_OK): this {
    this.producers[pid % 2]!.push({kind: 'outcome', producerId: pid, seq, outcome, intendedMs: seq, ackMs: seq + 1})
    return this
  }

  /** START then OUTCOME, the normal pair. */
  sent(pid: number, seq: number, outcome: number = SendOutcome.SEND_OK): this {
    return this.start(pid, seq).outcome(pid, seq, outcome)
  }

  deliver(pid: number, seq: number, extra: Partial<DeliveryEntry> = {}, worker = 0): this {
    this.deliveries[worker]!.push(entry(pid, seq, extra))
    return this
  }

  drain(pid: number, seq: number, extra: Partial<DeliveryEntry> = {}): this {
    this.drained.push(entry(pid, seq, extra))
    return this
  }

  /** Sent with SEND_OK, delivered once, drained once from the master: an ok message. */
  healthy(pid: number, seq: number): this {
    return this.sent(pid, seq).deliver(pid, seq).drain(pid, seq)
  }

  input(): AuditInput {
    return {producers: this.producers.map((p) => ProducerLog.of(p)), deliveries: this.deliveries.map((d) => DeliveryLog.of(d)), drained: DeliveryLog.of(this.drained)}
  }
}

function entry(pid: number, seq: number, extra: Partial<DeliveryEntry>): DeliveryEntry {
  return {
    producerId: pid, seq, queueId: seq % 4, queueOffset: seq, brokerId: 0, reconsumeTimes: 0, crcOk: true,
    deliveredMs: seq + 2, bornMs: seq, storeMs: seq + 1, topic: 0, ...extra,
  }
}
