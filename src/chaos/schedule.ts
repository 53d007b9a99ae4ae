/**
 * The fault schedule: the scenario's `faults:` entries expanded into concrete, time-ordered events
 * (ms since load start), every parameter validated before the cluster starts, all problems reported
 * at once. An entry fires once `at` a time, or `every` interval (plus seeded `jitter`) for `cycles`
 * cycles (default: as many as fit in the load); each event holds its fault `for` a while, then heals.
 * An event waits for the earlier faults' heal unless its entry says `overlap: true`.
 * The seed makes a schedule, including which producer "producer" picks, reproducible.
 */
import {seededRandom} from '../seeded-random.js'
import type {AnyFaultAction, ChaosBroker, ResolvedTarget} from './fault-action.js'
import {faultAction, FAULT_ACTIONS} from './faults/index.js'
import {parseTarget, resolveBrokers, TARGET_FORMS} from './targets.js'

/** One `faults:` entry, after the scenario schema resolved units to ms (structurally scenario's FaultSchema). */
export interface FaultSpec {
  action: string
  target: string
  at?: number
  every?: number
  jitter?: number
  for?: number
  cycles?: number
  /** Starts at its time even while earlier faults are still held (default: it waits for their heal). */
  overlap?: boolean
  params: Record<string, unknown>
}

export interface PlannedFault {
  /** Index of the scenario entry, and the cycle within it (0-based). */
  entry: number
  cycle: number
  atMs: number
  forMs: number
  action: AnyFaultAction
  target: string
  params: unknown
  /** Injected at atMs even if an earlier fault is still held (a slow HA link when the master's disk dies). */
  overlap: boolean
}

export interface FaultPlan {
  events: PlannedFault[]
  errors: string[]
}

export const DEFAULT_FAULT_HOLD_MS = 1000

function checkTarget(label: string, spec: FaultSpec, action: AnyFaultAction, params: unknown, brokers: ChaosBroker[]): string[] {
  const target = parseTarget(spec.target)
  if (!target) return [`${label}.target: expected ${TARGET_FORMS}, got '${spec.target}'`]
  if (!action.targetKinds.includes(target.kind)) {
    return [`${label}.target: ${spec.action} acts on ${action.targetKinds.join(' or ')} targets, got '${spec.target}'`]
  }
  if (target.kind === 'worker') return []
  const names = resolveBrokers(target, brokers)
  if (names.length === 0) return [`${label}.target: '${spec.target}' matches no broker (have: ${brokers.map((b) => b.node).join(', ')})`]
  const resolved: ResolvedTarget = {spec: spec.target, kind: 'broker', names}
  return action.validate(resolved, params, brokers).map((e) => `${label}: ${e}`)
}

function cycleTimes(label: string, spec: FaultSpec, loadMs: number, random: () => number, errors: string[]): number[] {
  const at = spec.at ?? spec.every ?? Math.round(loadMs / 3)
  const hold = spec.for ?? DEFAULT_FAULT_HOLD_MS
  if (spec.every === undefined) {
    if (spec.cycles !== undefined && spec.cycles > 1) errors.push(`${label}.cycles: repeating needs an 'every' interval`)
    return [at + (spec.jitter ? random() * spec.jitter : 0)]
  }
  if (spec.every <= hold + (spec.jitter ?? 0)) {
    errors.push(`${label}.every: expected more than for + jitter (${hold + (spec.jitter ?? 0)} ms), so a fault heals before the next`)
  }
  // Cycles that start before the load ends; one at the very end would only hit the drain.
  const fit = Math.max(1, Math.ceil((loadMs - at) / spec.every))
  const cycles = spec.cycles ?? fit
  if (spec.cycles !== undefined && spec.cycles > fit) {
    errors.push(`${label}.cycles: ${spec.cycles} cycles every ${spec.every} ms from ${at} ms do not fit in ${loadMs} ms of load (at most ${fit})`)
  }
  return Array.from({length: cycles}, (_, k) => at + k * spec.every! + (spec.jitter ? random() * spec.jitter : 0))
}

/** Validates every entry and expands it; events come sorted by time. */
export function planFaults(specs: FaultSpec[], opts: {loadMs: number; seed: number; brokers: ChaosBroker[]}): FaultPlan {
  const random = seededRandom(opts.seed)
  const errors: string[] = []
  const events: PlannedFault[] = []
  specs.forEach((spec, entry) => {
    const label = `faults[${entry}]`
    const action = faultAction(spec.action)
    if (!action) {
      errors.push(`${label}.action: expected one of ${[...FAULT_ACTIONS.keys()].join(', ')}, got '${spec.action}'`)
      return
    }
    const parsed = action.params.safeParse(spec.params ?? {})
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push(`${label}.params${issue.path.map((p) => `.${String(p)}`).join('')}: ${issue.message}`)
      return
    }
    errors.push(...checkTarget(label, spec, action, parsed.data, opts.brokers))
    const forMs = spec.for ?? DEFAULT_FAULT_HOLD_MS
    cycleTimes(label, spec, opts.loadMs, random, errors).forEach((atMs, cycle) => {
      events.push({entry, cycle, atMs: Math.round(atMs), forMs, action, target: spec.target, params: parsed.data, overlap: spec.overlap ?? false})
    })
  })
  events.sort((a, b) => a.atMs - b.atMs || a.entry - b.entry)
  return {events, errors}
}

/** --cycles N: every repeating entry runs N cycles, and the load grows to hold them (plus one interval to settle). */
export function loadMsForCycles(specs: FaultSpec[], loadMs: number, cycles: number): number {
  let need = loadMs
  for (const s of specs) {
    if (s.every === undefined) continue
    const at = s.at ?? s.every
    need = Math.max(need, at + cycles * s.every + (s.jitter ?? 0))
  }
  return need
}
