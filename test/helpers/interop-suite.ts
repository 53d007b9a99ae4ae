/**
 * The one interop suite body, run unchanged against a real Apache RocketMQ and against our embedded
 * broker: the same topic, the same seeded messages, the same verification (steps in
 * interop-run.ts). One cluster per test file, started in beforeAll; afterAll stops it and checks
 * that every process it ever started is gone.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, expect, it} from 'vitest'
import type {Cluster} from '../../src/cluster/cluster.js'
import {type InteropContext, InteropRun, MESSAGES_PER_MODE, ROUTE_WAIT_MS} from './interop-run.js'
import {checkAdminRequests} from './interop-admin.js'
import {alive} from './pids.js'

export type {InteropContext} from './interop-run.js'

export interface InteropSuiteOptions {
  /** 'rocketmq' or 'embedded': the prefix of the summary line. */
  label: string
  /** Tells two configurations of one target apart in logs and topic names (e.g. 'binary-headers'). */
  variant?: string
  makeCluster: (runDir: string) => Cluster
}

/** Registers the cluster lifecycle and the interop tests; returns a getter for extra tests. */
export function defineInteropSuite(opts: InteropSuiteOptions): () => InteropContext {
  const seed = Number(process.env.MQBENCH_INTEROP_SEED ?? (Date.now() % 2 ** 31))
  const tag = opts.variant === undefined ? opts.label : `${opts.label} ${opts.variant}`
  const pids: number[] = []
  let runDir: string | undefined
  let cluster: Cluster | undefined
  let run: InteropRun | undefined
  let clusterStartMs = 0

  beforeAll(async () => {
    console.log(`[${tag} interop] seed ${seed} (replay: MQBENCH_INTEROP_SEED=${seed})`)
    runDir = mkdtempSync(join(tmpdir(), `mqbench-interop-${opts.label}-`))
    cluster = opts.makeCluster(runDir)
    const began = performance.now()
    await cluster.start()
    clusterStartMs = Math.round(performance.now() - began)
    for (const n of cluster.nodes()) if (n.pid !== undefined) pids.push(n.pid)
    run = new InteropRun(cluster, seed, tag, opts.label)
  }, 240_000)

  afterAll(async () => {
    await run?.close()
    const began = performance.now()
    await cluster?.stop()
    const clusterStopMs = Math.round(performance.now() - began)
    console.log(`[${tag} interop] timings ${JSON.stringify({clusterStartMs, ...run?.timings, clusterStopMs})}`)
    if (runDir !== undefined) rmSync(runDir, {recursive: true, force: true})
    expect(pids.filter(alive), 'every cluster process is gone after stop()').toEqual([])
  }, 120_000)

  it('creates a 4-queue topic on the master and the namesrv routes it', () => run!.createTopic(), ROUTE_WAIT_MS + 10_000)
  it(`sends ${MESSAGES_PER_MODE} sync (JSON header) and ${MESSAGES_PER_MODE} async (ROCKETMQ header): every one SEND_OK`, () => run!.sendAll(), 240_000)
  it('pulls every queue from offset 0 with both header types and verifies every message bit-exact', () => run!.pullAndVerify(), 240_000)
  it('GET_MAX_OFFSET / GET_MIN_OFFSET agree with what was pulled, in both header types', () => run!.checkMinMaxOffsets())
  it('pulls at and past the end of a queue: NO_NEW_MSG at maxOffset, OFFSET_ILLEGAL beyond it', () => run!.pullPastTheEnd())
  it('commits consumer offsets with one header type and reads them back with both; HEART_BEAT accepted', () => run!.commitAndQueryOffsets())
  it('auto-creates a topic on first send through the borrowed TBW102 route', () => run!.autoCreateTopic(), ROUTE_WAIT_MS + 30_000)
  it('answers the admin tools\' requests (topic/consume stats, connections, config, lookups) in bodies our codecs read', () =>
    checkAdminRequests(run!.ctx), 60_000)

  return () => {
    if (run === undefined) throw new Error('interop context is only available once beforeAll has run')
    return run.ctx
  }
}
