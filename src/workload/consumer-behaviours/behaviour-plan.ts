/**
 * From the scenario's workload.consumer to the consumer groups a run starts: no behaviour → the one
 * plain group; one behaviour → the one group consuming that way; a list → one group per behaviour,
 * `<consumerGroup>-<behaviour>`, all on the same topic, so a run compares the practices on the same
 * messages. The orchestrator spawns `consumers` workers per group and audits each group apart (a
 * message consumed once by each of four groups is four "ok"s, not a duplicate).
 */
import {join} from 'node:path'
import type {ConsumerBehaviourConfig, ConsumerBehaviourName} from './consumer-behaviour.js'

export interface ConsumerSpec {
  behaviour: ConsumerBehaviourName | ConsumerBehaviourName[]
  failureRate: number
  /** ms */
  processTime: number
  maxReconsumeTimes: number
}

export interface BehaviourGroupPlan {
  consumerGroup: string
  /** undefined = plain pull consumer */
  behaviour?: ConsumerBehaviourConfig
}

/** `stateDir` holds each idempotent group's key table (shared by the group's workers and their restarts). */
export function behaviourGroups(consumerGroup: string, spec: ConsumerSpec | undefined, stateDir: string): BehaviourGroupPlan[] {
  if (spec === undefined) return [{consumerGroup}]
  const names = Array.isArray(spec.behaviour) ? spec.behaviour : [spec.behaviour]
  const sideBySide = Array.isArray(spec.behaviour)
  return names.map((name) => {
    const group = sideBySide ? `${consumerGroup}-${name}` : consumerGroup
    const behaviour: ConsumerBehaviourConfig = {
      name, failureRate: spec.failureRate, processMs: spec.processTime, maxReconsumeTimes: spec.maxReconsumeTimes,
    }
    if (name === 'idempotent') behaviour.idempotencyStorePath = join(stateDir, `${group}.idempotency`)
    return {consumerGroup: group, behaviour}
  })
}
