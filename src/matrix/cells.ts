/**
 * The matrix's cells (flushDiskType × brokerRole, master + slave, plus the single-master rows) and the
 * scenarios each is measured with. They are the built-in scenarios the rest of mqbench runs — the
 * master/slave and single-master load scenarios, power-loss and master-disk-loss — with the cell's
 * flushDiskType and brokerRole put on the master, as `mqbench chaos --flush/--role` would.
 */
import {ConfigError} from '../errors.js'
import {resolveScenario} from '../scenario/builtin.js'
import type {Scenario} from '../scenario/schema.js'
import type {FlushDiskType} from '../protocol/common/broker-role.js'
import {MASTER_ID} from '../protocol/common/mix-all.js'
import type {MatrixReplication, MatrixTarget} from './matrix-result.js'

export interface CellSpec {
  id: string
  target: MatrixTarget
  flushDiskType: FlushDiskType
  replication: MatrixReplication
}

const COMBINATIONS: Array<[CellSpec['flushDiskType'], MatrixReplication]> = [
  ['SYNC_FLUSH', 'SYNC_MASTER'], ['SYNC_FLUSH', 'ASYNC_MASTER'], ['ASYNC_FLUSH', 'SYNC_MASTER'], ['ASYNC_FLUSH', 'ASYNC_MASTER'],
  ['SYNC_FLUSH', 'single'], ['ASYNC_FLUSH', 'single'],
]

export function cellName(flush: string, replication: string): string {
  return `${flush}/${replication}`
}

/** Every cell for the targets, optionally filtered by name (`SYNC_FLUSH/single`, or `embedded:SYNC_FLUSH/single`). */
export function matrixCells(targets: MatrixTarget[], only?: string[]): CellSpec[] {
  const both = targets.length > 1
  const cells = targets.flatMap((target) => COMBINATIONS.map(([flushDiskType, replication]) => ({
    id: both ? `${target}:${cellName(flushDiskType, replication)}` : cellName(flushDiskType, replication), target, flushDiskType, replication,
  })))
  if (!only?.length) return cells
  for (const o of only) {
    if (!cells.some((c) => cellMatches(c, o))) {
      throw new ConfigError(`--cells: unknown cell ${JSON.stringify(o)}; expected one of ${COMBINATIONS.map(([f, r]) => cellName(f, r)).join(', ')}`)
    }
  }
  return cells.filter((c) => only.some((o) => cellMatches(c, o)))
}

/** `SYNC_FLUSH/SYNC_MASTER` names the cell on every target; `rocketmq:SYNC_FLUSH/SYNC_MASTER` one target's. */
export function cellMatches(c: CellSpec, name: string): boolean {
  const plain = cellName(c.flushDiskType, c.replication)
  return name === plain || name === `${c.target}:${plain}`
}

export interface CellScenarioOptions {
  seed: number
  client: 'mqbench' | 'java'
  /** broker.conf keys added to the master of every scenario (e.g. mqbenchBrokenMode=ack-before-fsync). */
  masterConf: Record<string, string>
}

function load(name: string): {scenario: Scenario; file: string} {
  return resolveScenario(name)
}

/**
 * The cell's mode on the master; a slave added (or kept) for replicated cells. No consumer: each promise is
 * judged on the final read of every live replica, and a consumer only adds a check of its own progress.
 * (That check is how the first idle-machine matrix found the HA resume bug fixed in ha-connection.ts: a
 * slave left different from its restarted master stopped dispatching, and the consumer reading it starved.)
 */
function shape(base: Scenario, cell: CellSpec, o: CellScenarioOptions): Scenario {
  const s = structuredClone(base)
  s.target = cell.target
  s.seed = o.seed
  s.workload.client = o.client
  s.workload.consumers = 0
  s.thresholds = []
  const master = s.cluster.brokers.find((b) => b.brokerId === MASTER_ID)!
  master.flushDiskType = cell.flushDiskType
  master.brokerRole = cell.replication === 'single' ? 'ASYNC_MASTER' : cell.replication
  master.conf = {...master.conf, ...o.masterConf}
  const slaves = s.cluster.brokers.filter((b) => b.brokerId !== MASTER_ID)
  if (cell.replication === 'single') s.cluster.brokers = [master]
  else if (slaves.length === 0) {
    const conf = Object.fromEntries(Object.entries(master.conf).filter(([k]) => k === 'mappedFileSizeCommitLog' || k === 'storeFs'))
    s.cluster.brokers = [master, {...structuredClone(master), brokerId: 1, brokerRole: 'SLAVE', conf}]
  }
  return s
}

/** Fault-free load scenario of the cell (rate search and the common-rate run). */
export function loadScenario(cell: CellSpec, o: CellScenarioOptions): {scenario: Scenario; file: string} {
  const {scenario, file} = load(cell.replication === 'single' ? 'sync-flush' : 'sync-flush-sync-master')
  const s = shape(scenario, cell, o)
  s.name = `matrix-${cell.flushDiskType}-${cell.replication}`.toLowerCase().replaceAll('_', '-')
  return {scenario: s, file}
}

/** One master power cut under load, `at` into the load, for 1 s; rate and duration set by the plan. */
export function powerCutScenario(cell: CellSpec, o: CellScenarioOptions, rate: number, durationMs: number): {scenario: Scenario; file: string} {
  // Real RocketMQ has no in-process volatile page cache: its store sits on faultfs, which holds unsynced bytes.
  const {scenario, file} = load(cell.target === 'rocketmq' ? 'power-loss-faultfs' : 'power-loss')
  const s = shape(scenario, cell, o)
  s.name = `matrix-power-cut-${cell.flushDiskType}-${cell.replication}`.toLowerCase().replaceAll('_', '-')
  s.workload.rate = rate
  s.workload.duration = durationMs
  s.faults = [{...s.faults[0]!, at: Math.min(2000, Math.floor(durationMs / 3)), every: undefined, jitter: undefined, for: 1000}]
  return {scenario: s, file}
}

/** The master's disk lost under load (slave alive); replicated cells only. */
export function diskLossScenario(cell: CellSpec, o: CellScenarioOptions, rate: number, durationMs: number): {scenario: Scenario; file: string} {
  const {scenario, file} = load('master-disk-loss')
  const s = shape(scenario, cell, o)
  s.name = `matrix-disk-loss-${cell.flushDiskType}-${cell.replication}`.toLowerCase().replaceAll('_', '-')
  s.workload.rate = rate
  s.workload.duration = durationMs
  s.faults = [{...s.faults[0]!, at: Math.min(2000, Math.floor(durationMs / 3)), for: 1000}]
  return {scenario: s, file}
}

/** What the mode promises, in the words of the promise table (architecture.md). */
export function powerCutPromise(cell: CellSpec): string {
  return cell.flushDiskType === 'SYNC_FLUSH'
    ? 'SYNC_FLUSH: no SEND_OK lost on a power cut'
    : 'ASYNC_FLUSH: only SEND_OKs inside the unflushed window (flushIntervalCommitLog) may be lost'
}

export function diskLossPromise(cell: CellSpec): string {
  if (cell.replication === 'single') return 'single master: no copy survives the disk; nothing promised'
  return cell.replication === 'SYNC_MASTER'
    ? 'SYNC_MASTER: no SEND_OK lost when the master disk dies (the slave had it before the ack)'
    : 'ASYNC_MASTER: only SEND_OKs within the replication lag may be lost'
}
