/**
 * chaosRecord: the fault evidence the audit judges by. A broken-disk window is the span the disk
 * certainly failed — from the inject's answer to the heal's first step — so an ack that arrived
 * while a slow heal was still being reported (the disk already fixed) is not charged to the fault;
 * a power cut carries the last flush before it, start and synced offset.
 */
import {describe, expect, it} from 'vitest'
import type {FaultEvent} from '../../../src/chaos/fault-runner.js'
import {chaosBrokers, chaosRecord} from '../../../src/chaos/run-chaos.js'
import {resolveScenario} from '../../../src/scenario/builtin.js'
import {FakeCluster} from './faults/fake-context.js'

describe('chaosRecord', () => {
  it('a disk-eio window ends when its heal began, not when the heal was reported done', () => {
    const {scenario} = resolveScenario('disk-eio')
    const cluster = new FakeCluster(chaosBrokers(scenario))
    const events: FaultEvent[] = [{action: 'disk-eio', target: 'master', names: ['broker-a-0'], injectedMs: 1_000, healStartedMs: 3_000, healedMs: 3_400}]
    expect(chaosRecord(events, cluster, scenario).brokenDisks).toEqual([{fault: 'disk-eio', node: 'broker-a-0', fromMs: 1_000, toMs: 3_000}])
  })

  it('an event recorded without a heal start (an older record) still ends at healedMs', () => {
    const {scenario} = resolveScenario('disk-eio')
    const cluster = new FakeCluster(chaosBrokers(scenario))
    const events: FaultEvent[] = [{action: 'disk-eio', target: 'master', names: ['broker-a-0'], injectedMs: 1_000, healedMs: 3_400}]
    expect(chaosRecord(events, cluster, scenario).brokenDisks[0]!.toMs).toBe(3_400)
  })

  it('a power cut carries the start and synced offset of the last flush before it', () => {
    const {scenario} = resolveScenario('power-loss-faultfs')
    const cluster = new FakeCluster(chaosBrokers(scenario))
    cluster.lastFlushBefore = (_node: string, atMs: number) => ({startMs: atMs - 120, flushedOffset: 4096})
    const events: FaultEvent[] = [{action: 'power-loss', target: 'master', names: ['broker-a-0'], injectedMs: 5_000, healStartedMs: 6_000, healedMs: 7_000}]
    expect(chaosRecord(events, cluster, scenario).cuts).toEqual([{fault: 'power-loss', node: 'broker-a-0', atMs: 5_000, lastFlushStartMs: 4_880, lastFlushedOffset: 4096}])
  })
})
