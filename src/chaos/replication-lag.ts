/**
 * Replication lag, measured rather than assumed: during a run with disk-loss faults, sample each
 * master's and its slave's CommitLog end (GET_BROKER_RUNTIME_INFO maxPhyOffset) every few tens of ms.
 * At a cut, the slave's last sampled end says which master bytes it lacked; the master samples say
 * since when the master had been writing them. Only messages appended (and so acked) after that
 * moment can be lost with the master's disk under ASYNC_MASTER.
 */
import type {ClusterNode} from '../cluster/cluster.js'
import {Admin} from '../client/admin.js'
import {MASTER_ID} from '../protocol/common/mix-all.js'

export const LAG_SAMPLE_INTERVAL_MS = 50

export interface LagSample {
  brokerName: string
  atMs: number
  masterOffset: number
  slaveOffset: number
}

/** What the samples say about one cut; times are epoch ms. */
export interface MeasuredLag {
  /** cut − the moment the master began writing the bytes the slave lacked at the last sample. */
  windowMs: number
  /** master − slave CommitLog end at the last sample before the cut. */
  lagBytes: number
  /** How long before the cut that sample was taken (bytes replicated after it are not credited). */
  sampleAgeMs: number
}

/**
 * The lag at `cutMs` for one broker group, or undefined without a usable sample. Conservative: the
 * window starts at the last master sample that had not yet reached the slave's end, so every byte the
 * slave lacked was appended after it.
 */
export function lagAtCut(samples: readonly LagSample[], brokerName: string, cutMs: number): MeasuredLag | undefined {
  const own = samples.filter((s) => s.brokerName === brokerName && s.atMs <= cutMs).sort((a, b) => a.atMs - b.atMs)
  const last = own[own.length - 1]
  if (last === undefined) return undefined
  let startMs = own[0]!.atMs
  for (const s of own) if (s.masterOffset <= last.slaveOffset) startMs = s.atMs
  // The slave is level with the last sample: only what the master wrote after it can be missing.
  if (last.slaveOffset >= last.masterOffset) startMs = last.atMs
  return {windowMs: cutMs - startMs, lagBytes: Math.max(0, last.masterOffset - last.slaveOffset), sampleAgeMs: cutMs - last.atMs}
}

interface Pair {
  brokerName: string
  master: string
  slave: string
}

/** Master/first-slave address pairs of the cluster's broker groups. */
export function replicaPairs(nodes: readonly ClusterNode[]): Pair[] {
  const pairs: Pair[] = []
  for (const m of nodes.filter((n) => n.kind === 'broker' && n.brokerId === MASTER_ID)) {
    const slave = nodes.filter((n) => n.kind === 'broker' && n.brokerName === m.brokerName && (n.brokerId ?? MASTER_ID) !== MASTER_ID)
      .sort((a, b) => (a.brokerId ?? 0) - (b.brokerId ?? 0))[0]
    if (slave && m.brokerName !== undefined) pairs.push({brokerName: m.brokerName, master: m.addr, slave: slave.addr})
  }
  return pairs
}

export class ReplicationLagSampler {
  readonly samples: LagSample[] = []
  private readonly admin = new Admin()
  private timer: NodeJS.Timeout | undefined
  private busy = false

  constructor(private readonly pairs: readonly Pair[], private readonly intervalMs = LAG_SAMPLE_INTERVAL_MS) {}

  start(): void {
    if (this.pairs.length === 0 || this.timer) return
    this.timer = setInterval(() => void this.sample(), this.intervalMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    this.admin.shutdown()
  }

  /** One round; a pair whose broker is down (mid-fault) is skipped, never an error. */
  private async sample(): Promise<void> {
    if (this.busy) return
    this.busy = true
    try {
      await Promise.all(this.pairs.map(async (p) => {
        // The slave first: a master sample taken after it can only be further ahead (conservative).
        const slaveOffset = await this.admin.maxPhyOffset(p.slave, this.intervalMs * 4).catch(() => -1)
        const atMs = Date.now()
        const masterOffset = await this.admin.maxPhyOffset(p.master, this.intervalMs * 4).catch(() => -1)
        if (slaveOffset >= 0 && masterOffset >= 0 && this.timer) this.samples.push({brokerName: p.brokerName, atMs, masterOffset, slaveOffset})
      }))
    } finally {
      this.busy = false
    }
  }
}
