/**
 * Message lookup by key (RocketMQ IndexService over IndexFiles): a dispatched message is found under
 * its UNIQ_KEY and under each of its KEYS (space-separated), within its topic. RocketMQ keeps hash
 * slots in 400 MB files on disk, filled by the reput thread off the send path; ours keeps the newest
 * `maxEntries` messages in a ring of parallel arrays and searches it when asked. Indexing is then four
 * array stores on the put path (no string building, no map insert, nothing to evict), and a query,
 * rare (mqadmin queryMsgByKey / queryMsgById), scans at most maxEntries entries newest first. Like
 * RocketMQ's, the index is a hint: callers read the records back and check the key, and a restart
 * starts an empty index that only the messages recovery re-dispatches (and newer ones) fill again.
 */

/** MessageConst.KEY_SEPARATOR */
const KEY_SEPARATOR = ' '
/** Newest messages kept searchable; RocketMQ's per-file bound is maxIndexNum = 20M, on disk. */
export const DEFAULT_INDEX_MAX_ENTRIES = 262_144
/** RocketMQ's maxMsgsNumBatch: no query returns more offsets than this. */
export const MAX_MSGS_NUM_BATCH = 64

export interface IndexedMessage {
  topic: string
  commitLogOffset: number
  storeTimestamp: number
  keys?: string | undefined
  uniqKey?: string | undefined
}

export interface IndexQueryResult {
  commitLogOffsets: number[]
  indexLastUpdateTimestamp: number
  indexLastUpdatePhyoffset: number
}

export class IndexService {
  private readonly topics: string[] = []
  private readonly keys: Array<string | undefined> = []
  private readonly uniqKeys: Array<string | undefined> = []
  private readonly offsets: number[] = []
  private readonly timestamps: number[] = []
  /** Slot the next message goes to once the ring is full (then also the oldest kept). */
  private next = 0
  private lastTimestamp = 0
  private lastPhyOffset = 0

  constructor(private readonly maxEntries = DEFAULT_INDEX_MAX_ENTRIES) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`)
  }

  /** Messages currently searchable. */
  get size(): number {
    return this.offsets.length
  }

  buildIndex(m: IndexedMessage): void {
    const slot = this.offsets.length < this.maxEntries ? this.offsets.length : this.next
    this.topics[slot] = m.topic
    this.keys[slot] = m.keys
    this.uniqKeys[slot] = m.uniqKey
    this.offsets[slot] = m.commitLogOffset
    this.timestamps[slot] = m.storeTimestamp
    this.next = slot + 1 === this.maxEntries ? 0 : slot + 1
    this.lastTimestamp = m.storeTimestamp
    this.lastPhyOffset = m.commitLogOffset
  }

  /** Newest first, at most min(maxNum, 64), store time within [begin, end] (IndexFile.selectPhyOffset). */
  queryOffset(topic: string, key: string, maxNum: number, begin: number, end: number): IndexQueryResult {
    const limit = Math.max(0, Math.min(maxNum, MAX_MSGS_NUM_BATCH))
    const found: number[] = []
    const n = this.offsets.length
    for (let i = 0; i < n && found.length < limit; i++) {
      const slot = (this.next - 1 - i + 2 * n) % n
      if (this.topics[slot] !== topic) continue
      const t = this.timestamps[slot]!
      if (t < begin || t > end) continue
      if (this.uniqKeys[slot] === key || hasKey(this.keys[slot], key)) found.push(this.offsets[slot]!)
    }
    return {commitLogOffsets: found, indexLastUpdateTimestamp: this.lastTimestamp, indexLastUpdatePhyoffset: this.lastPhyOffset}
  }
}

/** Whether `key` is one of the space-separated KEYS, without splitting (a query scans many). */
function hasKey(keys: string | undefined, key: string): boolean {
  if (keys === undefined || key === '') return false
  for (let from = keys.indexOf(key); from >= 0; from = keys.indexOf(key, from + 1)) {
    const end = from + key.length
    if ((from === 0 || keys[from - 1] === KEY_SEPARATOR) && (end === keys.length || keys[end] === KEY_SEPARATOR)) return true
  }
  return false
}
