/**
 * Loss promises of the modes that allow some loss (architecture.md, promise table):
 *   ASYNC_FLUSH under power loss: only messages acked after the last flush before the cut; the gap
 *     is about flushIntervalCommitLog while ≥ flushCommitLogLeastPages are dirty per interval, up to
 *     flushCommitLogThoroughInterval under light traffic (the flusher skips small dirty regions).
 *   ASYNC_MASTER under master disk loss: only messages acked within the replication lag at the cut,
 *     as measured by sampling master and slave CommitLog ends during the run (src/chaos/replication-lag.ts).
 * Loss here is lostFromStore (absent from the post-heal drain, delivered or not): the promise is about
 * what the store keeps. Each lost SEND_OK is charged to the first cut after its ack; one acked after every cut, or before
 * the flush that preceded its cut, breaks the promise outright.
 */
import {cutOf, type Cut, type LossEvidence, type LostAck} from './loss-window.js'
import type {PromiseCheck, VerdictCheck} from './promise.js'

/** Flush duration and timer slack on a busy 2-core machine; stated in every observation. */
export const FLUSH_WINDOW_MARGIN_MS = 500
/** Fallback when no lag was sampled (e.g. a broker without runtime info): a same-host slave trails by milliseconds. */
export const REPLICATION_LAG_BOUND_MS = 2000
const PAGE_BYTES = 4096

interface CutLoss {
  cut: Cut
  oldestAckMs: number
  count: number
}

/** Groups lost acks by cut; lost acks no cut explains are returned apart. */
function chargeToCuts(lost: LostAck[], cuts: Cut[]): {byCut: CutLoss[]; unexplained: LostAck[]} {
  const byCut = new Map<Cut, CutLoss>()
  const unexplained: LostAck[] = []
  for (const ack of lost) {
    const cut = cutOf(ack, cuts)
    if (!cut) {
      unexplained.push(ack)
      continue
    }
    const c = byCut.get(cut) ?? {cut, oldestAckMs: ack.ackMs, count: 0}
    c.count++
    c.oldestAckMs = Math.min(c.oldestAckMs, ack.ackMs)
    byCut.set(cut, c)
  }
  return {byCut: [...byCut.values()], unexplained}
}

function acksIn(ackTimesMs: Iterable<number>, fromMs: number, toMs: number): number {
  let n = 0
  for (const t of ackTimesMs) if (t > fromMs && t <= toMs) n++
  return n
}

/** Which flusher bound applies at a cut: the interval when enough pages were dirtied in the last one. */
function flushBound(ev: LossEvidence, cut: Cut): {name: string; ms: number} {
  const f = ev.flusher!
  const bytes = acksIn(ev.ackTimesMs ?? [], cut.atMs - f.flushIntervalCommitLog, cut.atMs) * (ev.recordBytes ?? 0)
  return bytes >= f.flushCommitLogLeastPages * PAGE_BYTES
    ? {name: `flushIntervalCommitLog ${f.flushIntervalCommitLog} ms (≥ ${f.flushCommitLogLeastPages} pages dirtied per interval)`, ms: f.flushIntervalCommitLog}
    : {name: `flushCommitLogThoroughInterval ${f.flushCommitLogThoroughInterval} ms (light traffic)`, ms: f.flushCommitLogThoroughInterval}
}

function lossCheck(name: string, promise: string, observed: string, pass: boolean, samples: string[]): VerdictCheck {
  const check: VerdictCheck = {name, promise, observed, pass}
  if (samples.length > 0) check.lostSamples = samples
  return check
}

function syncedTo(cut: Cut): string {
  return cut.lastFlushedOffset === undefined ? '' : ` and synced the CommitLog to offset ${cut.lastFlushedOffset}`
}

export const asyncFlushWindow: PromiseCheck = (audit, mode) => {
  const promise = 'ASYNC_FLUSH power loss: only SEND_OK messages acked after the last flush before the cut may be lost'
  const ev = mode.evidence
  const lostCount = audit.counts.lostFromStore
  const samples = audit.samples.lostFromStore ?? []
  if (lostCount === 0) return lossCheck('loss-window', promise, `no SEND_OK message missing from the store (${ev?.cuts.length ?? 0} cut(s))`, true, [])
  if (!ev?.flusher) return lossCheck('loss-window', promise, `${lostCount} missing from the store, and no flush/cut evidence to place them`, false, samples)
  const cuts = ev.cuts.filter((c) => c.fault === 'power-loss')
  const {byCut, unexplained} = chargeToCuts(ev.lostAcks, cuts)
  const problems: string[] = []
  if (unexplained.length > 0) problems.push(`${unexplained.length} acked after every cut (e.g. ${unexplained[0]!.id})`)
  let widest: {loss: CutLoss; bound: {name: string; ms: number}} | undefined
  for (const loss of byCut) {
    const bound = flushBound(ev, loss.cut)
    const windowMs = loss.cut.atMs - loss.oldestAckMs
    if (loss.cut.lastFlushStartMs !== undefined && loss.oldestAckMs < loss.cut.lastFlushStartMs) {
      problems.push(`a message acked ${Math.round(loss.cut.lastFlushStartMs - loss.oldestAckMs)} ms before the last flush preceding the cut at ${loss.cut.node}${syncedTo(loss.cut)}`)
    }
    if (windowMs > bound.ms + FLUSH_WINDOW_MARGIN_MS) problems.push(`window ${Math.round(windowMs)} ms exceeds ${bound.name} + ${FLUSH_WINDOW_MARGIN_MS} ms`)
    if (!widest || windowMs > widest.loss.cut.atMs - widest.loss.oldestAckMs) widest = {loss, bound}
  }
  const w = widest
  const detail = w
    ? `widest window ${Math.round(w.loss.cut.atMs - w.loss.oldestAckMs)} ms before a cut` +
      (w.loss.cut.lastFlushStartMs !== undefined ? ` (last flush began ${Math.round(w.loss.cut.atMs - w.loss.cut.lastFlushStartMs)} ms before it${syncedTo(w.loss.cut)})` : ' (no flush recorded before it)') +
      `; bound ${w.bound.name} + ${FLUSH_WINDOW_MARGIN_MS} ms margin`
    : 'no lost message is explained by a cut'
  const observed = `${lostCount} of ${audit.counts.acked} SEND_OK missing from the store over ${byCut.length} of ${cuts.length} cut(s); ${detail}` +
    (problems.length > 0 ? `; BROKEN: ${problems.join('; ')}` : '')
  return lossCheck('loss-window', promise, observed, problems.length === 0 && byCut.length > 0, samples)
}

/** Same-clock timestamps (orchestrator samples, producer acks): only rounding and timer slack separate them. */
export const REPLICATION_LAG_MARGIN_MS = 100

/** The lag bound of one cut: measured when samples exist, else the fixed fallback (said so). */
function lagBound(cut: Cut): {ms: number; text: string} {
  const lag = cut.replicationLag
  if (!lag) return {ms: REPLICATION_LAG_BOUND_MS, text: `no lag sample before the cut at ${cut.node}: fixed bound ${REPLICATION_LAG_BOUND_MS} ms`}
  return {
    ms: lag.windowMs + REPLICATION_LAG_MARGIN_MS,
    text: `measured lag at the cut ${Math.round(lag.windowMs)} ms (slave ${lag.lagBytes} bytes behind, sampled ${Math.round(lag.sampleAgeMs)} ms before) + ${REPLICATION_LAG_MARGIN_MS} ms margin`,
  }
}

export const replicationLagWindow: PromiseCheck = (audit, mode) => {
  const promise = 'ASYNC_MASTER disk loss: only SEND_OK messages the slave did not have yet (acked within the replication lag measured at the cut) may be lost'
  const ev = mode.evidence
  const lostCount = audit.counts.lostFromStore
  const samples = audit.samples.lostFromStore ?? []
  const cuts = (ev?.cuts ?? []).filter((c) => c.fault === 'disk-loss')
  const lags = cuts.map((c) => lagBound(c).text).join('; ')
  if (lostCount === 0) return lossCheck('loss-window', promise, `no SEND_OK message missing from the store (${cuts.length} disk loss(es)${lags ? `; ${lags}` : ''})`, true, [])
  if (!ev) return lossCheck('loss-window', promise, `${lostCount} missing from the store, and no cut evidence to place them`, false, samples)
  const {byCut, unexplained} = chargeToCuts(ev.lostAcks, cuts)
  const problems: string[] = []
  if (unexplained.length > 0) problems.push(`${unexplained.length} acked after every loss (e.g. ${unexplained[0]!.id})`)
  const details: string[] = []
  for (const loss of byCut) {
    const bound = lagBound(loss.cut)
    const windowMs = loss.cut.atMs - loss.oldestAckMs
    details.push(`${loss.count} lost within ${Math.round(windowMs)} ms before the loss of ${loss.cut.node}; ${bound.text}`)
    if (windowMs > bound.ms) problems.push(`window ${Math.round(windowMs)} ms exceeds the bound ${Math.round(bound.ms)} ms`)
  }
  const observed = `${lostCount} of ${audit.counts.acked} SEND_OK missing from the store; ${details.join('; ') || 'no lost message is explained by a disk loss'}` +
    (problems.length > 0 ? `; BROKEN: ${problems.join('; ')}` : '')
  return lossCheck('loss-window', promise, observed, problems.length === 0 && byCut.length > 0, samples)
}

/**
 * SYNC_FLUSH acknowledges a message once its fsync succeeded; while the disk fails writes or fsyncs
 * (disk-eio, disk-full) no SEND_OK can be honest. Acks within FLUSH_WINDOW_MARGIN_MS of the fault's start
 * are allowed (their fsync may have finished just before it). The acks are every producer's: the
 * built-in disk scenarios have one master, the broken one.
 */
export const noSyncAckOnBrokenDisk: PromiseCheck = (_audit, mode) => {
  const windows = mode.evidence?.brokenDisks ?? []
  const acks = mode.evidence?.ackTimesMs ?? []
  const inside = windows.map((w) => ({w, n: acksIn(acks, w.fromMs + FLUSH_WINDOW_MARGIN_MS, w.toMs)}))
  const total = inside.reduce((n, x) => n + x.n, 0)
  const where = inside.map(({w, n}) => `${n} during ${w.fault} on ${w.node} (${((w.toMs - w.fromMs) / 1000).toFixed(1)} s)`).join(', ')
  return {
    name: 'no-sync-ack-on-broken-disk',
    promise: `SYNC_FLUSH: no SEND_OK while the disk fails writes or fsyncs (after a ${FLUSH_WINDOW_MARGIN_MS} ms margin)`,
    observed: windows.length === 0 ? 'no broken-disk window recorded (an audit record from before they were)' : total === 0 ? `no SEND_OK: ${where}` : `${total} SEND_OK acked on a failing disk: ${where}`,
    pass: total === 0,
    ...(windows.length === 0 ? {weak: true} : {}),
  }
}
