/**
 * After the load: read every queue again from offset 0, load the ledgers the workers wrote, and
 * classify every message. Pure reading: it can be re-run offline on a run directory.
 *
 * Each consumer group is audited apart (a message consumed once by each of four side-by-side groups
 * is four "ok"s, not a duplicate). With one group the run's audit is that group's; with several it is
 * the store's view (what the drain found, no deliveries), made no better than any group's: validity,
 * corrupt and unexpected are the worst a group saw. What each group did is in the consumption audit.
 */
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {type AuditInput, type CheckResult, compose, worstValidity} from './checker.js'
import {drainTopic} from '../workload/drain.js'
import {dlqTopic, retryTopic} from '../protocol/common/mix-all.js'
import {readDeliveryLedgerFile} from '../recorder/ledger/delivery-ledger.js'
import {readProducerLedgerFile, type ProducerLedgerEntry} from '../recorder/ledger/producer-ledger.js'
import {readBrokerNames} from '../recorder/ledger/broker-names.js'
import {checkQueue} from './queue-checker.js'
import type {DeliveryEntry} from '../recorder/ledger/delivery-ledger.js'
import type {Scenario} from '../scenario/schema.js'
import {behaviourGroups} from '../workload/consumer-behaviours/behaviour-plan.js'
import {readIdentity} from '../workload/message-identity.js'
import type {RunDir} from '../recorder/run-dir.js'
import {fleetGroups, type FleetGroup} from '../workload/worker-fleet.js'

/** One consumer group's share of the audit: its own ledgers, the main topic and its own %RETRY%/%DLQ% (topic 1 and 2). */
export interface GroupAudit {
  group: FleetGroup
  input: AuditInput
  queue: CheckResult
}

export interface AuditPhaseResult {
  result: CheckResult
  /** What the checker read, for evidence beyond the counts (loss windows). */
  input: AuditInput
  groups: GroupAudit[]
  drained: number
  ignoredLedgerBytes: number
}

/** %RETRY% and %DLQ% of every group, in group order: drained topic index 1 + 2k and 2 + 2k belong to group k. */
function groupTopics(scenario: Scenario): string[] {
  const w = scenario.workload
  return behaviourGroups(w.consumerGroup, w.consumer, '').flatMap((g) => [retryTopic(g.consumerGroup), dlqTopic(g.consumerGroup)])
}

/** Reads the main topic back from every master (or its slave when the master is gone), and every group's retry and DLQ topics. */
export async function drainMessages(
  namesrvAddr: string, scenario: Scenario, runId: string, deadlineMs: number, log?: (l: string) => void, brokerAddrs?: string[],
  expectedEnds?: ReadonlyMap<string, number>,
): Promise<DeliveryEntry[]> {
  return drainTopic({
    ...(expectedEnds ? {expectedEnds} : {}),
    namesrvAddr,
    topic: scenario.workload.topic,
    consumerGroup: `${scenario.workload.consumerGroup}-audit`,
    extraTopics: groupTopics(scenario),
    // A message of another run on a reused topic is not ours: it must not count as found (or unexpected).
    readIdentity: (m) => {
      const id = readIdentity(m)
      return id && id.runId === runId ? {producerId: id.producerId, seq: id.seq, bodyCrc: id.bodyCrc} : undefined
    },
    deadlineMs,
    log,
    ...(brokerAddrs ? {brokerAddrs} : {}),
  })
}

/** Every producer ledger of the run (restarted producers included), read once for the drain and the audit. */
export interface ProducerLedgers {
  files: Array<{entries: ProducerLedgerEntry[]; brokerNames: string[]}>
  ignoredBytes: number
}

export function readProducerLedgers(runDir: RunDir): ProducerLedgers {
  let ignoredBytes = 0
  const files = ledgerFiles(runDir, /^producer-\d+\.ledger$/).map((path) => {
    const read = readProducerLedgerFile(path)
    ignoredBytes += read.ignoredBytes
    return {entries: read.entries, brokerNames: readBrokerNames(path)}
  })
  return {files, ignoredBytes}
}

/** The main topic plus group k's own retry/DLQ copies, renumbered 1 and 2 as the checkers expect. */
function drainedFor(drained: DeliveryEntry[], k: number): DeliveryEntry[] {
  const retry = 1 + 2 * k
  const out: DeliveryEntry[] = []
  for (const e of drained) {
    const t = e.topic ?? 0
    if (t === 0) out.push(e)
    else if (t === retry || t === retry + 1) out.push({...e, topic: t - 2 * k})
  }
  return out
}

export function auditLedgers(
  runDir: RunDir, scenario: Scenario, drained: DeliveryEntry[], ledgers: ProducerLedgers = readProducerLedgers(runDir),
): AuditPhaseResult {
  let ignored = ledgers.ignoredBytes
  const producers: AuditInput['producers'] = ledgers.files.map((f) => f.entries)
  const groups = fleetGroups(scenario, runDir).map((group, k): GroupAudit => {
    const deliveries: AuditInput['deliveries'] = []
    for (const path of group.workers.flatMap((name) => ledgerFiles(runDir, new RegExp(`^${name}(\\.r\\d+)?\\.ledger$`)))) {
      const {entries, ignoredBytes} = readDeliveryLedgerFile(path)
      ignored += ignoredBytes
      deliveries.push(entries)
    }
    const input: AuditInput = {producers, deliveries, drained: drainedFor(drained, k)}
    return {group, input, queue: checkQueue(input)}
  })
  if (groups.length === 1) {
    const only = groups[0]!
    return {result: compose([only.queue]), input: only.input, groups, drained: drained.length, ignoredLedgerBytes: ignored}
  }
  const input: AuditInput = {producers, deliveries: [], drained}
  const result = storeViewNoBetterThanGroups(checkQueue(input), groups.map((g) => g.queue))
  return {result, input, groups, drained: drained.length, ignoredLedgerBytes: ignored}
}

function storeViewNoBetterThanGroups(store: CheckResult, groups: CheckResult[]): CheckResult {
  const out: CheckResult = {...store, counts: {...store.counts}, samples: {...store.samples}}
  const errors = store.error === undefined ? [] : [store.error]
  for (const g of groups) {
    out.valid = worstValidity(out.valid, g.valid)
    out.counts.delivered += g.counts.delivered
    out.counts.deliveries += g.counts.deliveries
    for (const k of ['corrupt', 'unexpected'] as const) {
      if (g.counts[k] <= out.counts[k]) continue
      out.counts[k] = g.counts[k]
      out.samples[k] = g.samples[k] ?? []
    }
    if (g.error !== undefined) errors.push(g.error)
  }
  if (errors.length > 0) out.error = errors.join('; ')
  return out
}

/** Ledger files matching `pattern`, sorted: respawned workers add consumer-<i>.r<k>.ledger, restarted producers producer-<n>.ledger. */
function ledgerFiles(runDir: RunDir, pattern: RegExp): string[] {
  if (!existsSync(runDir.ledgersDir)) return []
  return readdirSync(runDir.ledgersDir).filter((f) => pattern.test(f)).sort().map((f) => join(runDir.ledgersDir, f))
}
