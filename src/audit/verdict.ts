/**
 * The run verdict: what the configured mode promises, checked against the audit counts.
 * Some promises hold in every mode (no corruption, nothing unexpected, the audit itself decided);
 * the loss promise depends on the mode and on the faults injected, so it comes from a table
 * keyed by fault type. A fault without an entry gets the strictest promise — no SEND_OK message
 * missing from the store — so a missing rule shows up as a FAIL to look at, never as a silent PASS.
 */
import type {CheckResult} from './checker.js'
import {asyncFlushWindow, noSyncAckOnBrokenDisk, replicationLagWindow} from './loss-promises.js'
import type {PromiseCheck, RunMode, Verdict, VerdictCheck} from './promise.js'

export type {PromiseCheck, RunMode, Verdict, VerdictCheck}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`

/** The broker answered SEND_OK: the message must be found (Jepsen's "lost" is the one safety failure). */
export const noAckedLoss: PromiseCheck = (audit) => {
  const {lost, acked} = audit.counts
  const check: VerdictCheck = {
    name: 'no-lost',
    promise: 'no SEND_OK message lost',
    observed: lost === 0 ? `all ${acked} SEND_OK messages found` : `${lost} of ${acked} SEND_OK messages lost`,
    pass: lost === 0,
  }
  if (lost > 0) check.lostSamples = audit.samples.lost ?? []
  return check
}

/**
 * Durability after a broker fault: every SEND_OK message must still be in the store once the faults are
 * healed (all live replicas drained). A consumer read before the cut does not count, or a broker that
 * loses delivered data would pass by luck.
 */
export const noAckedLossFromStore: PromiseCheck = (audit) => {
  const {lostFromStore, acked} = audit.counts
  const check: VerdictCheck = {
    name: 'no-lost-from-store',
    promise: 'no SEND_OK message missing from the store after the heal (every live replica drained)',
    observed: lostFromStore === 0
      ? `all ${acked} SEND_OK messages stored`
      : `${lostFromStore} of ${acked} SEND_OK messages missing from the store (${lostFromStore - audit.counts.lost} of them delivered before they went)`,
    pass: lostFromStore === 0,
  }
  if (lostFromStore > 0) check.lostSamples = audit.samples.lostFromStore ?? []
  return check
}

const noCorrupt: PromiseCheck = (audit) => ({
  name: 'no-corrupt',
  promise: 'every stored and delivered body matches the CRC the producer computed',
  observed: audit.counts.corrupt === 0 ? 'no CRC mismatch' : `${plural(audit.counts.corrupt, 'message')} with a CRC mismatch`,
  pass: audit.counts.corrupt === 0,
})

const noUnexpected: PromiseCheck = (audit) => ({
  name: 'no-unexpected',
  promise: 'only attempted messages are stored or delivered',
  observed: audit.counts.unexpected === 0 ? 'none unexpected' : `${plural(audit.counts.unexpected, 'message')} never attempted`,
  pass: audit.counts.unexpected === 0,
})

/** An audit that could not decide (drain timed out, ledger unreadable) proves nothing either way. */
const auditDecided: PromiseCheck = (audit) => ({
  name: 'audit-complete',
  promise: 'every ledger was read and every queue drained',
  observed: audit.valid === 'unknown' ? `audit undecided: ${audit.error ?? 'no reason given'}` : 'audit complete',
  pass: audit.valid !== 'unknown',
})

/** At-least-once: duplicates are the price of retries, reported but never failing the run. */
const duplicatesAllowed: PromiseCheck = (audit) => ({
  name: 'duplicates',
  promise: 'at-least-once: duplicates allowed',
  observed: `${plural(audit.counts.duplicated, 'message')} duplicated`,
  pass: true,
})

/** Orderly sending (one queue per producer, sync, one in flight): the queue must hold them in send order. */
const storedInOrder: PromiseCheck = (audit) => {
  const n = audit.counts.reordered
  const check: VerdictCheck = {
    name: 'in-order',
    promise: "ordered: each producer's messages stored in send order within its queue",
    observed: n === 0 ? 'every queue in producer order' : `${plural(n, 'copy', 'copies')} stored after a later message of the same producer`,
    pass: n === 0,
  }
  if (n > 0) check.lostSamples = audit.samples.reordered ?? []
  return check
}

const ALWAYS: readonly PromiseCheck[] = [auditDecided, noCorrupt, noUnexpected, duplicatesAllowed]

/**
 * Loss promise per fault type, chosen by mode. 'none' is the fault-free run: what consumers saw or the
 * drain found must cover every SEND_OK. Faults that hit a broker are judged on what the store holds after
 * the heal: kill keeps the OS page cache and restart flushes, so nothing acked may go (a killed producer's
 * unfinished sends are 'unknown', never lost; a killed consumer only causes redelivery); a power cut loses
 * only the unflushed window under ASYNC_FLUSH; a lost master disk loses nothing under SYNC_MASTER (the
 * slave has every acked byte) and the replication lag under ASYNC_MASTER. A pause loses nothing written.
 * Fault types without an entry get the strictest check, the store-based one.
 */
export const LOSS_PROMISES: Readonly<Record<string, (mode: RunMode) => PromiseCheck>> = {
  none: () => noAckedLoss,
  pause: () => noAckedLoss,
  kill: () => noAckedLossFromStore,
  restart: () => noAckedLossFromStore,
  'power-loss': (mode) => (mode.flushDiskType === 'SYNC_FLUSH' ? noAckedLossFromStore : asyncFlushWindow),
  'disk-loss': (mode) => (mode.brokerRole === 'SYNC_MASTER' ? noAckedLossFromStore : replicationLagWindow),
}

/** The promises that allow a loss: each charges every lost message to one of its cuts, so it is strict about the rest. */
const WINDOWED: ReadonlySet<PromiseCheck> = new Set([asyncFlushWindow, replicationLagWindow])

function lossPromisesFor(mode: RunMode): PromiseCheck[] {
  const keys = mode.faults.length === 0 ? ['none'] : [...new Set(mode.faults)]
  const checks = [...new Set(keys.map((k) => (Object.hasOwn(LOSS_PROMISES, k) ? LOSS_PROMISES[k]!(mode) : noAckedLossFromStore)))]
  // A fault that loses nothing by itself (a slow link, a pause) next to one whose promise is a window: the window
  // decides, since it already fails any loss its cuts do not explain. Otherwise the zero-loss check would fail the
  // very loss the mode allows.
  const windowed = checks.filter((c) => WINDOWED.has(c))
  return windowed.length > 0 ? windowed : checks
}

/** PASS iff every promise holds; without faults: lost == 0, corrupt == 0, unexpected == 0 and the audit decided. */
export function runVerdict(audit: CheckResult, mode: RunMode): Verdict {
  // A failing disk under SYNC_FLUSH: beyond keeping what it acked, the broker must not ack what it could not sync.
  // Judged where the record has windows in which every write failed (none for a loop image's real full disk).
  const windows = mode.evidence?.brokenDisks
  const brokenDisk = mode.flushDiskType === 'SYNC_FLUSH' && mode.faults.some((f) => f === 'disk-eio' || f === 'disk-full') && mode.evidence &&
    (windows === undefined || windows.length > 0)
  const promises = [...lossPromisesFor(mode), ...(brokenDisk ? [noSyncAckOnBrokenDisk] : []), ...ALWAYS, ...(mode.ordered ? [storedInOrder] : [])]
  const checks = promises.map((promise) => promise(audit, mode))
  return {pass: checks.every((c) => c.pass), checks}
}
