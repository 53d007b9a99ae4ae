/**
 * What each master's store recoveries cut during the run (recovery.log beside its store), read
 * for the audit record so that the offline audit never opens a node's store. Slaves share the
 * master's brokerName but never acked a send, so only masters are read.
 */
import {readRecoveryRecords} from '../broker/store/recovery-record.js'
import {MASTER_ID} from '../protocol/common/mix-all.js'
import type {RecordedRecovery} from '../recorder/audit-record.js'
import type {ClusterNode} from './cluster.js'

export function readStoreRecoveries(nodes: ClusterNode[]): RecordedRecovery[] {
  return nodes
    .filter((n) => n.kind === 'broker' && n.brokerId === MASTER_ID && n.storeDir !== undefined && n.brokerName !== undefined)
    .flatMap((n) => readRecoveryRecords(n.storeDir!).map((record) => ({node: n.name, brokerName: n.brokerName!, record})))
    .sort((a, b) => a.record.atMs - b.record.atMs)
}
