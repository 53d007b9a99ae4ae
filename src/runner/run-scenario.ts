/**
 * One run, in phases: prepare → cluster → topic → workers (warm-up, load) → drain → audit → result.
 * Whatever happens (failure, Ctrl-C via the abort signal) every process started here is stopped and a
 * result — possibly partial — is written to the run directory.
 */
import type {Cluster} from '../cluster/cluster.js'
import {EmbeddedCluster} from '../cluster/embedded-cluster.js'
import {RocketMQCluster} from '../cluster/rocketmq-cluster.js'
import {RunBrokenError, toMqbenchError} from '../errors.js'
import {initHistograms} from '../metrics/histograms.js'
import type {ReplicationResult, RunResult, RunStatus} from '../report/run-result.js'
import {writeResult} from '../report/result-file.js'
import type {Scenario} from '../scenario/schema.js'
import {ackedQueueEnds} from '../audit/acked-ends.js'
import {auditLedgers, drainMessages, readProducerLedgers} from './audit-phase.js'
import {awaitReplicaCatchUp, compareCommitLogs, type ReplicaPair} from './replication-check.js'
import {checkEmbeddedBrokerConfs} from './broker-conf-check.js'
import {LoadMetrics, type LoadTotals} from './load-metrics.js'
import {buildResult} from './result-builder.js'
import {LatencyLogs, writeRunReports} from './run-reports.js'
import {parseThresholds} from '../report/thresholds.js'
import {createRunDir, writeJson, type RunDir} from './run-dir.js'
import {RunEvents} from './run-events.js'
import {forRealBroker} from './real-target.js'
import {createRunTopic, waitForRoute} from './topic-setup.js'
import {plannedWorkers, WorkerFleet} from './worker-fleet.js'
import {consumptionAudit, type ConsumptionAudit} from './consumption-phase.js'
import {awaitGroupsCaughtUp} from './consumer-lag.js'
import type {CheckResult} from '../audit/checker.js'
import type {TimelinePoint} from '../metrics/timeline.js'
import type {FaultEvent, FaultRunner} from '../chaos/fault-runner.js'
import type {LossEvidence} from '../audit/loss-window.js'
import {faultRecords, injectedFaultTypes, lossEvidence, prepareChaos, startChaos, startFaultProxy} from './chaos-phase.js'

export interface RunOptions {
  scenario: Scenario
  scenarioFile: string
  outDir: string
  events?: RunEvents
  /** Aborting (Ctrl-C) stops the load, reaps every child and yields a partial result with status 'interrupted'. */
  signal?: AbortSignal
}

export interface RunOutcome {
  result: RunResult
  resultPath: string
}

function buildCluster(scenario: Scenario, runDir: RunDir): Cluster {
  const brokers = scenario.cluster.brokers.map((b) => ({
    brokerName: b.brokerName, brokerId: b.brokerId, brokerRole: b.brokerRole, flushDiskType: b.flushDiskType, extraConf: b.conf,
  }))
  const opts = {runDir: runDir.clusterDir, brokers, clusterName: scenario.cluster.clusterName}
  return scenario.target === 'rocketmq' ? new RocketMQCluster({...opts, version: scenario.rocketmqVersion}) : new EmbeddedCluster(opts)
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RunBrokenError('interrupted', {hint: 'the partial result is in the run directory'})
}

export async function runScenario(opts: RunOptions): Promise<RunOutcome> {
  const {signal} = opts
  const events = opts.events ?? new RunEvents()
  // Before any check: a real broker's power cuts and disk faults come from faultfs, or are refused.
  const real = forRealBroker(opts.scenario)
  const scenario = real.scenario
  checkEmbeddedBrokerConfs(scenario, opts.scenarioFile)
  // A threshold typo is exit 2 now, not a surprise after the whole run.
  const thresholds = parseThresholds(scenario.thresholds)
  const seed = scenario.seed ?? (Date.now() % 2 ** 31)
  // A fault schedule that cannot run here (bad params, disk-full without root) is refused before anything is created.
  const chaos = prepareChaos(scenario, seed)
  const startedAt = new Date()
  const runDir = createRunDir(opts.outDir, scenario.name, startedAt)
  writeJson(`${runDir.root}/scenario.json`, scenario)
  const network = await startFaultProxy(scenario, chaos, runDir.root)
  const cluster = buildCluster(network?.scenario ?? scenario, runDir)
  const w = scenario.workload
  let fleet: WorkerFleet | undefined
  let metrics: LoadMetrics | undefined
  let totals: LoadTotals | undefined
  let audit: CheckResult | undefined
  let consumption: ConsumptionAudit | undefined
  let timeline: TimelinePoint[] = []
  let faultRunner: FaultRunner | undefined
  let faultEvents: FaultEvent[] = []
  let evidence: LossEvidence | undefined
  let replicas: ReplicaPair | undefined
  let replication: ReplicationResult | undefined
  let status: RunStatus = 'completed'
  let failure: unknown
  try {
    events.emit('phase', 'prepare', `run ${runDir.runId} in ${runDir.root} (seed ${seed})`)
    for (const note of real.notes) events.emit('note', note)
    await initHistograms()
    events.emit('phase', 'cluster', `starting ${scenario.cluster.brokers.length} broker(s) + namesrv (${scenario.target})`)
    await cluster.start()
    await network?.proxy.pointRoutes(cluster.nodes())
    throwIfAborted(signal)
    await createRunTopic(cluster, scenario)
    await waitForRoute(cluster.namesrvAddr, w.topic, w.queues, 30_000)
    throwIfAborted(signal)
    const logs = new LatencyLogs(runDir.root, () => fleet?.loadStartMs ?? Date.now(), (msg) => events.emit('warning', msg))
    const m = (metrics = new LoadMetrics(plannedWorkers(scenario, runDir), logs))
    const loadStart = Date.now()
    fleet = new WorkerFleet({scenario, runDir, runId: runDir.runId, namesrvAddr: cluster.namesrvAddr, seed}, (tick) => {
      const point = m.addTick(tick)
      if (point) {
        events.emit('tick', {
          elapsedS: (Date.now() - loadStart) / 1000, phase: 'load', sendTps: point.sendTps, consumeTps: point.consumeTps,
          sendP99Ms: point.sendP99Ms, errors: point.errors,
        })
      }
    })
    events.emit('phase', 'warmup', `${w.producers} producer(s), ${w.consumers} consumer(s); warm-up ${w.warmup} ms`)
    await fleet.start()
    const loadStartMs = fleet.loadStartMs
    if (chaos) {
      faultRunner = startChaos(chaos, cluster, fleet, loadStartMs, {
        log: (line) => events.emit('note', line), warn: (line) => events.emit('warning', line), ...(network && {network: network.proxy}),
        onFault: (kind, e) => events.emit('fault', {
          kind, action: e.action, target: e.target, atS: ((kind === 'inject' ? e.injectedMs : e.healedMs ?? Date.now()) - loadStartMs) / 1000,
          ...(e.error ? {error: e.error} : {}),
        }),
      })
      faultEvents = faultRunner.events
    }
    events.emit('phase', 'load', `${w.rate || 'max'} msg/s for ${w.duration} ms${chaos ? `, ${chaos.events.length} fault(s) scheduled` : ''}`)
    for (const d of await abortable(fleet.producersDone(w.warmup + w.duration + w.sendMsgTimeout + 30_000), signal)) m.addDone(d)
    if (faultRunner) {
      events.emit('phase', 'heal', 'healing every fault, restarting what is down')
      faultEvents = await abortable(faultRunner.finish(), signal)
      await waitForRoute(cluster.namesrvAddr, w.topic, w.queues, 30_000)
    }
    events.emit('phase', 'drain', 'producers done; consumers draining')
    if (w.consumer) {
      // Behaviour groups consume %RETRY% too: stop them only once retries sent back late were consumed.
      const groups = fleet.groups.map((g) => g.consumerGroup)
      const lag = await abortable(awaitGroupsCaughtUp({namesrvAddr: cluster.namesrvAddr, topic: w.topic, groups, deadlineMs: Date.now() + w.drainTimeout}), signal)
      if (!lag.caughtUp) events.emit('warning', `consumer groups still ${lag.lag} message(s) behind after ${lag.waitedMs} ms; stopping them anyway`)
    }
    for (const d of await abortable(fleet.consumersDone(w.drainTimeout + 10_000), signal)) m.addDone(d)
    totals = m.totals()
    timeline = m.points()
    events.emit('phase', 'audit', 'reading every queue from offset 0')
    // After faults, read every live replica: a message the master lost may survive on its slave, and vice versa.
    const replicaAddrs = chaos ? cluster.nodes().filter((n) => n.kind === 'broker' && n.pid !== undefined)
      .map((n) => network?.proxy.registeredAddr(n.name) ?? n.addr) : undefined
    const producerLedgers = readProducerLedgers(runDir)
    const drained = await abortable(drainMessages(
      cluster.namesrvAddr, scenario, runDir.runId, Date.now() + w.drainTimeout, undefined, replicaAddrs, ackedQueueEnds(producerLedgers.files),
    ), signal)
    const audited = auditLedgers(runDir, scenario, drained, producerLedgers)
    audit = audited.result
    consumption = consumptionAudit(scenario, audited.groups, fleet.reports)
    if (chaos) evidence = lossEvidence(faultEvents, cluster.nodes(), scenario, audited.input)
    replicas = await awaitReplicaCatchUp(cluster, 10_000)
  } catch (err) {
    failure = err
    status = signal?.aborted ? 'interrupted' : 'broken'
  } finally {
    events.emit('phase', 'stopping', 'stopping workers and cluster')
    if (failure !== undefined) await faultRunner?.abandon()
    await fleet?.stop().catch(() => undefined)
    if (metrics && !totals) {
      totals = metrics.totals()
      timeline = metrics.points()
    }
    metrics?.close()
    await cluster.stop().catch((err: unknown) => events.emit('warning', `cluster stop: ${toMqbenchError(err).message}`))
    await network?.proxy.stop()
  }
  if (replicas && scenario.target === 'embedded') {
    replication = await compareCommitLogs(replicas).catch((err: unknown) => {
      events.emit('warning', `replication check: ${toMqbenchError(err).message}`)
      return undefined
    })
  }
  events.emit('phase', 'report', 'writing result.json')
  const loadStartMs = fleet?.loadStartMs ?? Date.now()
  const result = buildResult({
    runDir, scenario, scenarioFile: opts.scenarioFile, startedAt, status, totals, timeline, audit, nodes: cluster.nodes(),
    faults: faultRecords(faultEvents, loadStartMs), faultTypes: injectedFaultTypes(faultEvents), evidence, replication, thresholds, consumption,
  })
  const resultPath = writeResult(runDir.root, result)
  writeRunReports(runDir.root, result, (msg) => events.emit('warning', msg))
  if (failure !== undefined) {
    const e = toMqbenchError(failure)
    throw new RunBrokenError(status === 'interrupted' ? `run interrupted; partial result in ${resultPath}` : `run broke: ${e.message}`, {
      cause: failure, hint: `partial result in ${resultPath}; logs in ${runDir.logsDir} and ${runDir.clusterDir}`, resultPath,
    })
  }
  return {result, resultPath}
}

/** Rejects as soon as the signal aborts, so Ctrl-C never waits for a phase's own deadline. */
async function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p
  throwIfAborted(signal)
  let onAbort: (() => void) | undefined
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        onAbort = () => reject(new RunBrokenError('interrupted'))
        signal.addEventListener('abort', onAbort, {once: true})
      }),
    ])
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort)
  }
}
