/**
 * After the load: read every queue again from offset 0, load the ledgers the workers wrote, and
 * classify every message. Pure reading: it can be re-run offline on a run directory.
 */
import {existsSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {type AuditInput, type CheckResult, compose} from '../audit/checker.js'
import {dlqTopic, drainTopic, retryTopic} from '../audit/drain.js'
import {readDeliveryLedgerFile} from '../audit/ledger/delivery-ledger.js'
import {readProducerLedgerFile} from '../audit/ledger/producer-ledger.js'
import {checkQueue} from '../audit/queue-checker.js'
import type {DeliveryEntry} from '../audit/ledger/delivery-ledger.js'
import type {Scenario} from '../scenario/schema.js'
import {readIdentity} from '../workload/message-identity.js'
import type {RunDir} from './run-dir.js'

export interface AuditPhaseResult {
  result: CheckResult
  /** What the checker read, for evidence beyond the counts (loss windows). */
  input: AuditInput
  drained: number
  ignoredLedgerBytes: number
}

/** Reads the main topic back from every master (or its slave when the master is gone). */
export async function drainMessages(
  namesrvAddr: string, scenario: Scenario, runId: string, deadlineMs: number, log?: (l: string) => void, brokerAddrs?: string[],
): Promise<DeliveryEntry[]> {
  const group = scenario.workload.consumerGroup
  return drainTopic({
    namesrvAddr,
    topic: scenario.workload.topic,
    consumerGroup: `${group}-audit`,
    extraTopics: [retryTopic(group), dlqTopic(group)],
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

export function auditLedgers(runDir: RunDir, scenario: Scenario, drained: DeliveryEntry[]): AuditPhaseResult {
  let ignored = 0
  const producers = []
  for (let i = 0; i < scenario.workload.producers; i++) {
    const path = runDir.producerLedger(i)
    if (!existsSync(path)) continue
    const {entries, ignoredBytes} = readProducerLedgerFile(path)
    ignored += ignoredBytes
    producers.push(entries)
  }
  const deliveries = []
  for (const path of consumerLedgers(runDir)) {
    const {entries, ignoredBytes} = readDeliveryLedgerFile(path)
    ignored += ignoredBytes
    deliveries.push(entries)
  }
  const input: AuditInput = {producers, deliveries, drained}
  const result = compose([checkQueue(input)])
  return {result, input, drained: drained.length, ignoredLedgerBytes: ignored}
}

/** consumer-<i>.ledger, plus consumer-<i>.r<k>.ledger of a consumer respawned after a kill (same group). */
function consumerLedgers(runDir: RunDir): string[] {
  if (!existsSync(runDir.ledgersDir)) return []
  return readdirSync(runDir.ledgersDir).filter((f) => /^consumer-\d+(\.r\d+)?\.ledger$/.test(f)).sort().map((f) => join(runDir.ledgersDir, f))
}
