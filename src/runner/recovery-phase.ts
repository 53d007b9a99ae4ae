/**
 * After the audit: what each master's store recoveries cut during the run (recovery.log beside its
 * store), with the lost SEND_OKs each cut explains. Slaves share the master's brokerName but never
 * acked a send, so only masters are read.
 */
import type {DeliveryEntry} from '../audit/ledger/delivery-ledger.js'
import type {ProducerLedgerEntry} from '../audit/ledger/producer-ledger.js'
import {readRecoveries, recoveryLosses, type RecoveryLoss, type RecoveryNode} from '../audit/recovery-losses.js'
import type {ClusterNode} from '../cluster/cluster.js'

export function recoveryEvidence(
  nodes: ClusterNode[], topic: string, ledgers: Array<{entries: ProducerLedgerEntry[]; brokerNames: string[]}>, drained: DeliveryEntry[],
  warn: (msg: string) => void,
): RecoveryLoss[] {
  const masters: RecoveryNode[] = nodes
    .filter((n) => n.kind === 'broker' && n.brokerId === 0 && n.storeDir !== undefined && n.brokerName !== undefined)
    .map((n) => ({name: n.name, brokerName: n.brokerName!, storeDir: n.storeDir!}))
  const out = recoveryLosses(topic, ledgers, drained, readRecoveries(masters))
  for (const r of out) {
    if (r.truncatedAt) warn(`${r.node}: recovery cut ${r.truncatedBytes} bytes (${r.recordsBeyond} well-formed records) at ${r.truncatedAt}: ${r.reason}; ${r.lost} SEND_OK lost to it; kept in ${r.quarantined.join(', ')}`)
    if (r.consumeQueueRebuild) warn(`${r.node}: ConsumeQueues rebuilt from the CommitLog (${r.consumeQueueRebuild})`)
  }
  return out
}
