/**
 * Layout of one run directory: everything a run produced, so `mqbench report <run-dir>` and
 * `mqbench audit <run-dir>` can work offline later.
 *
 *   <out>/<run-id>/scenario.json   resolved scenario (after flag overrides)
 *                  cluster/        per-node conf, store and log
 *                  ledgers/        producer-<i>.ledger, consumer-<i>.ledger, drain.ledger
 *                  logs/           worker logs
 *                  result.json     the RunResult
 *   <out>/latest                   a link to the newest run directory
 */
import {mkdirSync, writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {randomBytes} from 'node:crypto'
import {linkLatest} from './run-cleanup.js'

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

export function runDirAt(root: string, runId: string): RunDir {
  const dir: RunDir = {
    runId,
    root,
    clusterDir: join(root, 'cluster'),
    ledgersDir: join(root, 'ledgers'),
    logsDir: join(root, 'logs'),
    resultPath: join(root, 'result.json'),
    producerLedger: (i) => join(root, 'ledgers', `producer-${i}.ledger`),
    consumerLedger: (i) => join(root, 'ledgers', `consumer-${i}.ledger`),
    drainLedger: () => join(root, 'ledgers', 'drain.ledger'),
  }
  for (const d of [dir.clusterDir, dir.ledgersDir, dir.logsDir]) mkdirSync(d, {recursive: true})
  return dir
}

export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value, null, 2) + '\n')
}
