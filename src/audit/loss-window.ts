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
import {IdentityTable} from './identity-table.js'

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
  /** Ack times of every SEND_OK identity, sorted: how much was written just before each cut. */
  ackTimesMs?: Iterable<number>
  /** Windows in which a broker's disk failed writes or fsyncs. */
  brokenDisks?: BrokenDisk[]
}

/**
 * SEND_OK messages absent from the post-heal drain (the checker's lostFromStore): what a cut took
 * from the store, whether or not a consumer read the message before it went.
 */
export function findLostAcks(input: AuditInput): {lost: LostAck[]; ackTimesMs: Float64Array} {
  // Typed arrays per identity, not "pid:seq" strings: a chaos run of millions of messages is audited too.
  let capacity = 0
  for (const ledger of input.producers) capacity += ledger.length
  const acked = new IdentityTable(capacity)
  const ackMs = new Float64Array(capacity)
  for (const ledger of input.producers) {
    for (let i = 0; i < ledger.length; i++) if (ledger.sendOk(i)) ackMs[acked.slot(ledger.producerId(i), ledger.seq(i))] = ledger.ackOrIntendedMs(i)
  }
  const stored = new Uint8Array(acked.size)
  const drained = input.drained
  for (let i = 0; i < drained.length; i++) {
    const s = drained.producerId(i) === NOT_OURS ? -1 : acked.find(drained.producerId(i), drained.seq(i))
    if (s >= 0) stored[s] = 1
  }
  const lost: LostAck[] = []
  for (let s = 0; s < acked.size; s++) if (stored[s] === 0) lost.push({id: acked.label(s), ackMs: ackMs[s]!})
  lost.sort((a, b) => a.ackMs - b.ackMs)
  return {lost, ackTimesMs: ackMs.slice(0, acked.size).sort()}
}

/** Whether the drain found an identity (any topic, any replica). */
export function storedLookup(drained: DeliveryLog): (producerId: number, seq: number) => boolean {
  const stored = new IdentityTable(drained.length)
  for (let i = 0; i < drained.length; i++) if (drained.producerId(i) !== NOT_OURS) stored.slot(drained.producerId(i), drained.seq(i))
  return (producerId, seq) => stored.find(producerId, seq) >= 0
}

/** Each lost ack belongs to the first cut at or after it; undefined = acked after every cut (no fault explains it). */
export function cutOf(ack: LostAck, cuts: Cut[]): Cut | undefined {
  let best: Cut | undefined
  for (const c of cuts) if (c.atMs >= ack.ackMs && (best === undefined || c.atMs < best.atMs)) best = c
  return best
}
