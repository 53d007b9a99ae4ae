/**
 * One real cluster for a whole rate search. Each step on a fresh JVM paid a start (5–10 s per JVM),
 * a warm-up from a cold JIT (up to a minute) and a stop: in a 20-minute matrix most of each cell's
 * search budget went there, and the max-rate column was a lower bound set by the budget. A search on
 * a real target whose steps need no control of the brokers (no fault schedule) therefore starts the
 * cell's cluster once, and runs every step against it as an existing cluster (`cluster.namesrv`),
 * each on its own topic so one step's final read does not page through the others' messages. Every
 * step still runs the JVM warm-up phase at its own rate (steady before it is measured); on a warm JVM
 * that takes seconds.
 *
 * The embedded broker starts in ~0.5 s and needs no JIT warm-up: its steps keep their own clusters.
 */
import {join} from 'node:path'
import {forRealBroker} from '../chaos/real-target.js'
import {createCluster} from '../cluster/create-cluster.js'
import type {Scenario} from '../scenario/schema.js'

/** A step's scenario on the shared cluster: the cluster found at its namesrv, the step's own topic, a short producer warm-up. */
export function onWarmCluster(step: Scenario, namesrvAddr: string, stepIndex: number): Scenario {
  const s = structuredClone(step)
  s.cluster.namesrv = namesrvAddr
  s.workload.topic = `${step.workload.topic}-step${stepIndex}`
  // The JVM warm-up phase still runs before the load; the producers' own warm-up only opens connections.
  s.workload.warmup = Math.min(s.workload.warmup, 500)
  return s
}

/** Whether a search over `scenario` can share one cluster: a real target the search starts itself, with no fault to inject. */
export function canShareCluster(scenario: Scenario): boolean {
  return scenario.target === 'rocketmq' && scenario.cluster.namesrv === undefined && scenario.faults.length === 0
}

/**
 * Starts the scenario's cluster under `dir`, calls `use` with its namesrv address, and stops the
 * cluster afterwards whatever happened (Ctrl-C included: `use` rejects, the finally still runs).
 */
export async function withWarmCluster<T>(scenario: Scenario, dir: string, use: (namesrvAddr: string) => Promise<T>): Promise<T> {
  // The same checks and broker.conf as a run on this target (a missing release is a ConfigError here).
  const real = forRealBroker(scenario).scenario
  const cluster = createCluster('rocketmq', join(dir, 'cluster'), real.cluster.clusterName, real.cluster.brokers, real.rocketmqVersion)
  try {
    await cluster.start()
    return await use(cluster.namesrvAddr)
  } finally {
    await cluster.stop()
  }
}
