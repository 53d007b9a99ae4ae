/**
 * inject/heal of the fault plugins against a fake context: the disk faults' MQBENCH_FAULT bodies as a
 * loopback fault admin receives them (and a refusal failing the inject), the network faults' proxy
 * routes and fault sets, the process faults' cluster and worker calls, disk-loss on real directories.
 */
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {faultAction} from '../../../../src/chaos/faults/index.js'
import {RunBrokenError} from '../../../../src/errors.js'
import {ResponseCode} from '../../../../src/protocol/response-code.js'
import {broker, brokerTarget, FakeCluster, FakeFaultAdmin, FakeNetwork, FakeWorkers, fakeContext} from './fake-context.js'

async function injectHeal(type: string, raw: unknown, ctx: ReturnType<typeof fakeContext>, target = brokerTarget('broker-a-0')): Promise<void> {
  const a = faultAction(type)!
  const p = a.params.parse(raw)
  const h = await a.inject(ctx, target, p)
  expect(h.type).toBe(type)
  expect(h.target).toEqual(target)
  expect(h.injectedMs).toBeLessThanOrEqual(Date.now())
  await a.heal(ctx, h, p)
}

describe('disk faults over MQBENCH_FAULT', () => {
  const admins: FakeFaultAdmin[] = []
  let cluster: FakeCluster
  beforeAll(async () => {
    admins.push(await new FakeFaultAdmin().start(), await new FakeFaultAdmin().start())
    const addrs = new Map([['broker-a-0', admins[0]!.addr], ['broker-b-0', admins[1]!.addr]])
    cluster = new FakeCluster([broker('broker-a-0', 0), broker('broker-b-0', 0)], (b) => ({addr: addrs.get(b.node)!}))
  })
  afterAll(async () => {
    for (const a of admins) await a.stop()
  })

  it.each([
    ['disk-eio', {}, {set: [{kind: 'eio', op: 'both', files: 'commitlog'}]}, {clear: ['eio']}],
    ['slow-fsync', {delay: '1s', jitter: '100ms', files: 'all'}, {set: [{kind: 'slow-fsync', delayMs: 1000, jitterMs: 100, files: 'all'}]}, {clear: ['slow-fsync']}],
    ['torn-write', {}, {set: [{kind: 'torn-write', files: 'commitlog'}]}, {clear: ['torn-write']}],
    ['fsync-lie', {powerLossAtHeal: false}, {set: [{kind: 'fsync-lie', files: 'commitlog'}]}, {clear: ['fsync-lie']}],
  ])('%s: sets its fault on every target at inject and clears only its own kind at heal', async (type, raw, set, clear) => {
    for (const a of admins) a.bodies.length = 0
    await injectHeal(type, raw, fakeContext({cluster}), brokerTarget('broker-a-0', 'broker-b-0'))
    for (const a of admins) expect(a.bodies).toEqual([set, clear])
    expect(cluster.calls).toEqual([])
  })

  it('fsync-lie with powerLossAtHeal: heal is a power cut and restart, not a clear (the restarted broker has no fault)', async () => {
    admins[0]!.bodies.length = 0
    const c = new FakeCluster([broker('broker-a-0', 0)], () => ({addr: admins[0]!.addr}))
    await injectHeal('fsync-lie', {}, fakeContext({cluster: c}))
    expect(admins[0]!.bodies).toEqual([{set: [{kind: 'fsync-lie', files: 'commitlog'}]}])
    expect(c.calls).toEqual(['kill:SIGKILL broker-a-0', 'restart broker-a-0'])
  })

  it('a broker that refuses (fault injection off) fails the inject with its answer', async () => {
    admins[0]!.code = ResponseCode.NO_PERMISSION
    try {
      const a = faultAction('disk-eio')!
      const err = await a.inject(fakeContext({cluster}), brokerTarget('broker-a-0'), a.params.parse({})).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(RunBrokenError)
      expect((err as Error).message).toBe(`MQBENCH_FAULT to broker-a-0 answered ${ResponseCode.NO_PERMISSION}: fault injection is off`)
    } finally {
      admins[0]!.code = ResponseCode.SUCCESS
    }
  })

  it('an unknown node is an error, not a silent no-op', async () => {
    const a = faultAction('disk-eio')!
    await expect(a.inject(fakeContext({cluster}), brokerTarget('broker-z-0'), a.params.parse({}))).rejects.toThrow('disk fault: no node named broker-z-0')
  })
})

describe('network faults through the proxy control', () => {
  const cluster = new FakeCluster([broker('broker-a-0', 0), broker('broker-a-1', 1)])

  it.each([
    ['latency', {delay: '50ms', jitter: '5ms'}, {latencyMs: 50, jitterMs: 5}],
    ['bandwidth', {bytesPerSec: '1KiB'}, {bytesPerSec: 1024, direction: 'both'}],
    ['drop', {}, {drop: true}],
    ['blackhole', {}, {blackhole: true}],
    ['slow-close', {delay: '2s'}, {slowCloseMs: 2000}],
  ])('%s: the target\'s client route gets the fault set, and an empty set at heal', async (type, raw, faults) => {
    const net = new FakeNetwork()
    await injectHeal(type, raw, fakeContext({cluster, network: net}))
    expect(net.calls).toEqual([{routes: ['client:broker-a-0'], faults}, {routes: ['client:broker-a-0'], faults: {}}])
  })

  it('partition (link ha) on a master cuts every slave\'s HA route', async () => {
    const net = new FakeNetwork({'broker-a-0': ['broker-a-1', 'broker-a-2']})
    await injectHeal('partition', {}, fakeContext({cluster, network: net}))
    expect(net.calls).toEqual([
      {routes: ['ha:broker-a-1', 'ha:broker-a-2'], faults: {partition: true}},
      {routes: ['ha:broker-a-1', 'ha:broker-a-2'], faults: {}},
    ])
  })

  it('without a running proxy the inject fails and says so', async () => {
    const a = faultAction('latency')!
    await expect(a.inject(fakeContext({cluster}), brokerTarget('broker-a-0'), a.params.parse({delay: '5ms'}))).rejects.toThrow('no fault proxy is running')
  })
})

describe('process faults on the cluster and workers', () => {
  const two = (): FakeCluster => new FakeCluster([broker('broker-a-0', 0), broker('broker-a-1', 1)])

  it.each([
    ['kill', ['kill:SIGKILL broker-a-0', 'kill:SIGKILL broker-a-1', 'restart broker-a-0', 'restart broker-a-1']],
    ['power-loss', ['kill:SIGKILL broker-a-0', 'kill:SIGKILL broker-a-1', 'restart broker-a-0', 'restart broker-a-1']],
    ['pause', ['pause broker-a-0', 'pause broker-a-1', 'resume broker-a-0', 'resume broker-a-1']],
    ['restart', ['restart broker-a-0', 'restart broker-a-1']],
  ])('%s on brokers', async (type, calls) => {
    const c = two()
    await injectHeal(type, {}, fakeContext({cluster: c}), brokerTarget('broker-a-0', 'broker-a-1'))
    expect(c.calls).toEqual(calls)
  })

  it('kill on workers: a producer stays dead, a consumer is respawned at heal', async () => {
    const workers = new FakeWorkers()
    const c = two()
    await injectHeal('kill', {}, fakeContext({cluster: c, workers}), {spec: 'worker', kind: 'worker', names: ['producer-0', 'consumer-1']})
    expect(workers.calls).toEqual(['kill producer-0', 'kill consumer-1', 'respawn consumer-1'])
    expect(c.calls).toEqual([])
  })
})

describe('disk-loss on real store directories', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mqbench-disk-loss-unit-'))
  })
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  function stores(): FakeCluster {
    for (const n of ['broker-a-0', 'broker-a-1']) {
      mkdirSync(join(dir, n, 'commitlog'), {recursive: true})
      writeFileSync(join(dir, n, 'commitlog', '00000000000000000000'), `bytes of ${n}`)
    }
    return new FakeCluster([broker('broker-a-0', 0), broker('broker-a-1', 1)], (b) => ({storeDir: join(dir, b.node)}))
  }

  it('restoreFrom replica: the store is gone while down and rebuilt from the live slave before the restart', async () => {
    const c = stores()
    let seenAtRestart = ''
    c.onRestart = (n) => {
      seenAtRestart = readFileSync(join(dir, n, 'commitlog', '00000000000000000000'), 'utf8')
    }
    const a = faultAction('disk-loss')!
    const p = a.params.parse({})
    const h = await a.inject(fakeContext({cluster: c}), brokerTarget('broker-a-0'), p)
    expect(existsSync(join(dir, 'broker-a-0'))).toBe(false)
    await a.heal(fakeContext({cluster: c}), h, p)
    expect(c.calls).toEqual(['kill:SIGKILL broker-a-0', 'restart broker-a-0'])
    expect(seenAtRestart).toBe('bytes of broker-a-1')
  })

  it('restoreFrom empty: restarted with no store at all', async () => {
    const c = stores()
    const a = faultAction('disk-loss')!
    const p = a.params.parse({restoreFrom: 'empty'})
    const ctx = fakeContext({cluster: c})
    await a.heal(ctx, await a.inject(ctx, brokerTarget('broker-a-0'), p), p)
    expect(existsSync(join(dir, 'broker-a-0'))).toBe(false)
    expect(ctx.lines).toEqual(['disk-loss: broker-a-0 restarts with an empty store'])
  })
})
