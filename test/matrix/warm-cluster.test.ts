import {describe, expect, it} from 'vitest'
import {canShareCluster, onWarmCluster} from '../../src/matrix/warm-cluster.js'
import {resolveScenario} from '../../src/scenario/builtin.js'

const base = () => structuredClone(resolveScenario('sync-flush-sync-master').scenario)

describe('a rate search shares one cluster', () => {
  it('only on a real target it starts itself, with no fault to inject', () => {
    const s = base()
    expect(canShareCluster(s)).toBe(false) // embedded: a step's own cluster starts in ~0.5 s
    s.target = 'rocketmq'
    expect(canShareCluster(s)).toBe(true)
    expect(canShareCluster({...s, cluster: {...s.cluster, namesrv: '127.0.0.1:9876'}})).toBe(false)
    expect(canShareCluster({...s, faults: [{action: 'slow-fsync', target: 'master', at: 0, for: 1000, params: {delay: 10}}] as typeof s.faults})).toBe(false)
  })

  it('each step finds the cluster at its namesrv, on a topic of its own, without touching the base scenario', () => {
    const s = base()
    s.target = 'rocketmq'
    s.workload.warmup = 5000
    const a = onWarmCluster(s, '127.0.0.1:40001', 0)
    const b = onWarmCluster(s, '127.0.0.1:40001', 1)
    expect(a.cluster.namesrv).toBe('127.0.0.1:40001')
    expect([a.workload.topic, b.workload.topic]).toEqual([`${s.workload.topic}-step0`, `${s.workload.topic}-step1`])
    expect(a.workload.warmup).toBe(500)
    expect(s.cluster.namesrv).toBeUndefined()
    expect(s.workload.warmup).toBe(5000)
  })
})
