/**
 * What a crash test concludes from the acks and the drain: which acknowledged messages are gone or
 * changed, whether a queue has holes, and whether new sends land after everything acknowledged.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import type {Producer} from '../../src/client/producer.js'
import {type Ack, type Drained, mismatch, queuesOf} from './crash-load.js'

export interface AckAudit {
  lost: Ack[]
  /** found, but at another place or with other bytes */
  changed: string[]
}

export function auditAcks(acks: Iterable<Ack>, drained: Drained, bodyBytes: number): AckAudit {
  const out: AckAudit = {lost: [], changed: []}
  for (const ack of acks) {
    const m = drained.messages.get(ack.uniqKey)
    if (!m) {
      out.lost.push(ack)
      continue
    }
    const why = mismatch(ack, m, bodyBytes)
    if (why) out.changed.push(why)
  }
  return out
}

/** Offsets 0..maxOffset-1 of every queue were all read back (recovery left no hole). */
export function queueHoles(drained: Drained): string[] {
  const seen = new Map<number, Set<number>>()
  for (const m of drained.messages.values()) {
    let s = seen.get(m.queueId)
    if (!s) seen.set(m.queueId, (s = new Set()))
    s.add(m.queueOffset)
  }
  const holes: string[] = []
  for (const [queueId, max] of drained.maxOffsets) {
    const s = seen.get(queueId) ?? new Set()
    for (let o = 0; o < max; o++) if (!s.has(o)) holes.push(`${queueId}/${o}`)
  }
  return holes
}

export interface NextSend {
  queueId: number
  queueOffset: number
  maxAckedOffset: number
  recoveredMaxOffset: number
}

/** One sync send into every queue after the restart: where did it land? */
export async function sendOnePerQueue(producer: Producer, topic: string, queueNums: number, acks: Iterable<Ack>, drained: Drained): Promise<NextSend[]> {
  const maxAcked = new Map<number, number>()
  for (const a of acks) maxAcked.set(a.queueId, Math.max(maxAcked.get(a.queueId) ?? -1, a.queueOffset))
  const out: NextSend[] = []
  for (const mq of queuesOf(topic, queueNums)) {
    const r = await producer.send({topic, body: Buffer.from(`after restart ${mq.queueId}`)}, {queue: mq})
    if (r.status !== 'SEND_OK') throw new Error(`send after restart to queue ${mq.queueId}: ${r.status}`)
    out.push({
      queueId: mq.queueId, queueOffset: r.queueOffset, maxAckedOffset: maxAcked.get(mq.queueId) ?? -1,
      recoveredMaxOffset: drained.maxOffsets.get(mq.queueId) ?? 0,
    })
  }
  return out
}

export interface FlushLogRecord {
  startMs?: number
  timeMs: number
  flushedOffset: number
  thorough: boolean
}

/** The ASYNC_FLUSH flusher's evidence file (<storePathRootDir>/flush.log, one JSON line per flush). */
export function readFlushLog(storeDir: string): FlushLogRecord[] {
  let text: string
  try {
    text = readFileSync(join(storeDir, 'flush.log'), 'utf8')
  } catch {
    return []
  }
  // A kill can cut the last line short; a partial line is no evidence of a flush.
  return text.split('\n').flatMap((line) => {
    try {
      return line.trim() === '' ? [] : [JSON.parse(line) as FlushLogRecord]
    } catch {
      return []
    }
  })
}
