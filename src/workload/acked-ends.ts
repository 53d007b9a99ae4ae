/**
 * Where each queue must end, by the producers' own SEND_OK results: a SEND_OK at queue offset n promises
 * the queue holds at least n + 1 entries. The drain keeps pulling (until its deadline) while a broker
 * reports less — a broker whose dispatch lags its acks (RocketMQ 5.3 SYNC_FLUSH dispatches only flushed
 * data; a restarted broker rebuilds its ConsumeQueues) would otherwise make acked messages look lost.
 */
import type {ProducerLog} from '../recorder/ledger/producer-log.js'

export function queueEndKey(brokerName: string, queueId: number): string {
  return `${brokerName}/${queueId}`
}

export function ackedQueueEnds(ledgers: ReadonlyArray<{log: ProducerLog; brokerNames: readonly string[]}>): Map<string, number> {
  const ends = new Map<string, number>()
  for (const {log, brokerNames} of ledgers) {
    for (let i = 0; i < log.length; i++) {
      if (!log.sendOk(i)) continue
      const queueId = log.queueId(i)
      const queueOffset = log.queueOffset(i)
      const nameIndex = log.brokerName(i)
      if (queueId === undefined || queueOffset === undefined || nameIndex === undefined) continue
      const name = brokerNames[nameIndex]
      if (name === undefined) continue
      const key = queueEndKey(name, queueId)
      ends.set(key, Math.max(ends.get(key) ?? 0, queueOffset + 1))
    }
  }
  return ends
}
