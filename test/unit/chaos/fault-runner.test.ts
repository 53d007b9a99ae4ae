/**
 * FaultRunner against a fake Cluster and fake workers: the real kill and pause actions, planned
 * events run one at a time with their hold, every inject and heal recorded, finish() healing the
 * fault in progress at once, a failed inject recorded and skipped, a failed heal failing finish().
 */
import {describe, expect, it} from 'vitest'
import type {ChaosBroker, WorkerControl} from '../../../src/chaos/fault-action.js'
import {FaultRunner} from '../../../src/chaos/fault-runner.js'
import {faultAction} from '../../../src/chaos/faults/index.js'
import type {PlannedFault} from '../../../src/chaos/schedule.js'
import type {Cluster, ClusterNode} from '../../../src/cluster/cluster.js'
import {RunBrokenError} from '../../../src/errors.js'

const BROKERS: ChaosBroker[] = [
  {node: 'broker-a-0', brokerName: 'broker-a', brokerId: 0, brokerRole: 'SYNC_MASTER', flushDiskType: 'ASYNC_FLUSH', conf: {}},
  {node: 'broker-a-1', brokerName: 'broker-a', brokerId: 1, brokerRole: 'SLAVE', flushDiskType: 'ASYNC_FLUSH', conf: {}},
]

/** Records every call with its time since creation; `failing` makes one operation throw. */
class FakeCluster implements Cluster {

  lastFlushBefore(): undefined {
    return undefined
  }

  flusherSettings(): {flushIntervalCommitLog: number; flushCommitLogLeastPages: number; flushCommitLogThoroughInterval: number} {
    return {flushIntervalCommitLog: 500, flushCommitLogLeastPages: 4, flushCommitLogThoroughInterval: 10_000}
  }

  async commitLogDigest(): Promise<string | undefined> {
    return undefined
  }
  readonly namesrvAddr = '127.0.0.1:9876'
  readonly calls: string[] = []
  readonly up = new Map(BROKERS.map((b) => [b.node, true]))
  failing: string | undefined
  /** How long restart() takes (a broker coming back), for the heal's start/end times. */
  restartMs = 0
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  nodes(): ClusterNode[] {
    return BROKERS.map((b) => ({name: b.node, kind: 'broker', brokerName: b.brokerName, brokerId: b.brokerId, addr: `127.0.0.1:1${b.brokerId}`, pid: this.up.get(b.node) ? 100 + b.brokerId : undefined}))
  }
  private op(what: string, node: string): void {
    this.calls.push(`${what} ${node}`)
    if (this.failing === what) throw new Error(`${what} ${node} failed`)
  }
  async kill(node: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    this.op(`kill:${signal}`, node)
    this.up.set(node, false)
  }
  async pause(node: string): Promise<void> {
    this.op('pause', node)
  }
  async resume(node: string): Promise<void> {
    this.op('resume', node)
  }
  async restart(node: string): Promise<void> {
    this.op('restart', node)
    if (this.restartMs > 0) await new Promise((r) => setTimeout(r, this.restartMs))
    this.up.set(node, true)
  }
}

class FakeWorkers implements WorkerControl {
  readonly calls: string[] = []
  names(role: 'producer' | 'consumer'): string[] {
    return [`${role}-0`, `${role}-1`]
  }
  async kill(name: string): Promise<void> {
    this.calls.push(`kill ${name}`)
  }
  async respawn(name: string): Promise<void> {
    this.calls.push(`respawn ${name}`)
  }
}

function planned(type: string, target: string, atMs: number, forMs: number, overlap = false): PlannedFault {
  return {entry: 0, cycle: 0, atMs, forMs, action: faultAction(type)!, target, params: {}, overlap}
}

function setup(plan: PlannedFault[]) {
  const cluster = new FakeCluster()
  const workers = new FakeWorkers()
  const log: string[] = []
  const warned: string[] = []
  const seen: string[] = []
  let stopped = 0
  const loadStartMs = Date.now()
  const runner = new FaultRunner(plan, {cluster, workers, brokers: BROKERS, log: (l) => log.push(l), warn: (l) => warned.push(l)}, {
    loadStartMs, random: () => 0.99,
    onInject: (e) => seen.push(`inject ${e.action} ${e.names.join(',')}`),
    onHeal: (e) => seen.push(`heal ${e.action} ${e.names.join(',')}`),
    onStop: () => stopped++,
  })
  return {cluster, workers, runner, log, warned, seen, loadStartMs, stopped: () => stopped}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Polls (a loaded CI box may be slow) until every planned event has been healed. */
async function allHealed(runner: FaultRunner, n: number): Promise<void> {
  for (let i = 0; i < 500 && !(runner.events.length === n && runner.events.every((e) => e.healedMs !== undefined)); i++) await sleep(10)
}

describe('FaultRunner', () => {
  it('runs events one at a time: inject at its time, hold, heal; records epoch times', async () => {
    const t = setup([planned('kill', 'master', 20, 60), planned('pause', 'slave', 30, 40)])
    t.runner.start()
    await allHealed(t.runner, 2)
    const events = await t.runner.finish()
    expect(t.cluster.calls).toEqual(['kill:SIGKILL broker-a-0', 'restart broker-a-0', 'pause broker-a-1', 'resume broker-a-1'])
    expect(t.seen).toEqual(['inject kill broker-a-0', 'heal kill broker-a-0', 'inject pause broker-a-1', 'heal pause broker-a-1'])
    expect(events.map((e) => [e.action, e.target, e.names, e.error])).toEqual([['kill', 'master', ['broker-a-0'], undefined], ['pause', 'slave', ['broker-a-1'], undefined]])
    const [kill, pause] = events
    expect(kill!.injectedMs - t.loadStartMs).toBeGreaterThanOrEqual(20)
    expect(kill!.healedMs! - kill!.injectedMs).toBeGreaterThanOrEqual(60)
    // The pause was due at 30 ms but waited for the kill's heal: never two faults at once.
    expect(pause!.injectedMs).toBeGreaterThanOrEqual(kill!.healedMs!)
    expect(pause!.healedMs! - pause!.injectedMs).toBeGreaterThanOrEqual(40)
    expect(t.runner.skipped()).toEqual([])
    expect(t.stopped()).toBe(1)
  })

  it('records when the heal began as well as when it ended: a broken-disk window ends at the first, not after a slow heal', async () => {
    const t = setup([planned('kill', 'master', 10, 30)])
    t.cluster.restartMs = 80
    t.runner.start()
    await allHealed(t.runner, 1)
    const [kill] = await t.runner.finish()
    expect(kill!.healStartedMs! - kill!.injectedMs).toBeGreaterThanOrEqual(30)
    expect(kill!.healedMs! - kill!.healStartedMs!).toBeGreaterThanOrEqual(79)
  })

  it('an overlapping event is injected at its time while the earlier fault is held; the next plain one waits for both heals', async () => {
    const t = setup([planned('pause', 'slave', 0, 150), planned('kill', 'master', 30, 40, true), planned('pause', 'slave', 60, 20)])
    t.runner.start()
    await allHealed(t.runner, 3)
    const [pause, kill, second] = await t.runner.finish()
    expect(t.seen).toEqual([
      'inject pause broker-a-1', 'inject kill broker-a-0', 'heal kill broker-a-0', 'heal pause broker-a-1', 'inject pause broker-a-1', 'heal pause broker-a-1',
    ])
    expect(kill!.injectedMs).toBeLessThan(pause!.healedMs!)
    expect(kill!.injectedMs - t.loadStartMs).toBeGreaterThanOrEqual(30)
    expect(second!.injectedMs).toBeGreaterThanOrEqual(Math.max(pause!.healedMs!, kill!.healedMs!))
  })

  it('finish() heals every overlapping fault in progress at once', async () => {
    const t = setup([planned('pause', 'slave', 0, 60_000), planned('kill', 'master', 10, 60_000, true)])
    t.runner.start()
    for (let i = 0; i < 500 && t.runner.events.length < 2; i++) await sleep(10)
    const started = Date.now()
    const events = await t.runner.finish()
    expect(Date.now() - started).toBeLessThan(5000)
    expect(events.every((e) => e.healedMs !== undefined)).toBe(true)
    expect([...t.cluster.calls].sort()).toEqual(['kill:SIGKILL broker-a-0', 'pause broker-a-1', 'restart broker-a-0', 'resume broker-a-1'])
  })

  it('finish() heals the fault in progress at once and skips what was not due yet', async () => {
    const t = setup([planned('pause', 'slave', 0, 60_000), planned('kill', 'master', 100_000, 1000)])
    t.runner.start()
    await sleep(30)
    const started = Date.now()
    const events = await t.runner.finish()
    expect(Date.now() - started).toBeLessThan(5000)
    expect(t.cluster.calls).toEqual(['pause broker-a-1', 'resume broker-a-1'])
    expect(events).toHaveLength(1)
    expect(events[0]!.healedMs).toBeGreaterThanOrEqual(events[0]!.injectedMs)
    expect(t.runner.skipped().map((p) => p.action.type)).toEqual(['kill'])
  })

  it('a worker target resolves with the seeded random source; a killed consumer is respawned at heal, a producer is not', async () => {
    const t = setup([planned('kill', 'consumer', 0, 10), planned('kill', 'producer:0', 0, 10)])
    t.runner.start()
    await allHealed(t.runner, 2)
    await t.runner.finish()
    expect(t.workers.calls).toEqual(['kill consumer-1', 'respawn consumer-1', 'kill producer-0'])
    expect(t.cluster.calls).toEqual([])
  })

  it('a failed inject is recorded with its error, healed at once, and the schedule goes on', async () => {
    const t = setup([planned('pause', 'slave', 0, 10), planned('kill', 'broker:broker-z-9', 0, 10), planned('kill', 'master', 0, 10)])
    t.cluster.failing = 'pause'
    t.runner.start()
    await allHealed(t.runner, 3)
    const events = await t.runner.finish()
    expect(events.map((e) => e.error)).toEqual(['inject failed: pause broker-a-1 failed', "target 'broker:broker-z-9' matched nothing alive", undefined])
    for (const e of events) expect(e.healedMs).toBeDefined()
    expect(t.cluster.calls).toEqual(['pause broker-a-1', 'kill:SIGKILL broker-a-0', 'restart broker-a-0'])
    // Failures are warnings; the fault that did happen is a plain note.
    expect(t.warned).toEqual([
      'chaos: pause slave: inject failed: pause broker-a-1 failed', "chaos: kill broker:broker-z-9: target 'broker:broker-z-9' matched nothing alive",
    ])
    expect(t.log).toEqual(['chaos: kill master (broker-a-0)', 'chaos: healed kill master'])
  })

  it('a failed heal fails finish() with RunBrokenError naming the fault', async () => {
    const t = setup([planned('kill', 'master', 0, 10)])
    t.cluster.failing = 'restart'
    t.runner.start()
    await allHealed(t.runner, 1)
    await expect(t.runner.finish()).rejects.toThrow(RunBrokenError)
    await expect(t.runner.finish()).rejects.toThrow(/heal failed: kill master: restart broker-a-0 failed/)
    expect(t.runner.events[0]!.error).toBe('heal failed: restart broker-a-0 failed')
    expect(t.stopped()).toBeGreaterThanOrEqual(1)
  })

  it('abandon() stops without healing (the cluster is about to be stopped)', async () => {
    const t = setup([planned('pause', 'slave', 0, 60_000)])
    t.runner.start()
    await sleep(30)
    await t.runner.abandon()
    expect(t.cluster.calls).toEqual(['pause broker-a-1'])
    expect(t.runner.events[0]!.healedMs).toBeUndefined()
    expect(t.stopped()).toBe(1)
  })
})
