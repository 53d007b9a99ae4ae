/**
 * Losses a store recovery caused, by name. A broker that cut its CommitLog after an invalid record
 * (src/broker/store/recovery.ts) wrote what it cut to recovery.log, including every ConsumeQueue's end
 * after the cut. Queue offsets follow CommitLog order, so an acked message of that broker whose queue
 * offset is at or past its queue's end, acked before the recovery, was cut by it: the audit names it
 * "truncated by recovery at <file>:<offset>" instead of leaving it an unexplained loss.
 */
import type {RecordedRecovery} from '../recorder/audit-record.js'
import type {DeliveryLog} from '../recorder/ledger/delivery-log.js'
import type {ProducerLog} from '../recorder/ledger/producer-log.js'
import {storedLookup} from './loss-window.js'

/** One recovery of one broker node that cut or rebuilt something, and the SEND_OKs it took. */
export interface RecoveryLoss {
  node: string
  atMs: number
  abnormal: boolean
  /** "<file>:<offset>" of the cut, when there was one */
  truncatedAt?: string
  reason?: string
  truncatedBytes: number
  recordsBeyond: number
  quarantined: string[]
  consumeQueueRebuild?: string
  /** SEND_OK messages missing from the store and cut by this recovery */
  lost: number
  lostSamples: string[]
}

const SAMPLES = 10

/** A recovery's warning lines for the run's progress: what it cut, what that cost, where the cut bytes were kept. */
export function recoveryWarnings(r: RecoveryLoss): string[] {
  const lines: string[] = []
  if (r.truncatedAt) {
    lines.push(`${r.node}: recovery cut ${r.truncatedBytes} bytes (${r.recordsBeyond} well-formed records) at ${r.truncatedAt}: ` +
      `${r.reason}; ${r.lost} SEND_OK lost to it; kept in ${r.quarantined.join(', ')}`)
  }
  if (r.consumeQueueRebuild) lines.push(`${r.node}: ConsumeQueues rebuilt from the CommitLog (${r.consumeQueueRebuild})`)
  return lines
}

/** Attributes every lost SEND_OK to the first recovery after its ack that cut its queue position. */
export function recoveryLosses(
  topic: string,
  ledgers: Array<{log: ProducerLog; brokerNames: readonly string[]}>,
  drained: DeliveryLog,
  recoveries: RecordedRecovery[],
): RecoveryLoss[] {
  const out = recoveries.map(summary)
  if (!recoveries.some((r) => r.record.queueEnds)) return out
  const stored = storedLookup(drained)
  for (const {log, brokerNames} of ledgers) {
    for (let i = 0; i < log.length; i++) {
      const queueId = log.queueId(i)
      const queueOffset = log.queueOffset(i)
      if (!log.sendOk(i) || queueId === undefined || queueOffset === undefined) continue
      if (stored(log.producerId(i), log.seq(i))) continue
      const id = `${log.producerId(i)}:${log.seq(i)}`
      const nameIndex = log.brokerName(i)
      const broker = nameIndex === undefined ? undefined : brokerNames[nameIndex]
      const ackMs = log.ackOrIntendedMs(i)
      const k = recoveries.findIndex(({brokerName, record}) => brokerName === broker && record.atMs >= ackMs &&
        record.queueEnds !== undefined && queueOffset >= (record.queueEnds[`${topic}-${queueId}`] ?? 0))
      if (k < 0) continue
      out[k]!.lost++
      if (out[k]!.lostSamples.length < SAMPLES) out[k]!.lostSamples.push(`${id} truncated by recovery at ${out[k]!.truncatedAt}`)
    }
  }
  return out
}

function summary({node, record: r}: RecordedRecovery): RecoveryLoss {
  return {
    node, atMs: r.atMs, abnormal: r.abnormal,
    ...(r.truncatedAt ? {truncatedAt: `${r.truncatedAt.file}:${r.truncatedAt.offset}`, reason: r.truncatedAt.reason} : {}),
    truncatedBytes: r.truncatedBytes, recordsBeyond: r.recordsBeyond ?? 0, quarantined: (r.quarantined ?? []).map((q) => q.path),
    ...(r.consumeQueueRebuild ? {consumeQueueRebuild: r.consumeQueueRebuild} : {}),
    lost: 0, lostSamples: [],
  }
}
