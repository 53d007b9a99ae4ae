/**
 * audit-record.json: what the audit needs beyond the ledgers, written by the run just before it
 * audits, so the offline audit never has to ask a broker or read a node's store: the fault types
 * that really happened, each cut with the flush and replication lag measured before it, the cut
 * broker's flusher settings, and what each behaviour consumer reported doing.
 */
import {existsSync, readFileSync} from 'node:fs'
import {ConfigError} from '../errors.js'
import {runFile, writeJson, type RunDir} from './run-dir.js'

/** One fault that can lose unsynced or unreplicated data: a power cut or a lost disk. */
export interface Cut {
  fault: 'power-loss' | 'disk-loss'
  node: string
  /** Epoch ms the process was gone. */
  atMs: number
  /** Start of the last flush recorded before the cut (ASYNC_FLUSH); undefined when none was. */
  lastFlushStartMs?: number
  /** The CommitLog offset that flush synced to: with the recovered end (broker log), a clock-free cross-check. */
  lastFlushedOffset?: number
  /** disk-loss: the replication lag sampled just before the cut (src/chaos/replication-lag.ts). */
  replicationLag?: {windowMs: number; lagBytes: number; sampleAgeMs: number}
}

/** A broker whose disk failed its writes or fsyncs (disk-eio, disk-full) from fromMs until its heal began at toMs. */
export interface BrokenDisk {
  fault: 'disk-eio' | 'disk-full'
  node: string
  fromMs: number
  toMs: number
}

/** Flusher settings of the cut broker (RocketMQ FlushRealTimeService), ms and 4 KiB pages. */
export interface FlusherSettings {
  flushIntervalCommitLog: number
  flushCommitLogLeastPages: number
  flushCommitLogThoroughInterval: number
}

/** What a behaviour consumer reports doing (its `done` message). */
export interface BehaviourCounts {
  processed: number
  failed: number
  /** swallow-errors: failures answered SUCCESS (each one a message whose work never happened). */
  swallowed: number
  sentBack: number
  sendBackFailed: number
  /** idempotent: redeliveries skipped because their key was already in the table. */
  skippedDuplicates: number
}

/** One store recovery that cut or rebuilt something (the broker's recovery.log line), with the node it ran on. */
export interface RecordedRecovery {
  node: string
  brokerName: string
  record: {
    atMs: number
    abnormal: boolean
    truncatedAt?: {file: string; offset: number; reason: string}
    truncatedBytes: number
    recordsBeyond?: number
    quarantined?: Array<{path: string}>
    consumeQueueRebuild?: string
    /** Every ConsumeQueue's end ("<topic>-<queueId>") right after the cut. */
    queueEnds?: Record<string, number>
  }
}

/** scenario `verdict:` keys, in percent; see the README's "Verdict" section for the defaults. */
export interface HealthLimits {
  minSendOkPct: number
  maxErrorPct: number
  minConsumedPct: number
}

/** One scheduled fault as it went: injected on a live target or not, and what a power cut found unsynced. */
export interface FaultOutcome {
  action: string
  target: string
  injected: boolean
  /** power-loss: bytes written and not yet synced on the target just before the SIGKILL; undefined = not measured. */
  unsyncedBytes?: number
  /** Seconds since load start from the inject's start to the end of its heal: when the cluster was not whole. */
  windowS?: {from: number; to: number}
}

/**
 * What the load checks (audit/run-health.ts) need of the run beyond the ledgers: the load window's
 * counted replies and errors, and how the faults went. SEND_OK is completed by the audit's acked count
 * (a killed producer never reports its totals), so the record keeps the warm-up's intended sends too.
 */
export interface RecordedHealth {
  figures: {
    sendMode: 'sync' | 'async' | 'oneway'
    /** msg/s across producers; 0 = as fast as possible (no intended count). */
    targetRate: number
    durationS: number
    /** Replies in the load window, by kind. */
    sendOk: number
    statuses: number
    errors: number
    dropped: number
    /** oneway: sends handed to the socket in the load window (there is no reply to count). */
    written: number
    consumers: number
    /**
     * Chaos: seconds since load start when a fault was held (inject → heal, the restart included). Sends
     * cannot succeed against a dead broker, so the load checks judge the time outside them: what the run
     * intended while the cluster was whole, and the errors of those seconds (timeline, one point a second).
     */
    faultWindowsS?: Array<{from: number; to: number}>
    errorsBySecond?: Array<{t: number; errors: number}>
    /**
     * How long a send is typically in flight (the run's send p90, intended → ack, in seconds): sends started
     * that long before a fault are still waiting when it strikes and fail with it, so they are the fault's.
     */
    inFlightS?: number
  }
  /** Sends the warm-up intended (rate × warm-up), subtracted from the audit's acked for a lower bound of the window's SEND_OK. */
  warmupIntended: number
  limits: HealthLimits
  chaos: boolean
  faultsPlanned: number
  faultOutcomes: FaultOutcome[]
}

export interface AuditRecord {
  /** Fault types that actually happened (a failed inject promises nothing). */
  faultTypes: string[]
  /** Present when the run had a fault schedule. */
  chaos?: {cuts: Cut[]; flusher: FlusherSettings; brokenDisks?: BrokenDisk[]}
  /** One entry per consumer `done` report that carried behaviour counts (a respawned worker reports again). */
  consumerCounts: Array<{worker: string; counts: BehaviourCounts}>
  /** Masters' store recoveries during the run that cut or rebuilt something, oldest first. */
  recoveries?: RecordedRecovery[]
  /** The load checks' inputs (absent in records written before they existed). */
  health?: RecordedHealth
  /** Set when the final read ran out of time: the audit cannot decide (the drain saved is partial or empty). */
  incomplete?: string
}

export function writeAuditRecord(runDir: RunDir, record: AuditRecord): void {
  writeJson(runFile(runDir, 'auditRecord'), record)
}

export function readAuditRecord(runDir: RunDir): AuditRecord {
  const path = runFile(runDir, 'auditRecord')
  if (!existsSync(path)) throw new ConfigError(`${path}: missing; the run ended before its audit (or predates mqbench audit)`)
  const r = JSON.parse(readFileSync(path, 'utf8')) as Partial<AuditRecord>
  if (!Array.isArray(r.faultTypes) || !Array.isArray(r.consumerCounts)) {
    throw new ConfigError(`${path}: expected {faultTypes: [...], consumerCounts: [...], chaos?: {...}}`)
  }
  return r as AuditRecord
}
