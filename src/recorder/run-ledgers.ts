/**
 * Reading a run's ledgers back as the audit needs them, and the one ledger the orchestrator writes
 * itself: drain.ledger, the post-run read of every queue (same 56-byte records as a consumer's
 * delivery ledger), so `mqbench audit <run-dir>` checks exactly what the run checked.
 */
import {existsSync} from 'node:fs'
import {ConfigError} from '../errors.js'
import {DeliveryLedgerWriter} from './ledger/delivery-ledger.js'
import {type DeliveryLog, readDeliveryLog} from './ledger/delivery-log.js'
import {readBrokerNames} from './ledger/broker-names.js'
import {type ProducerLog, readProducerLog} from './ledger/producer-log.js'
import {producerLedgerFiles, workerLedgerFiles, type RunDir} from './run-dir.js'

export interface ProducerLedgerFile {
  /** Read from the file a window at a time (record-log.ts). */
  log: ProducerLog
  /** The file's broker-name table (ProducerLedgerEntry.brokerName indexes it). */
  brokerNames: string[]
}

/** Every producer ledger of the run (restarted producers included), read once for the drain and the audit. */
export interface ProducerLedgers {
  files: ProducerLedgerFile[]
  ignoredBytes: number
}

export function readProducerLedgers(runDir: RunDir): ProducerLedgers {
  let ignoredBytes = 0
  const files = producerLedgerFiles(runDir).map((path) => {
    const read = readProducerLog(path)
    ignoredBytes += read.ignoredBytes
    return {log: read.log, brokerNames: readBrokerNames(path)}
  })
  return {files, ignoredBytes}
}

/** Every delivery ledger of the named consumer workers (respawns included), in worker then file order. */
export function readWorkerDeliveries(runDir: RunDir, workers: readonly string[]): {deliveries: DeliveryLog[]; ignoredBytes: number} {
  let ignoredBytes = 0
  const deliveries: DeliveryLog[] = []
  for (const path of workers.flatMap((name) => workerLedgerFiles(runDir, name))) {
    const read = readDeliveryLog(path)
    ignoredBytes += read.ignoredBytes
    deliveries.push(read.log)
  }
  return {deliveries, ignoredBytes}
}

export function writeDrained(runDir: RunDir, drained: DeliveryLog): void {
  const writer = new DeliveryLedgerWriter(runDir.drainLedger(), {capacityRecords: 1})
  try {
    drained.forEachChunk((records) => writer.records(records))
  } finally {
    writer.close()
  }
}

export function readDrained(runDir: RunDir): DeliveryLog {
  const path = runDir.drainLedger()
  if (!existsSync(path)) {
    throw new ConfigError(`${path}: missing; the run ended before its audit (or predates mqbench audit)`, {hint: 'only a run that reached the audit phase can be re-audited'})
  }
  return readDeliveryLog(path).log
}
