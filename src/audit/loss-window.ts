/**
 * Loss windows: when a mode allows some loss (ASYNC_FLUSH under a power cut, ASYNC_MASTER under a
 * disk loss), "lost == 0" is the wrong test; the promise is about *which* messages may go. This file
 * collects the evidence the verdict needs: every lost SEND_OK with its ack time, and every cut with
 * the flush that preceded it (recorded by the run from the broker's flush.log). Pure functions of the record.
 */
import type {AuditInput} from './checker.js'
import type {BrokenDisk, Cut, FlusherSettings} from '../recorder/audit-record.js'

export type {BrokenDisk, Cut, FlusherSettings}
import {NOT_OURS} from '../recorder/ledger/delivery-ledger.js'
import type {DeliveryLog} from '../recorder/ledger/delivery-log.js'

export interface LostAck {
  id: string
  ackMs: number
}

export interface LossEvidence {
  lostAcks: LostAck[]
  cuts: Cut[]
  flusher?: FlusherSettings
  /** Bytes one message takes in the CommitLog, roughly (body + properties + header). */
  recordBytes?: number
  /** Ack times of every SEND_OK, sorted: how much was written just before each cut. */
  ackTimesMs?: number[]
  /** Windows in which a broker's disk failed writes or fsyncs. */
  brokenDisks?: BrokenDisk[]
}

/**
 * SEND_OK messages absent from the post-heal drain (the checker's lostFromStore): what a cut took
 * from the store, whether or not a consumer read the message before it went.
 */
export function findLostAcks(input: AuditInput): {lost: LostAck[]; ackTimesMs: number[]} {
  const stored = storedIdentities(input.drained)
  const acked = new Map<string, number>()
  for (const ledger of input.producers) {
    for (let i = 0; i < ledger.length; i++) if (ledger.sendOk(i)) acked.set(`${ledger.producerId(i)}:${ledger.seq(i)}`, ledger.ackOrIntendedMs(i))
  }
  const lost: LostAck[] = []
  for (const [id, ackMs] of acked) if (!stored.has(id)) lost.push({id, ackMs})
  lost.sort((a, b) => a.ackMs - b.ackMs)
  return {lost, ackTimesMs: [...acked.values()].sort((a, b) => a - b)}
}

/** Every identity of ours the drain found, as "producerId:seq". */
export function storedIdentities(drained: DeliveryLog): Set<string> {
  const stored = new Set<string>()
  for (let i = 0; i < drained.length; i++) if (drained.producerId(i) !== NOT_OURS) stored.add(`${drained.producerId(i)}:${drained.seq(i)}`)
  return stored
}

/** Each lost ack belongs to the first cut at or after it; undefined = acked after every cut (no fault explains it). */
export function cutOf(ack: LostAck, cuts: Cut[]): Cut | undefined {
  let best: Cut | undefined
  for (const c of cuts) if (c.atMs >= ack.ackMs && (best === undefined || c.atMs < best.atMs)) best = c
  return best
}
