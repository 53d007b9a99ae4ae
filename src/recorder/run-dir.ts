/**
 * Layout of one run directory: everything a run produced, so `mqbench report <run-dir>` and
 * `mqbench audit <run-dir>` can work offline later, on this machine or another. This file is the only
 * owner of the names inside a run directory; every other room asks it for a path.
 *
 *   <out>/<run-id>/scenario.json      resolved scenario (after flag overrides)
 *                  cluster/           per-node conf, store and log
 *                  ledgers/           producer-<n>.ledger (+ .brokers.json), consumer-<i>[.r<k>].ledger,
 *                                     drain.ledger (the post-run read of every queue)
 *                  logs/              worker logs
 *                  producer-<i>.outbox  outbox tables (outbox workloads)
 *                  audit-record.json  what the audit needs beyond the ledgers (faults, cuts, worker counts)
 *                  send.hlog, e2e.hlog  latency histograms per second
 *                  result.json        the RunResult (report.html beside it)
 *   <out>/latest                       a link to the newest run directory
 */
import {existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'
import {randomBytes} from 'node:crypto'
import {ConfigError} from '../errors.js'
import {linkLatest} from './run-cleanup.js'

/** File names at the top of a run directory. */
export const RUN_FILES = {
  scenario: 'scenario.json',
  result: 'result.json',
  /** Where an invalid result goes instead, so a long run's numbers survive a bug in the code that built them. */
  invalidResult: 'result.invalid.json',
  auditRecord: 'audit-record.json',
  sendHlog: 'send.hlog',
  e2eHlog: 'e2e.hlog',
  htmlReport: 'report.html',
} as const

export interface RunDir {
  runId: string
  root: string
  clusterDir: string
  ledgersDir: string
  logsDir: string
  resultPath: string
  producerLedger(i: number): string
  consumerLedger(i: number): string
  drainLedger(): string
}

export function createRunDir(outParent: string, scenarioName: string, now = new Date()): RunDir {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  const runId = `${scenarioName}-${stamp}-${randomBytes(3).toString('hex')}`
  const dir = runDirAt(resolve(outParent, runId), runId)
  linkLatest(outParent, runId)
  return dir
}

function layout(root: string, runId: string): RunDir {
  return {
    runId,
    root,
    clusterDir: join(root, 'cluster'),
    ledgersDir: join(root, 'ledgers'),
    logsDir: join(root, 'logs'),
    resultPath: join(root, RUN_FILES.result),
    producerLedger: (i) => join(root, 'ledgers', `producer-${i}.ledger`),
    consumerLedger: (i) => join(root, 'ledgers', `consumer-${i}.ledger`),
    drainLedger: () => join(root, 'ledgers', 'drain.ledger'),
  }
}

export function runDirAt(root: string, runId: string): RunDir {
  const dir = layout(root, runId)
  for (const d of [dir.clusterDir, dir.ledgersDir, dir.logsDir]) mkdirSync(d, {recursive: true})
  return dir
}

/** An existing run directory, read only (nothing is created); the run id is the directory's name. */
export function openRunDir(root: string): RunDir {
  const abs = resolve(root)
  return layout(abs, basename(abs))
}

/** A run directory, or a result.json inside one: returns both paths. */
export function locateRun(path: string): {runDir: string; resultPath: string} {
  const abs = resolve(path)
  const isDir = existsSync(abs) && statSync(abs).isDirectory()
  return isDir ? {runDir: abs, resultPath: join(abs, RUN_FILES.result)} : {runDir: dirname(abs), resultPath: abs}
}

export function runFile(runDir: RunDir, name: keyof typeof RUN_FILES): string {
  return join(runDir.root, RUN_FILES[name])
}

/** The outbox table of producer slot i: it outlives the process, so a respawned producer re-sends what i left PENDING. */
export function outboxPath(runDir: RunDir, slot: number): string {
  return join(runDir.root, `producer-${slot}.outbox`)
}

/** A consumer worker respawned after a kill writes a fresh ledger: <worker>.r<k>.ledger. */
export function respawnedLedger(runDir: RunDir, worker: string, respawn: number): string {
  return join(runDir.ledgersDir, `${worker}.r${respawn}.ledger`)
}

/** Every producer ledger, sorted (restarted producers write producer-<n>.ledger under a new id). */
export function producerLedgerFiles(runDir: RunDir): string[] {
  return ledgerFiles(runDir, /^producer-\d+\.ledger$/)
}

/** One consumer worker's ledgers, its respawns included, sorted. */
export function workerLedgerFiles(runDir: RunDir, worker: string): string[] {
  return ledgerFiles(runDir, new RegExp(`^${worker}(\\.r\\d+)?\\.ledger$`))
}

function ledgerFiles(runDir: RunDir, pattern: RegExp): string[] {
  if (!existsSync(runDir.ledgersDir)) return []
  return readdirSync(runDir.ledgersDir).filter((f) => pattern.test(f)).sort().map((f) => join(runDir.ledgersDir, f))
}

export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n')
}

/** A JSON file the run wrote at the top of its directory (scenario.json, ...); a missing or damaged one is bad input. */
export function readRunJson(runDir: RunDir, name: 'scenario'): unknown {
  const path = runFile(runDir, name)
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new ConfigError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      cause: err, hint: 'pass a run directory written by mqbench run',
    })
  }
}
