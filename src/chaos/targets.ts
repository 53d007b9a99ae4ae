/**
 * Fault targets as a scenario names them, resolved to concrete nodes or workers at the moment a fault
 * fires (a worker respawned by an earlier heal has the same name, so the same spec keeps working):
 *
 *   master            every master (brokerId 0)          slave        every slave (brokerId ≥ 1)
 *   broker:<node>     one broker node, e.g. broker-a-0   all-brokers  every broker node
 *   producer          one producer worker, chosen by the seeded random source; producer:<i> that one
 *   consumer          one consumer worker, likewise; consumer:<i>
 */
import type {ChaosBroker, ResolvedTarget, WorkerControl} from './fault-action.js'
import {MASTER_ID} from '../protocol/common/mix-all.js'

export const TARGET_FORMS = "master, slave, all-brokers, broker:<node>, producer[:<i>] or consumer[:<i>]"

export type TargetSpec =
  | {kind: 'broker'; select: 'master' | 'slave' | 'all'}
  | {kind: 'broker'; select: 'node'; node: string}
  | {kind: 'worker'; role: 'producer' | 'consumer'; index?: number}

/** undefined when the text is none of TARGET_FORMS. */
export function parseTarget(text: string): TargetSpec | undefined {
  if (text === 'master' || text === 'slave') return {kind: 'broker', select: text}
  if (text === 'all-brokers') return {kind: 'broker', select: 'all'}
  const node = /^broker:([A-Za-z0-9_-]+)$/.exec(text)
  if (node) return {kind: 'broker', select: 'node', node: node[1]!}
  const worker = /^(producer|consumer)(?::(\d{1,3}))?$/.exec(text)
  if (worker) {
    const role = worker[1] as 'producer' | 'consumer'
    return worker[2] === undefined ? {kind: 'worker', role} : {kind: 'worker', role, index: Number(worker[2])}
  }
  return undefined
}

/** Broker targets resolve statically (the node set never changes during a run). */
export function resolveBrokers(spec: TargetSpec & {kind: 'broker'}, brokers: ChaosBroker[]): string[] {
  switch (spec.select) {
    case 'master':
      return brokers.filter((b) => b.brokerId === MASTER_ID).map((b) => b.node)
    case 'slave':
      return brokers.filter((b) => b.brokerId > 0).map((b) => b.node)
    case 'all':
      return brokers.map((b) => b.node)
    case 'node':
      return brokers.some((b) => b.node === spec.node) ? [spec.node] : []
  }
}

export function resolveTarget(text: string, brokers: ChaosBroker[], workers: WorkerControl, random: () => number): ResolvedTarget {
  const spec = parseTarget(text)
  if (!spec) return {spec: text, kind: 'broker', names: []}
  if (spec.kind === 'broker') return {spec: text, kind: 'broker', names: resolveBrokers(spec, brokers)}
  const live = workers.names(spec.role)
  if (spec.index !== undefined) {
    const name = `${spec.role}-${spec.index}`
    return {spec: text, kind: 'worker', names: live.includes(name) ? [name] : []}
  }
  return {spec: text, kind: 'worker', names: live.length === 0 ? [] : [live[Math.floor(random() * live.length)]!]}
}
