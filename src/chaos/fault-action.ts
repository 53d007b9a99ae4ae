/**
 * A fault is a registered plugin (style rule 10, after Jepsen's nemesis setup!/invoke!/teardown!):
 * it validates its parameters up front, describes itself in one line, injects against concrete
 * targets and returns a handle that is all heal() needs. Faults hold no state of their own, so one
 * registered instance serves every cycle of every run.
 */
import type {z} from 'zod'
import type {Cluster} from '../cluster/cluster.js'
import type {WorkerControl} from '../workload/worker-control.js'
import type {NetFaults} from './proxy/net-faults.js'

export type {WorkerControl}

/** Broker.conf view of one broker node, as the scenario configured it (power-loss needs pageCacheMode). */
export interface ChaosBroker {
  /** Cluster node name, '<brokerName>-<brokerId>'. */
  node: string
  brokerName: string
  brokerId: number
  brokerRole: string
  flushDiskType: string
  conf: Record<string, string | number | boolean>
}

/** The fault proxy in front of the brokers (chaos/proxy/fault-proxy-process.ts implements it). */
export interface NetworkControl {
  /** Route carrying clients to this broker node. */
  clientRoute(node: string): string
  /** Routes carrying this node's HA link: the slave's own, or every slave's of this master. */
  haRoutes(node: string): string[]
  setFaults(routes: string[], faults: NetFaults): Promise<void>
}

export interface FaultContext {
  cluster: Cluster
  workers: WorkerControl
  brokers: ChaosBroker[]
  log: (line: string) => void
  /** A fault that could not be injected or healed; log is used where absent. */
  warn?: (line: string) => void
  /** The fault proxy in front of every broker and HA link; present when the schedule has network faults. */
  network?: NetworkControl
}

/** The concrete things one fault instance acts on. */
export interface ResolvedTarget {
  /** As written in the scenario ('master', 'broker:broker-a-0', 'producer', ...). */
  spec: string
  kind: 'broker' | 'worker'
  /** Cluster node names or worker names. */
  names: string[]
}

export interface FaultHandle {
  type: string
  target: ResolvedTarget
  /** Epoch ms when the fault took effect (after the signal landed). */
  injectedMs: number
  /** Fault-specific detail that heal() needs (e.g. which nodes were actually down). */
  detail: Record<string, unknown>
}

export interface FaultAction<P = unknown> {
  readonly type: string
  readonly params: z.ZodType<P, z.ZodTypeDef, unknown>
  /** Target kinds this fault accepts; a mismatch is a scenario error, reported before the run. */
  readonly targetKinds: readonly ResolvedTarget['kind'][]
  describe(target: string, params: P): string
  /** Scenario-level preconditions (every problem at once); [] when the fault can run. */
  validate(target: ResolvedTarget, params: P, brokers: ChaosBroker[]): string[]
  inject(ctx: FaultContext, target: ResolvedTarget, params: P): Promise<FaultHandle>
  heal(ctx: FaultContext, handle: FaultHandle, params: P): Promise<void>
}

/** For the registry: the parameter type is erased once an action is looked up by its name. */
export type AnyFaultAction = FaultAction<any> // eslint-disable-line @typescript-eslint/no-explicit-any

export function handle(type: string, target: ResolvedTarget, detail: Record<string, unknown> = {}): FaultHandle {
  return {type, target, injectedMs: Date.now(), detail}
}
