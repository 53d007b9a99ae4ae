/**
 * The faultfs mechanism of the disk faults: which brokers get it, the control lines a fault request
 * becomes, and the order of a power cut (SIGKILL first, then the file system drops what it holds).
 */
import {describe, expect, it} from 'vitest'
import type {ChaosBroker, FaultContext} from '../../../../src/chaos/fault-action.js'
import {faultAction} from '../../../../src/chaos/faults/index.js'
import {controlLines} from '../../../../src/chaos/faults/faultfs-disk.js'
import type {FaultFsCutReport} from '../../../../src/cluster/faultfs/faultfs-control.js'
import type {FaultFsMount} from '../../../../src/cluster/faultfs/faultfs-mount.js'
import {broker, brokerTarget, FakeCluster, FakeWorkers} from './fake-context.js'

const ON_FAULTFS = {storeFs: 'faultfs', pageCacheMode: 'os'}

function cutReport(droppedBytes: number): FaultFsCutReport {
  return {droppedBytes, droppedFiles: droppedBytes > 0 ? 1 : 0, keptBytes: 0, undoneMetaOps: 0, fsyncs: 10, fsyncsPerSec: 5, torn: false, seed: 0}
}

/** A cluster whose faultfs brokers have a recording fake mount; every call lands in one ordered list. */
function setup(brokers: ChaosBroker[], droppedBytes = 4096): {ctx: FaultContext; calls: string[]; notes: string[]; warnings: string[]} {
  const cluster = new FakeCluster(brokers)
  const calls = cluster.calls
  const mount = (node: string) => ({
    command: async (line: string) => void calls.push(`faultfs ${node}: ${line}`),
    cut: async (seed?: number) => {
      calls.push(`faultfs ${node}: cut${seed === undefined ? '' : ` torn=${seed}`}`)
      return cutReport(droppedBytes)
    },
  }) as unknown as FaultFsMount
  const mounts = new Map(brokers.filter((b) => b.conf['storeFs'] === 'faultfs').map((b) => [b.node, mount(b.node)]))
  Object.assign(cluster, {storeFs: (n: string) => mounts.get(n)})
  const notes: string[] = []
  const warnings: string[] = []
  return {ctx: {cluster, workers: new FakeWorkers(), brokers, log: (l) => notes.push(l), warn: (l) => warnings.push(l)}, calls, notes, warnings}
}

describe('faultfs as the disk faults\' mechanism', () => {
  it('turns a fault request into control lines, heal first, CommitLog scope as match=commitlog/', () => {
    expect(controlLines({clear: ['eio'], set: [{kind: 'eio', op: 'fsync', files: 'commitlog'}]})).toEqual(['heal eio', 'eio op=fsync match=commitlog/'])
    expect(controlLines({set: [{kind: 'slow-fsync', delayMs: 200, jitterMs: 20, files: 'all'}]})).toEqual(['slow-fsync delayMs=200 jitterMs=20'])
    expect(controlLines({set: [{kind: 'fsync-lie'}, {kind: 'torn-write', files: 'all'}, {kind: 'enospc', files: 'all'}]})).toEqual(['fsync-lie match=commitlog/', 'torn-write', 'enospc'])
    expect(controlLines({clear: true})).toEqual(['heal'])
  })

  it('power-loss on faultfs: SIGKILL, then the cut; its accounting is logged, a cut with nothing unsynced warns', async () => {
    const a = faultAction('power-loss')!
    const brokers = [broker('broker-a-0', 0, ON_FAULTFS)]
    expect(a.validate(brokerTarget('broker-a-0'), a.params.parse({torn: true}), brokers)).toEqual([])
    const {ctx, calls, notes, warnings} = setup(brokers)
    const h = await a.inject(ctx, brokerTarget('broker-a-0'), a.params.parse({torn: true, tornSeed: 9}))
    await a.heal(ctx, h, a.params.parse({}))
    expect(calls).toEqual(['kill:SIGKILL broker-a-0', 'faultfs broker-a-0: cut torn=9', 'restart broker-a-0'])
    expect(notes.join('\n')).toMatch(/power cut on broker-a-0 \(faultfs\): dropped 4(\.0)? ?KiB unsynced in 1 file/)
    expect(warnings).toEqual([])
    const weak = setup(brokers, 0)
    await a.inject(weak.ctx, brokerTarget('broker-a-0'), a.params.parse({}))
    expect(weak.warnings).toEqual(['power cut on broker-a-0: nothing was unsynced at the cut, so this cut proved little (a weak run)'])
  })

  it('power-loss refuses torn without faultfs, and a broker with neither faultfs nor the volatile cache', () => {
    const a = faultAction('power-loss')!
    expect(a.validate(brokerTarget('broker-a-0'), a.params.parse({torn: true}), [broker('broker-a-0', 0, {pageCacheMode: 'volatile'})])).toEqual([
      'power-loss on broker-a-0: torn: true needs broker conf storeFs: faultfs (the volatile cache tears with pageCacheWriteback: random)',
    ])
    expect(a.validate(brokerTarget('broker-a-0'), a.params.parse({}), [broker('broker-a-0', 0)])).toEqual([
      'power-loss on broker-a-0: expected broker conf pageCacheMode: volatile or storeFs: faultfs (with neither a SIGKILL loses nothing unsynced)',
    ])
  })

  it('disk faults on faultfs need no mqbenchFaultInjection and go to the file system, not the broker', async () => {
    const brokers = [broker('broker-a-0', 0, ON_FAULTFS)]
    const {ctx, calls} = setup(brokers)
    for (const [type, params] of [['disk-eio', {op: 'write'}], ['slow-fsync', {delay: '50ms'}], ['torn-write', {}]] as const) {
      const a = faultAction(type)!
      const p = a.params.parse(params)
      expect(a.validate(brokerTarget('broker-a-0'), p, brokers)).toEqual([])
      await a.heal(ctx, await a.inject(ctx, brokerTarget('broker-a-0'), p), p)
    }
    expect(calls).toEqual([
      'faultfs broker-a-0: eio op=write match=commitlog/', 'faultfs broker-a-0: heal eio',
      'faultfs broker-a-0: slow-fsync delayMs=50 jitterMs=0 match=commitlog/', 'faultfs broker-a-0: heal slow-fsync',
      'faultfs broker-a-0: torn-write match=commitlog/', 'faultfs broker-a-0: heal torn-write',
    ])
  })

  it('fsync-lie on faultfs: the lie, then at heal SIGKILL, the cut that drops the "synced" bytes, a restart', async () => {
    const a = faultAction('fsync-lie')!
    const brokers = [broker('broker-a-0', 0, ON_FAULTFS)]
    expect(a.validate(brokerTarget('broker-a-0'), a.params.parse({}), brokers)).toEqual([])
    const {ctx, calls} = setup(brokers)
    await a.heal(ctx, await a.inject(ctx, brokerTarget('broker-a-0'), a.params.parse({})), a.params.parse({}))
    expect(calls).toEqual(['faultfs broker-a-0: fsync-lie match=commitlog/', 'kill:SIGKILL broker-a-0', 'faultfs broker-a-0: cut', 'restart broker-a-0'])
  })

  it('disk-full on faultfs: ENOSPC from the file system, no loop image, no root check', async () => {
    const a = faultAction('disk-full')!
    const brokers = [broker('broker-a-0', 0, ON_FAULTFS)]
    const p = a.params.parse({})
    expect(a.validate(brokerTarget('broker-a-0'), p, brokers)).toEqual([])
    const {ctx, calls} = setup(brokers)
    await a.heal(ctx, await a.inject(ctx, brokerTarget('broker-a-0'), p), p)
    expect(calls).toEqual(['faultfs broker-a-0: enospc', 'faultfs broker-a-0: heal enospc'])
  })
})
