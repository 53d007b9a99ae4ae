/**
 * Message lookup by key (RocketMQ IndexService over IndexFiles): every dispatched message is indexed
 * under `topic#UNIQ_KEY` and under `topic#k` for each KEYS entry (space-separated). RocketMQ keeps
 * the index in 400 MB files on disk; ours lives in memory and holds the newest `maxEntries` entries,
 * dropping the oldest first, so a long run keeps a bounded footprint. Like RocketMQ's, it is a hint:
 * callers read the records back and check the key, and a restart starts an empty index that only
 * the messages recovery re-dispatches (and newer ones) fill again.
 */

/** MessageConst.KEY_SEPARATOR */
const KEY_SEPARATOR = ' '
/** About 40 MB of keys and offsets at most; RocketMQ's per-file bound is maxIndexNum = 20M, on disk. */
export const DEFAULT_INDEX_MAX_ENTRIES = 262_144
/** RocketMQ's maxMsgsNumBatch: no query returns more offsets than this. */
export const MAX_MSGS_NUM_BATCH = 64

export interface IndexedMessage {
  topic: string
  commitLogOffset: number
  storeTimestamp: number
  keys?: string
  uniqKey?: string
}

interface Entry {
  commitLogOffset: number
  storeTimestamp: number
}

/** One key's entries, oldest first; `head` skips evicted ones so eviction is O(1) even for a hot key. */
interface Chain {
  entries: Entry[]
  head: number
}

export interface IndexQueryResult {
  commitLogOffsets: number[]
  indexLastUpdateTimestamp: number
  indexLastUpdatePhyoffset: number
}

export class IndexService {
  private readonly table = new Map<string, Chain>()
  /** Keys in insertion order, one per entry: a ring of capacity maxEntries. */
  private readonly order: string[] = []
  private head = 0
  private lastTimestamp = 0
  private lastPhyOffset = 0

  constructor(private readonly maxEntries = DEFAULT_INDEX_MAX_ENTRIES) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}`)
  }

  get size(): number {
    return this.order.length
  }

  buildIndex(m: IndexedMessage): void {
    if (m.uniqKey) this.put(`${m.topic}#${m.uniqKey}`, m)
    if (m.keys) {
      for (const k of m.keys.split(KEY_SEPARATOR)) if (k !== '') this.put(`${m.topic}#${k}`, m)
    }
    this.lastTimestamp = m.storeTimestamp
    this.lastPhyOffset = m.commitLogOffset
  }

  /** Newest first, at most min(maxNum, 64), store time within [begin, end] (IndexFile.selectPhyOffset). */
  queryOffset(topic: string, key: string, maxNum: number, begin: number, end: number): IndexQueryResult {
    const limit = Math.max(0, Math.min(maxNum, MAX_MSGS_NUM_BATCH))
    const found: number[] = []
    const chain = this.table.get(`${topic}#${key}`)
    for (let i = (chain?.entries.length ?? 0) - 1; chain && i >= chain.head && found.length < limit; i--) {
      const e = chain.entries[i]!
      if (e.storeTimestamp >= begin && e.storeTimestamp <= end) found.push(e.commitLogOffset)
    }
    return {commitLogOffsets: found, indexLastUpdateTimestamp: this.lastTimestamp, indexLastUpdatePhyoffset: this.lastPhyOffset}
  }

  private put(key: string, m: IndexedMessage): void {
    let chain = this.table.get(key)
    if (!chain) this.table.set(key, (chain = {entries: [], head: 0}))
    chain.entries.push({commitLogOffset: m.commitLogOffset, storeTimestamp: m.storeTimestamp})
    if (this.order.length < this.maxEntries) {
      this.order.push(key)
      return
    }
    const evicted = this.order[this.head]!
    this.order[this.head] = key
    this.head = (this.head + 1) % this.maxEntries
    const old = this.table.get(evicted)!
    old.head++
    if (old.head === old.entries.length) {
      this.table.delete(evicted)
    } else if (old.head > 1024 && old.head * 2 > old.entries.length) {
      // Drop the evicted prefix now and then, so a hot key's array does not grow without bound.
      old.entries = old.entries.slice(old.head)
      old.head = 0
    }
  }
}
