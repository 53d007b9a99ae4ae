/**
 * From a run directory to the audit: the scenario says which groups and workers there were, the
 * recorder reads their ledgers, the saved drain and the audit record, and audit/ judges. The run
 * and `mqbench audit <run-dir>` both come through here, so they cannot disagree.
 */
import {auditRun, type AuditSpec, type RunAudit, type RunRecord} from '../audit/audit-run.js'
import {MASTER_ID} from '../protocol/common/mix-all.js'
import {readAuditRecord} from '../recorder/audit-record.js'
import {readDrained, readProducerLedgers, readWorkerDeliveries, type ProducerLedgers} from '../recorder/run-ledgers.js'
import type {RunDir} from '../recorder/run-dir.js'
import type {Scenario} from '../scenario/schema.js'
import {fleetGroups} from '../workload/worker-fleet.js'

export function auditSpec(scenario: Scenario): AuditSpec {
  const w = scenario.workload
  const master = scenario.cluster.brokers.find((b) => b.brokerId === MASTER_ID)!
  return {
    topic: w.topic, flushDiskType: master.flushDiskType, brokerRole: master.brokerRole, ordered: w.ordered, messageSizeBytes: w.messageSize,
    ...(w.consumer ? {maxReconsumeTimes: w.consumer.maxReconsumeTimes} : {}),
  }
}

export function loadRunRecord(runDir: RunDir, scenario: Scenario, producers: ProducerLedgers = readProducerLedgers(runDir)): RunRecord {
  let ignored = producers.ignoredBytes
  const groups = fleetGroups(scenario, runDir).map((g) => {
    const {deliveries, ignoredBytes} = readWorkerDeliveries(runDir, g.workers)
    ignored += ignoredBytes
    return {consumerGroup: g.consumerGroup, ...(g.behaviour && {behaviour: {name: g.behaviour.name}}), workers: g.workers, deliveries}
  })
  return {
    spec: auditSpec(scenario), producers: producers.files.map((f) => f.log), producerBrokerNames: producers.files.map((f) => f.brokerNames),
    groups, ignoredLedgerBytes: ignored,
  }
}

/** The audit of a run directory whose drain.ledger and audit-record.json were written. */
export function auditRunDir(runDir: RunDir, scenario: Scenario, producers?: ProducerLedgers): RunAudit {
  return auditRun(loadRunRecord(runDir, scenario, producers), readDrained(runDir), readAuditRecord(runDir))
}
