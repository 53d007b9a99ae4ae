/**
 * One run as a table of phases over one run-state record: prepare → cluster → topics → JVM warm-up
 * (real targets) → workers → load (+ chaos) → heal → drain → audit, then, whatever happened (failure,
 * Ctrl-C via the abort signal), one `finally` stops every process started here, and a result — possibly partial — is
 * written to the run directory. Each phase reads and fills the state; none prints (events only).
 */
import type {RunAudit} from '../audit/audit-run.js'
import {drainDeadlineMs} from '../audit/drain-budget.js'
import {recoveryWarnings} from '../audit/recovery-losses.js'
import {healthLimits} from '../audit/run-health.js'
import type {FaultEvent, FaultRunner} from '../chaos/fault-runner.js'
import type {FaultProxyProcess} from '../chaos/proxy/fault-proxy-process.js'
import {forRealBroker} from '../chaos/real-target.js'
import {chaosRecord, faultOutcomes, injectedFaultTypes, prepareChaos, startChaos, startFaultProxy, type ChaosPlan} from '../chaos/run-chaos.js'
import {Admin} from '../client/admin.js'
import {awaitGroupsCaughtUp} from '../client/consumer-lag.js'
import {waitForRoute} from '../client/wait-for-route.js'
import {type Cluster, isUp} from '../cluster/cluster.js'
import {checkEmbeddedBrokerConfs} from '../cluster/embedded-conf-check.js'
import {createCluster} from '../cluster/create-cluster.js'
import {awaitReplicaCatchUp, compareCommitLogs, type ReplicaPair} from '../cluster/replication-check.js'
import {readStoreRecoveries} from '../cluster/store-recoveries.js'
import {RunBrokenError, TimeoutError, toMqbenchError} from '../errors.js'
import {initHistograms} from '../metrics/histograms.js'
import type {TimelinePoint} from '../metrics/timeline.js'
import {reapStaleChildren} from '../process/pid-files.js'
import {MASTER_ID} from '../protocol/common/mix-all.js'
import {writeAuditRecord} from '../recorder/audit-record.js'
import {createRunDir, runFile, writeJson, type RunDir} from '../recorder/run-dir.js'
import {DeliveryLog} from '../recorder/ledger/delivery-log.js'
import {type ProducerLedgers, readProducerLedgers, writeDrained} from '../recorder/run-ledgers.js'
import {writeResult} from '../report/result-file.js'
import {LatencyLogs, writeRunReports} from '../report/run-reports.js'
import type {ReplicationResult, RunResult, RunStatus} from '../report/run-result.js'
import {parseThresholds, type Threshold} from '../report/thresholds.js'
import type {Scenario} from '../scenario/schema.js'
import {ackedQueueEnds} from '../workload/acked-ends.js'
import {drainRun} from '../workload/drain-run.js'
import {javaWorkerFor} from '../workload/java-worker.js'
import {recordedHealth} from '../workload/load-health.js'
import {LoadMetrics, type LoadTotals} from '../workload/load-metrics.js'
import {consumerCounts, plannedWorkers, WorkerFleet} from '../workload/worker-fleet.js'
import {abortable, throwIfAborted} from './abortable.js'
import {buildResult, faultRecords} from './result-builder.js'
import {RunEvents, type RunPhase} from './run-events.js'
import {auditRunDir} from './run-record.js'
import {type JvmWarmupResult, warmUpJvm} from '../workload/jvm-warmup.js'
import {onExistingCluster} from './existing-plan.js'

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

/** Everything one run knows; phases fill it in order, the finally and the report read whatever got filled. */
interface RunState {
  readonly opts: RunOptions
  readonly scenario: Scenario
  readonly events: RunEvents
  readonly seed: number
  readonly thresholds: Threshold[]
  readonly chaos: ChaosPlan | undefined
  readonly startedAt: Date
  readonly runDir: RunDir
  readonly network: {proxy: FaultProxyProcess; scenario: Scenario} | undefined
  readonly cluster: Cluster
  /** What was changed for a real broker (faultfs set on a faulted broker, embedded-only keys dropped). */
  readonly notes: string[]
  /** --client java: the command that starts a worker JVM instead of our Node worker. */
  readonly workerCommand: ReturnType<typeof javaWorkerFor>
  fleet?: WorkerFleet
  metrics?: LoadMetrics
  totals?: LoadTotals
  timeline: TimelinePoint[]
  faultRunner?: FaultRunner
  faultEvents: FaultEvent[]
  audited?: RunAudit
  replicas?: ReplicaPair
  replication?: ReplicationResult
  jvmWarmup?: JvmWarmupResult
  status: RunStatus
  failure?: unknown
}

type Phase = (s: RunState) => Promise<void>

export async function runScenario(opts: RunOptions): Promise<RunOutcome> {
  const s = await prepare(opts)
  try {
    for (const phase of PHASES) {
      await phase(s)
      throwIfAborted(opts.signal)
    }
  } catch (err) {
    s.failure = err
    s.status = opts.signal?.aborted ? 'interrupted' : 'broken'
  } finally {
    await stop(s)
  }
  return report(s)
}

/** Refuses a bad scenario (conf, thresholds, fault schedule) before anything is created; then the run dir, the proxy, the cluster object. */
async function prepare(opts: RunOptions): Promise<RunState> {
  // Before any check: a real broker's power cuts and disk faults come from faultfs, or are refused.
  const real = forRealBroker(opts.scenario)
  // --namesrv: the brokers (and their promises) are the ones the namesrv lists; unreachable is exit 2 here.
  const found = await onExistingCluster(real.scenario)
  const {scenario} = found
  checkEmbeddedBrokerConfs(scenario.target, scenario.cluster.brokers, opts.scenarioFile)
  // A threshold typo is exit 2 now, not a surprise after the whole run.
  const thresholds = parseThresholds(scenario.thresholds)
  const seed = scenario.seed ?? (Date.now() % 2 ** 31)
  // A fault schedule that cannot run here (bad params, disk-full without root) is refused before anything is created.
  const chaos = prepareChaos(scenario, seed)
  // --client java: missing java/mvn is exit 2 now; the first use builds the workers before any broker starts.
  const workerCommand = javaWorkerFor(scenario)
  const startedAt = new Date()
  const events = opts.events ?? new RunEvents()
  // An earlier orchestrator killed with SIGKILL may have left children (a JVM cannot watch its lifeline).
  for (const left of reapStaleChildren(opts.outDir)) events.emit('warning', `reaped ${left}, left behind by an earlier run whose orchestrator died`)
  const runDir = createRunDir(opts.outDir, scenario.name, startedAt)
  writeJson(runFile(runDir, 'scenario'), scenario)
  const network = await startFaultProxy(scenario, chaos, runDir.root)
  const routed = network?.scenario ?? scenario
  const cluster = createCluster(routed.target, runDir.clusterDir, routed.cluster.clusterName, routed.cluster.brokers, routed.rocketmqVersion, found.existing)
  return {
    opts, scenario, events, seed, thresholds, chaos, startedAt, runDir, network, cluster, workerCommand, notes: [...found.notes, ...real.notes], timeline: [], faultEvents: [], status: 'completed',
  }
}

const emit = (s: RunState, phase: RunPhase, detail: string): boolean => s.events.emit('phase', phase, detail)
const ROUTE_TIMEOUT_MS = 30_000
// A real slave retries its HA connection every 5 s; two busy cores may need a few of those.
const HA_LINK_TIMEOUT_MS = 20_000

const startCluster: Phase = async (s) => {
  emit(s, 'prepare', `run ${s.runDir.runId} in ${s.runDir.root} (seed ${s.seed})`)
  for (const note of s.notes) s.events.emit('note', note)
  await initHistograms()
  const {namesrv, brokers} = s.scenario.cluster
  emit(s, 'cluster', namesrv === undefined ? `starting ${brokers.length} broker(s) + namesrv (${s.scenario.target})` : `using the existing cluster at ${namesrv}`)
  await s.cluster.start()
  await s.network?.proxy.pointRoutes(s.cluster.nodes())
  const silent = (await s.network?.proxy.awaitHaLinks(HA_LINK_TIMEOUT_MS)) ?? []
  if (silent.length > 0) s.events.emit('warning', `no HA traffic through ${silent.join(', ')} after ${HA_LINK_TIMEOUT_MS} ms: a SYNC_MASTER may answer SLAVE_NOT_AVAILABLE from the start`)
}

const createTopics: Phase = async (s) => {
  const w = s.scenario.workload
  const admin = new Admin({namesrvAddr: s.cluster.namesrvAddr})
  try {
    await admin.createTopic({topic: w.topic, queueNums: w.queues, clusterName: s.scenario.cluster.clusterName})
    // A real slave learns topics from its master only every ~10 s (SlaveSynchronize), or never once its master
    // died (kill-master), and answers TOPIC_NOT_EXIST to the audit until then: create it there too, as
    // `mqadmin updateTopic -b <slave>` would. Our slaves copy topics themselves.
    const slaves = s.scenario.target === 'rocketmq' || s.scenario.cluster.namesrv !== undefined ? s.cluster.nodes().filter((n) => n.kind === 'broker' && (n.brokerId ?? MASTER_ID) !== MASTER_ID) : []
    for (const slave of slaves) await admin.createTopic({topic: w.topic, queueNums: w.queues, brokerAddr: slave.addr})
  } finally {
    admin.shutdown()
  }
  await waitForRoute(s.cluster.namesrvAddr, w.topic, w.queues, ROUTE_TIMEOUT_MS)
}

/** A real target's JVM is warmed until its rate is steady (jvm-warmup.ts); the embedded broker needs no JIT warm-up. */
const warmJvm: Phase = async (s) => {
  if (s.scenario.target !== 'rocketmq') return
  emit(s, 'warmup', `JVM warm-up: ${s.scenario.workload.rate || 'max'} msg/s on its own topic until steady`)
  const r = (s.jvmWarmup = await abortable(warmUpJvm({
    scenario: s.scenario, runDir: s.runDir, namesrvAddr: s.cluster.namesrvAddr, seed: s.seed, ...(s.workerCommand && {workerCommand: s.workerCommand}),
  }), s.opts.signal))
  s.events.emit(r.steady ? 'note' : 'warning', `JVM warm-up: ${(r.ms / 1000).toFixed(1)} s, ${r.steady ? 'steady' : 'NOT steady'} (SEND_OK/s: ${r.sendOkPerSecond.join(' ')})`)
}

const startWorkers: Phase = async (s) => {
  const w = s.scenario.workload
  const logs = new LatencyLogs(s.runDir.root, () => s.fleet?.loadStartMs ?? Date.now(), (msg) => s.events.emit('warning', msg))
  const m = (s.metrics = new LoadMetrics(plannedWorkers(s.scenario, s.runDir), logs))
  const plan = {scenario: s.scenario, runDir: s.runDir, runId: s.runDir.runId, namesrvAddr: s.cluster.namesrvAddr, seed: s.seed, workerCommand: s.workerCommand}
  s.fleet = new WorkerFleet(plan, (tick) => {
    const point = m.addTick(tick)
    // Seconds after the load window (the drain) are not load progress.
    if (!point || point.t >= w.duration / 1000) return
    s.events.emit('tick', {
      elapsedS: point.t + 1, durationS: w.duration / 1000, phase: 'load', sendTps: point.sendTps, consumeTps: point.consumeTps,
      sendP99Ms: point.sendP99Ms, errors: point.errors,
    })
  })
  emit(s, 'warmup', `${w.producers} producer(s), ${w.consumers} consumer(s); warm-up ${w.warmup} ms`)
  await s.fleet.start()
}

const load: Phase = async (s) => {
  const w = s.scenario.workload
  const fleet = s.fleet!
  if (s.chaos) {
    const loadStartMs = fleet.loadStartMs
    s.faultRunner = startChaos(s.chaos, s.cluster, fleet, loadStartMs, {
      log: (line) => s.events.emit('note', line), warn: (line) => s.events.emit('warning', line), ...(s.network && {network: s.network.proxy}),
      onFault: (kind, e) => s.events.emit('fault', {
        kind, action: e.action, target: e.target, atS: ((kind === 'inject' ? e.injectedMs : e.healedMs ?? Date.now()) - loadStartMs) / 1000,
        ...(e.error ? {error: e.error} : {}),
      }),
    })
    s.faultEvents = s.faultRunner.events
  }
  emit(s, 'load', `${w.rate || 'max'} msg/s for ${w.duration} ms${s.chaos ? `, ${s.chaos.events.length} fault(s) scheduled` : ''}`)
  for (const d of await abortable(fleet.producersDone(w.warmup + w.duration + w.sendMsgTimeout + 30_000), s.opts.signal)) s.metrics!.addDone(d)
}

const heal: Phase = async (s) => {
  if (!s.faultRunner) return
  emit(s, 'heal', 'healing every fault, restarting what is down')
  s.faultEvents = await abortable(s.faultRunner.finish(), s.opts.signal)
  const w = s.scenario.workload
  await waitForRoute(s.cluster.namesrvAddr, w.topic, w.queues, ROUTE_TIMEOUT_MS)
}

const drainConsumers: Phase = async (s) => {
  const w = s.scenario.workload
  emit(s, 'drain', 'producers done; consumers draining')
  if (w.consumer) {
    // Behaviour groups consume %RETRY% too: stop them only once retries sent back late were consumed.
    const groups = s.fleet!.groups.map((g) => g.consumerGroup)
    const lag = await abortable(awaitGroupsCaughtUp({namesrvAddr: s.cluster.namesrvAddr, topic: w.topic, groups, deadlineMs: Date.now() + w.drainTimeout}), s.opts.signal)
    if (!lag.caughtUp) s.events.emit('warning', `consumer groups still ${lag.lag} message(s) behind after ${lag.waitedMs} ms; stopping them anyway`)
  }
  for (const d of await abortable(s.fleet!.consumersDone(w.drainTimeout + 10_000), s.opts.signal)) s.metrics!.addDone(d)
  s.totals = s.metrics!.totals()
  s.timeline = s.metrics!.points()
}

/** Record, then check: read every queue, save it with the audit record, and audit what was saved, as `mqbench audit` will. */
const audit: Phase = async (s) => {
  const {scenario, runDir, cluster} = s
  emit(s, 'audit', 'reading every queue from offset 0')
  // After faults, read every live replica: a message the master lost may survive on its slave, and vice versa.
  const replicaAddrs = s.chaos ? cluster.nodes().filter((n) => n.kind === 'broker' && isUp(n))
    .map((n) => s.network?.proxy.registeredAddr(n.name) ?? n.addr) : undefined
  const producerLedgers = readProducerLedgers(runDir)
  const incomplete = await saveDrain(s, producerLedgers, replicaAddrs)
  writeAuditRecord(runDir, {
    faultTypes: injectedFaultTypes(s.faultEvents), ...(s.chaos && {chaos: chaosRecord(s.faultEvents, cluster, scenario)}),
    consumerCounts: consumerCounts(s.fleet!.reports), recoveries: readStoreRecoveries(cluster.nodes()),
    health: recordedHealth({
      scenario, totals: s.totals, timeline: s.timeline, faultOutcomes: faultOutcomes(s.faultEvents, s.fleet!.loadStartMs),
      faultsPlanned: s.chaos?.events.length ?? 0, limits: healthLimits(scenario.verdict, scenario.faults.length > 0),
    }),
    ...(incomplete !== undefined && {incomplete}),
  })
  s.audited = auditRunDir(runDir, scenario, producerLedgers)
  for (const line of (s.audited.recovery ?? []).flatMap(recoveryWarnings)) s.events.emit('warning', line)
  s.replicas = await awaitReplicaCatchUp(cluster, 10_000)
}

/**
 * Reads every queue and saves it as drain.ledger; returns why the read is incomplete, if it ran out of time.
 * Its own function so the drained records are garbage before the audit reads the saved copy back.
 */
async function saveDrain(s: RunState, producerLedgers: ProducerLedgers, brokerAddrs: string[] | undefined): Promise<string | undefined> {
  const {scenario, runDir, cluster} = s
  const expectedEnds = ackedQueueEnds(producerLedgers.files)
  const drained = await abortable(drainRun({
    namesrvAddr: cluster.namesrvAddr, scenario, runId: runDir.runId, deadlineMs: drainDeadlineMs(Date.now(), scenario.workload.drainTimeout, expectedEnds),
    ...(brokerAddrs ? {brokerAddrs} : {}), expectedEnds,
  }).catch((err: unknown) => {
    if (err instanceof TimeoutError) return err
    throw err
  }), s.opts.signal)
  // Unread is not lost: a drain out of time is recorded as such, the verdict's audit-complete row fails, and the result is still written.
  if (drained instanceof TimeoutError) s.events.emit('warning', `audit incomplete: ${drained.message}`)
  writeDrained(runDir, drained instanceof TimeoutError ? DeliveryLog.of([]) : drained)
  return drained instanceof TimeoutError ? drained.message : undefined
}

const PHASES: readonly Phase[] = [startCluster, createTopics, warmJvm, startWorkers, load, heal, drainConsumers, audit]

/** The one finally: every worker, broker and proxy this run started is stopped, whatever happened. */
async function stop(s: RunState): Promise<void> {
  emit(s, 'stopping', 'stopping workers and cluster')
  if (s.failure !== undefined) await s.faultRunner?.abandon()
  await s.fleet?.stop().catch(() => undefined)
  if (s.metrics && !s.totals) {
    s.totals = s.metrics.totals()
    s.timeline = s.metrics.points()
  }
  s.metrics?.close()
  await s.cluster.stop().catch((err: unknown) => s.events.emit('warning', `cluster stop: ${toMqbenchError(err).message}`))
  await s.network?.proxy.stop()
}

/** Once stopped cleanly: compare replicas, write result.json and the reports; a broken run then throws with the partial result's path. */
async function report(s: RunState): Promise<RunOutcome> {
  if (s.replicas) {
    s.replication = await compareCommitLogs(s.replicas, s.cluster).catch((err: unknown) => {
      s.events.emit('warning', `replication check: ${toMqbenchError(err).message}`)
      return undefined
    })
  }
  emit(s, 'report', 'writing result.json')
  const loadStartMs = s.fleet?.loadStartMs ?? Date.now()
  const result = buildResult({
    runDir: s.runDir, scenario: s.scenario, scenarioFile: s.opts.scenarioFile, startedAt: s.startedAt, status: s.status, totals: s.totals,
    timeline: s.timeline, audited: s.audited, nodes: s.cluster.nodes(), faults: faultRecords(s.faultEvents, loadStartMs),
    faultTypes: injectedFaultTypes(s.faultEvents), ...(s.replication && {replication: s.replication}), thresholds: s.thresholds,
    ...(s.jvmWarmup && {jvmWarmup: s.jvmWarmup}),
  })
  const resultPath = writeResult(s.runDir.root, result)
  writeRunReports(s.runDir.root, result, (msg) => s.events.emit('warning', msg))
  if (s.failure === undefined) return {result, resultPath}
  const e = toMqbenchError(s.failure)
  throw new RunBrokenError(s.status === 'interrupted' ? `run interrupted; partial result in ${resultPath}` : `run broke: ${e.message}`, {
    cause: s.failure, hint: `partial result in ${resultPath}; logs in ${s.runDir.logsDir} and ${s.runDir.clusterDir}`, resultPath,
  })
}
