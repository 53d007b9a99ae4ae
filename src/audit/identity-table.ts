/**
 * One slot per message identity (producerId, seq), with per-slot state in typed arrays: a million
 * identities cost a few MB and no per-identity objects, and arrays a check does not touch cost no
 * memory (their pages are never written). Slots come in first-seen order.
 */
import {MqbenchError} from '../errors.js'

const TWO_POW_32 = 4294967296
/** identityKey(pid, seq) = pid * 2^32 + seq stays an exact JS number only while pid < 2^21. */
const MAX_PRODUCER_ID = 2 ** 21 - 1

/** Slot lookup per producer: a dense seq → slot array while seqs stay dense, a Map for outliers. */
interface ProducerSlots { dense: Int32Array; used: number }

export class IdentityTable {
  private readonly producers = new Map<number, ProducerSlots>()
  /** identity key → slot, for sequences far beyond a producer's dense range (e.g. a mangled identity). */
  private readonly sparse = new Map<number, number>()
  private last: ProducerSlots | undefined
  private lastPid = -1
  size = 0
  readonly pids: Uint32Array
  readonly seqs: Uint32Array
  readonly flags: Uint8Array
  readonly consumed: Uint32Array
  /** Main-topic copies, the most found on any one replica (master and slave each hold one). */
  readonly stored: Uint32Array

  constructor(capacity: number) {
    this.pids = new Uint32Array(capacity)
    this.seqs = new Uint32Array(capacity)
    this.flags = new Uint8Array(capacity)
    this.consumed = new Uint32Array(capacity)
    this.stored = new Uint32Array(capacity)
  }

  // Double-valued Map keys cost ~1 µs per operation; dense per-producer arrays make the check 10× faster.
  slot(producerId: number, seq: number): number {
    if (producerId > MAX_PRODUCER_ID) {
      throw new MqbenchError('AUDIT_IDENTITY', `producerId ${producerId} exceeds ${MAX_PRODUCER_ID}: identity keys would collide`)
    }
    let p = producerId === this.lastPid ? this.last! : this.producers.get(producerId)
    if (p === undefined) this.producers.set(producerId, (p = {dense: new Int32Array(1024), used: 0}))
    this.last = p
    this.lastPid = producerId
    if (seq >= p.dense.length) {
      // Grow only while at least a quarter of the array would be in use, so one absurd seq cannot allocate gigabytes.
      if (seq >= 4 * (p.used + 1024)) return this.sparseSlot(producerId, seq)
      const grown = new Int32Array(2 ** Math.ceil(Math.log2(seq + 1)))
      grown.set(p.dense)
      p.dense = grown
    }
    const v = p.dense[seq]!
    if (v !== 0) return v - 1
    // A seq first seen far out went to the sparse map; the dense array may have grown over it since.
    const earlier = this.sparse.size > 0 ? this.sparse.get(producerId * TWO_POW_32 + seq) : undefined
    if (earlier !== undefined) return earlier
    p.used++
    const s = this.add(producerId, seq)
    p.dense[seq] = s + 1
    return s
  }

  /** The identity's slot, or -1 when it has none (nothing is added). */
  find(producerId: number, seq: number): number {
    const p = producerId === this.lastPid ? this.last : this.producers.get(producerId)
    const v = p !== undefined && seq < p.dense.length ? p.dense[seq]! : 0
    if (v !== 0) return v - 1
    return this.sparse.size > 0 ? this.sparse.get(producerId * TWO_POW_32 + seq) ?? -1 : -1
  }

  private sparseSlot(producerId: number, seq: number): number {
    const key = producerId * TWO_POW_32 + seq
    let s = this.sparse.get(key)
    if (s === undefined) this.sparse.set(key, (s = this.add(producerId, seq)))
    return s
  }

  private add(producerId: number, seq: number): number {
    const s = this.size++
    this.pids[s] = producerId
    this.seqs[s] = seq
    return s
  }

  label(s: number): string {
    return `${this.pids[s]}:${this.seqs[s]}`
  }
}
