/**
 * The fault side of a run: validate the schedule before anything starts, run it during the load,
 * heal everything before the drain, and record what the loss-window verdicts need (fault types that
 * happened, cut times, the flush and the replication lag before each cut).
 */
import type {BrokenDisk, Cut, FaultOutcome, FlusherSettings} from '../recorder/audit-record.js'
import type {ChaosBroker, FaultContext, WorkerControl} from './fault-action.js'
import {type FaultEvent, FaultRunner} from './fault-runner.js'
import {onFaultFs} from './faults/faultfs-disk.js'
import {FaultProxyProcess, NETWORK_FAULT_TYPES, type NetworkControl} from './proxy/fault-proxy-process.js'
import {lagAtCut, replicaPairs, ReplicationLagSampler} from './replication-lag.js'
import {loadMsForCycles, planFaults, type PlannedFault} from './schedule.js'
import type {Cluster} from '../cluster/cluster.js'
import {brokerNodeName} from '../cluster/cluster.js'
import {ConfigError} from '../errors.js'
import type {Scenario} from '../scenario/schema.js'
import {seededRandom} from '../seeded-random.js'
import {MASTER_ID} from '../protocol/common/mix-all.js'

export interface ChaosPlan {
  events: PlannedFault[]
  brokers: ChaosBroker[]
  seed: number
}

export function chaosBrokers(scenario: Scenario): ChaosBroker[] {
  return scenario.cluster.brokers.map((b) => ({
    node: brokerNodeName(b), brokerName: b.brokerName, brokerId: b.brokerId, brokerRole: b.brokerRole, flushDiskType: b.flushDiskType, conf: b.conf,
  }))
}

/** Every schedule problem at once, as one ConfigError, before a single process starts. */
export function prepareChaos(scenario: Scenario, seed: number): ChaosPlan | undefined {
  if (scenario.faults.length === 0) return undefined
  const brokers = chaosBrokers(scenario)
  const plan = planFaults(scenario.faults, {loadMs: scenario.workload.duration, seed, brokers})
  if (plan.errors.length > 0) {
    throw new ConfigError(`scenario ${scenario.name}: ${plan.errors.join('; ')}`, {hint: 'see the faults section of the scenario'})
  }
  return {events: plan.events, brokers, seed}
}

/** --cycles N: every repeating fault runs N times; the load is lengthened when they would not fit. */
export function withCycles(scenario: Scenario, cycles: number): Scenario {
  const s = structuredClone(scenario)
  s.faults = s.faults.map((f) => (f.every === undefined ? f : {...f, cycles}))
  s.workload.duration = loadMsForCycles(s.faults, s.workload.duration, cycles)
  return s
}

export function startChaos(plan: ChaosPlan, cluster: Cluster, workers: WorkerControl, loadStartMs: number, hooks: {
  log: (line: string) => void; warn: (line: string) => void; onFault: (kind: 'inject' | 'heal', e: FaultEvent) => void; network?: NetworkControl
}): FaultRunner {
  const ctx: FaultContext = {cluster, workers, brokers: plan.brokers, log: hooks.log, warn: hooks.warn, ...(hooks.network && {network: hooks.network})}
  // A disk loss under replication is judged against the lag measured at the cut, so watch it all along.
  const sampler = plan.events.some((e) => e.action.type === 'disk-loss') ? new ReplicationLagSampler(replicaPairs(cluster.nodes())) : undefined
  const nodeGroup = new Map(plan.brokers.map((b) => [b.node, b.brokerName]))
  const runner = new FaultRunner(plan.events, ctx, {
    loadStartMs, random: seededRandom(plan.seed ^ 0x5eed),
    onInject: (e) => {
      const group = nodeGroup.get(e.names[0] ?? '')
      if (sampler && e.action === 'disk-loss' && group !== undefined) {
        const lag = lagAtCut(sampler.samples, group, e.injectedMs)
        if (lag) e.replicationLag = lag
      }
      hooks.onFault('inject', e)
    },
    onHeal: (e) => hooks.onFault('heal', e),
    onStop: () => sampler?.stop(),
  })
  sampler?.start()
  runner.start()
  return runner
}

/** Fault types that actually happened (a failed inject promises nothing). */
export function injectedFaultTypes(events: FaultEvent[]): string[] {
  return [...new Set(events.filter((e) => !e.error?.startsWith('inject') && e.names.length > 0).map((e) => e.action))]
}

const seconds = (ms: number): number => Math.round(ms) / 1000

/** Each fault that fired, for the weak-run checks: did it hit a live target, and what did a power cut find unsynced. */
export function faultOutcomes(events: FaultEvent[], loadStartMs: number): FaultOutcome[] {
  return events.map((e) => ({
    action: e.action, target: e.target, injected: e.names.length > 0 && !e.error?.startsWith('inject') && !e.error?.includes('matched nothing'),
    ...(e.unsyncedBytes === undefined ? {} : {unsyncedBytes: e.unsyncedBytes}),
    ...(e.healedMs === undefined ? {} : {windowS: {from: seconds((e.startedMs ?? e.injectedMs) - loadStartMs), to: seconds(e.healedMs - loadStartMs)}}),
  }))
}

/** The cuts (power loss, disk loss) with the flush and replication lag seen before each, for the audit record. */
export function chaosRecord(events: FaultEvent[], cluster: Cluster, scenario: Scenario): {cuts: Cut[]; flusher: FlusherSettings; brokenDisks: BrokenDisk[]} {
  const cuts: Cut[] = []
  const brokenDisks: BrokenDisk[] = []
  const brokers = chaosBrokers(scenario)
  for (const e of events) {
    if ((e.action === 'disk-eio' || e.action === 'disk-full') && !e.error?.startsWith('inject')) {
      // Only where every write and fsync fails for the whole window: EIO, or ENOSPC from faultfs. On a
      // really full loop image the kernel still lets a write into blocks the file already has (and its
      // fsync) succeed, so an ack there is honest and the window would charge it.
      for (const node of e.names.filter((n) => e.action === 'disk-eio' || onFaultFs(brokers, n))) {
        // The window the disk certainly failed: from the inject's answer to the heal's first step (an ack
        // while the clear was on its way, or before healedMs was taken, is honest).
        brokenDisks.push({fault: e.action, node, fromMs: e.injectedMs, toMs: e.healStartedMs ?? e.healedMs ?? Date.now()})
      }
    }
    if ((e.action !== 'power-loss' && e.action !== 'disk-loss') || e.error?.startsWith('inject')) continue
    for (const name of e.names) {
      const flush = e.action === 'power-loss' ? cluster.lastFlushBefore(name, e.injectedMs) : undefined
      const cut: Cut = {fault: e.action, node: name, atMs: e.injectedMs, lastFlushStartMs: flush?.startMs}
      if (flush) cut.lastFlushedOffset = flush.flushedOffset
      if (e.replicationLag) cut.replicationLag = e.replicationLag
      cuts.push(cut)
    }
  }
  const master = scenario.cluster.brokers.find((b) => b.brokerId === MASTER_ID)!
  return {cuts, flusher: cluster.flusherSettings(brokerNodeName(master)), brokenDisks}
}

/**
 * Network faults need the fault proxy in front of the brokers before they start: spawn it, and give
 * each broker the keys that route its clients and its HA link through it.
 */
export async function startFaultProxy(scenario: Scenario, plan: ChaosPlan | undefined, runDir: string): Promise<{proxy: FaultProxyProcess; scenario: Scenario} | undefined> {
  if (!plan || !plan.events.some((e) => NETWORK_FAULT_TYPES.has(e.action.type))) return undefined
  // A real broker's client link goes through the proxy only when a fault acts on it (it registers another address then).
  const clientFault = plan.events.some((e) => NETWORK_FAULT_TYPES.has(e.action.type) && (e.params as {link?: string}).link === 'client')
  const clientLinks = scenario.target === 'embedded' ? 'register' : clientFault ? 'alias' : 'none'
  const proxy = await FaultProxyProcess.start({runDir, seed: plan.seed, brokers: plan.brokers, clientLinks})
  const routed = structuredClone(scenario)
  for (const b of routed.cluster.brokers) Object.assign(b.conf, proxy.conf.get(brokerNodeName(b)) ?? {})
  return {proxy, scenario: routed}
}
