/**
 * After a run on master + slave: wait (bounded) until the slave has caught up, then, once the cluster is
 * stopped cleanly, hash both CommitLogs up to the master's max offset. Byte-identical logs are what
 * HA promises; reporting the digests lets a user see it rather than trust it.
 */
import {Admin} from '../client/admin.js'
import {MASTER_ID} from '../protocol/common/mix-all.js'
import {type Cluster, type ClusterNode, isUp} from './cluster.js'

/** result.json's replication section: both CommitLogs' digests up to the master's max offset. */
export interface ReplicationResult {
  commitLogIdentical: boolean
  masterSha256: string
  slaveSha256: string
  masterBytes: number
  slaveBytes: number
}

export interface ReplicaPair {
  master: ClusterNode
  slave: ClusterNode
  masterOffset: number
  slaveOffset: number
}

/** The first master/slave pair of the cluster, once the slave's offset reached the master's (or the deadline passed). */
export async function awaitReplicaCatchUp(cluster: Cluster, timeoutMs: number): Promise<ReplicaPair | undefined> {
  const brokers = cluster.nodes().filter((n) => n.kind === 'broker' && isUp(n))
  const master = brokers.find((n) => n.brokerId === MASTER_ID)
  const slave = brokers.find((n) => n.brokerId !== MASTER_ID && n.brokerName === master?.brokerName)
  if (!master || !slave) return undefined
  const admin = new Admin({timeoutMs: 3000})
  const deadline = Date.now() + timeoutMs
  try {
    for (;;) {
      const [masterOffset, slaveOffset] = await Promise.all([admin.maxPhyOffset(master.addr), admin.maxPhyOffset(slave.addr)])
      if ((masterOffset >= 0 && slaveOffset >= masterOffset) || Date.now() > deadline) return {master, slave, masterOffset, slaveOffset}
      await new Promise((r) => setTimeout(r, 100))
    }
  } finally {
    admin.shutdown()
  }
}

/** Run after the cluster stopped cleanly, so every byte is in the files; undefined when the cluster cannot read its stores. */
export async function compareCommitLogs(pair: ReplicaPair, cluster: Cluster): Promise<ReplicationResult | undefined> {
  const upTo = Math.max(pair.masterOffset, 0)
  const [masterSha256, slaveSha256] = await Promise.all([
    cluster.commitLogDigest(pair.master.name, upTo),
    cluster.commitLogDigest(pair.slave.name, Math.min(upTo, Math.max(pair.slaveOffset, 0))),
  ])
  if (masterSha256 === undefined || slaveSha256 === undefined) return undefined
  return {
    commitLogIdentical: pair.slaveOffset === pair.masterOffset && masterSha256 === slaveSha256,
    masterSha256, slaveSha256, masterBytes: pair.masterOffset, slaveBytes: pair.slaveOffset,
  }
}
