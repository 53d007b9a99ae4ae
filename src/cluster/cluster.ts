/**
 * The seam between the runner/chaos rooms and whatever brokers a run uses: our embedded processes or a
 * real Apache RocketMQ. Every implementation runs each node as its own OS process, so a kill is a real
 * kill and a pause is a real SIGSTOP; the same contract test runs against each implementation.
 */

import type {BrokerRole, FlushDiskType} from '../protocol/common/broker-role.js'
import type {FlusherSettings} from '../recorder/audit-record.js'

export type {FlusherSettings}
import type {FaultFsMount} from './faultfs/faultfs-mount.js'
import type {LastFlush} from './flush-log.js'

/** RocketMQ's BrokerRole and FlushDiskType, spelled as in broker.conf (one definition, in the store config). */
export type {BrokerRole, FlushDiskType}

export interface ClusterNode {
  /** Stable node name used by kill/pause/resume/restart: 'namesrv' or '<brokerName>-<brokerId>'. */
  name: string
  kind: 'namesrv' | 'broker'
  brokerName?: string
  brokerId?: number
  /** Remoting address clients connect to, always loopback: '127.0.0.1:<port>'. */
  addr: string
  /** OS pid of the current incarnation; undefined while the node is down. */
  pid: number | undefined
  storeDir?: string
  /** A node of a cluster mqbench did not start (--namesrv): no pid is known, and it counts as up while its namesrv lists it. */
  external?: true
}

/** '<brokerName>-<brokerId>', as RocketMQ's own sample configs name broker-a-0 / broker-a-1. */
export function brokerNodeName(spec: {brokerName: string; brokerId: number}): string {
  return `${spec.brokerName}-${spec.brokerId}`
}

/** Whether a node runs now: our own have a pid; an existing cluster's are taken as listed. */
export function isUp(node: ClusterNode): boolean {
  return node.pid !== undefined || node.external === true
}

export interface Cluster {
  readonly namesrvAddr: string
  /** Starts every node and resolves once each one has reported readiness; rejects (and reaps) otherwise. */
  start(): Promise<void>
  /** Graceful stop (SIGTERM, SIGKILL after a grace period) of every node; idempotent. */
  stop(): Promise<void>
  nodes(): ClusterNode[]
  /** Sends `signal` (default SIGKILL) to one node; for terminating signals resolves once it is gone. */
  kill(node: string, signal?: NodeJS.Signals): Promise<void>
  /** SIGSTOP: the process keeps its sockets and memory but answers nothing. */
  pause(node: string): Promise<void>
  /** SIGCONT after pause(). */
  resume(node: string): Promise<void>
  /** Stops the node if it still runs, then starts it again with the same config, ports and store. */
  restart(node: string): Promise<void>
  /** The faultfs mount under a broker's store (conf storeFs: faultfs); undefined for a store on the local disk. */
  storeFs?(node: string): FaultFsMount | undefined
  /**
   * Questions about a broker's store that only the implementation can answer its own way (the
   * embedded broker reads its own files; a real RocketMQ knows its own defaults):
   * the last flush the store recorded before atMs (undefined when none or unknown),
   */
  lastFlushBefore(node: string, atMs: number): LastFlush | undefined
  /** the flusher settings in effect (defaults + the node's broker.conf), */
  flusherSettings(node: string): FlusherSettings
  /** sha256 of the node's CommitLog bytes [0, maxOffset) after a clean stop; undefined when this cluster cannot read them. */
  commitLogDigest(node: string, maxOffset: number): Promise<string | undefined>
}

/** One broker of a cluster, in RocketMQ's config vocabulary. */
export interface BrokerSpec {
  brokerName: string
  /** 0 for a master; ≥ 1 for a slave (RocketMQ refuses other combinations). */
  brokerId: number
  brokerRole: BrokerRole
  flushDiskType: FlushDiskType
  /** Extra broker.conf keys (RocketMQ spelling); they override the generated defaults. */
  extraConf?: Record<string, string | number | boolean>
}
