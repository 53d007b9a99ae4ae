/**
 * Where each queue must end, by the producers' own SEND_OK results: a SEND_OK at queue offset n promises
 * the queue holds at least n + 1 entries. The drain keeps pulling (until its deadline) while a broker
 * reports less — a broker whose dispatch lags its acks (RocketMQ 5.3 SYNC_FLUSH dispatches only flushed
 * data; a restarted broker rebuilds its ConsumeQueues) would otherwise make acked messages look lost.
 */
import {type ProducerLedgerEntry, SendOutcome} from '../recorder/ledger/producer-ledger.js'

export function queueEndKey(brokerName: string, queueId: number): string {
  return `${brokerName}/${queueId}`
}

export function ackedQueueEnds(ledgers: ReadonlyArray<{entries: ProducerLedgerEntry[]; brokerNames: readonly string[]}>): Map<string, number> {
  const ends = new Map<string, number>()
  for (const {entries, brokerNames} of ledgers) {
    for (const e of entries) {
      if (e.kind !== 'outcome' || e.outcome !== SendOutcome.SEND_OK) continue
      if (e.queueId === undefined || e.queueOffset === undefined || e.brokerName === undefined) continue
      const name = brokerNames[e.brokerName]
      if (name === undefined) continue
      const key = queueEndKey(name, e.queueId)
      ends.set(key, Math.max(ends.get(key) ?? 0, e.queueOffset + 1))
    }
  }
  return ends
}
