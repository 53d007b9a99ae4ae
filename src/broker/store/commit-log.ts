/**
 * The CommitLog: every message of every topic, appended in arrival order (RocketMQ CommitLog).
 * append() is synchronous — it assigns the physical offset, the per-queue logical offset and the
 * store timestamp and stages the record bytes — so ordering needs no lock. Getting the bytes to the
 * FileIO is batched: one write loop carries everything staged since its last round.
 */
import {
  BLANK_MAGIC, BLANK_RECORD_BYTES, MAX_PROPERTIES_BYTES, encodeOffsetMsgId, encodeProperties, measureRecord,
  writeMessageRecord, type MessageRecordInput,
} from '../../protocol/message/index.js'
import {ProtocolError} from '../../protocol/protocol-error.js'
import {OffsetWaiters} from './flush/offset-waiters.js'
import type {FileIO} from './io/file-io.js'
import {MappedFileQueue} from './mapped-file-queue.js'
import {tagsCodeOf, type DispatchRequest} from './dispatch-request.js'

export interface MessageToStore {
  topic: string
  queueId: number
  flag: number
  sysFlag: number
  bornTimestamp: number
  bornHost: string
  body: Buffer
  properties: Record<string, string>
  reconsumeTimes: number
  waitStoreMsgOK: boolean
}

export interface AppendResult {
  wroteOffset: number
  wroteBytes: number
  /** offset msgId; comma-joined for a batch, as RocketMQ answers a batch send */
  msgId: string
  queueOffset: number
  storeTimestamp: number
  msgNum: number
  msgIds: string[]
}

export type AppendOutcome =
  | {status: 'PUT_OK'; result: AppendResult; dispatch: DispatchRequest[]}
  | {status: 'MESSAGE_ILLEGAL' | 'PROPERTIES_SIZE_EXCEEDED'; reason: string}

const HEX_CODES = Array.from('0123456789ABCDEF', (c) => c.charCodeAt(0))
const hexScratch = new Uint8Array(16)

/** 0 <= v < 2^53 as 16 uppercase hex digits: ~3x cheaper than toString(16).toUpperCase().padStart(). */
function hex16(v: number): string {
  let hi = Math.floor(v / 0x1_0000_0000)
  let lo = v - hi * 0x1_0000_0000
  for (let i = 15; i >= 8; i--, lo >>>= 4) hexScratch[i] = HEX_CODES[lo & 15]!
  for (let i = 7; i >= 0; i--, hi >>>= 4) hexScratch[i] = HEX_CODES[hi & 15]!
  return String.fromCharCode.apply(null, hexScratch as unknown as number[])
}

/** Staging chunk size: a round of group commit usually fits in one chunk. */
const COMMIT_LOG_CHUNK_BYTES = 1024 * 1024

export class CommitLog {
  readonly queue: MappedFileQueue
  /** next logical offset per "topic-queueId" (RocketMQ topicQueueTable) */
  readonly topicQueueTable = new Map<string, number>()
  private readonly writeWaiters = new OffsetWaiters<void>()
  private writeLoopRunning = false
  /** the store-host half of every offset msgId, computed once */
  private readonly msgIdPrefix: string

  constructor(io: FileIO, dir: string, readonly fileSize: number, private readonly storeHost: string, log?: (line: string) => void) {
    this.queue = new MappedFileQueue(io, dir, fileSize, COMMIT_LOG_CHUNK_BYTES, log)
    this.msgIdPrefix = encodeOffsetMsgId(storeHost, 0).slice(0, 16)
  }

  /** Same text as encodeOffsetMsgId(storeHost, offset), without re-parsing the host per message. */
  offsetMsgId(offset: number): string {
    return this.msgIdPrefix + hex16(offset)
  }

  /** Appends the messages as consecutive records in one file (a batch never spans files). */
  append(msgs: MessageToStore[]): AppendOutcome {
    const storeTimestamp = Date.now()
    const inputs: MessageRecordInput[] = []
    const sizes: ReturnType<typeof measureRecord>[] = []
    let total = 0
    for (const m of msgs) {
      const input = this.recordInput(m, storeTimestamp)
      const properties = input.properties as string
      // A UTF-16 unit is at most 3 UTF-8 bytes: short text needs no byte count here.
      if (properties.length > MAX_PROPERTIES_BYTES / 3 && Buffer.byteLength(properties) > MAX_PROPERTIES_BYTES) return {status: 'PROPERTIES_SIZE_EXCEEDED', reason: `properties exceed ${MAX_PROPERTIES_BYTES} bytes`}
      try {
        sizes.push(measureRecord(input))
      } catch (err) {
        if (err instanceof ProtocolError) return {status: 'MESSAGE_ILLEGAL', reason: err.message}
        throw err
      }
      inputs.push(input)
      total += sizes[sizes.length - 1]!.size
    }
    if (total + BLANK_RECORD_BYTES > this.fileSize) return {status: 'MESSAGE_ILLEGAL', reason: `${total} bytes do not fit in a ${this.fileSize}-byte CommitLog file`}
    let file = this.queue.writableFile()
    if (file.wrotePosition + total + BLANK_RECORD_BYTES > this.fileSize) {
      // End-of-file blank: [bytes left][BLANK_MAGIC]; the record goes to offset 0 of the next file.
      const left = this.fileSize - file.wrotePosition
      const {buf, pos} = file.reserve(BLANK_RECORD_BYTES)
      buf.writeInt32BE(left, pos)
      buf.writeInt32BE(BLANK_MAGIC, pos + 4)
      file.markFull()
      file = this.queue.writableFile()
    }
    const wroteOffset = file.fileFromOffset + file.wrotePosition
    const {buf, pos} = file.reserve(total)
    const {result, dispatch} = this.writeRecords(buf, pos, wroteOffset, inputs, sizes, msgs, total, storeTimestamp)
    return {status: 'PUT_OK', result, dispatch}
  }

  private recordInput(m: MessageToStore, storeTimestamp: number): MessageRecordInput {
    return {
      topic: m.topic, queueId: m.queueId, flag: m.flag, queueOffset: 0, commitLogOffset: 0, sysFlag: m.sysFlag,
      bornTimestamp: m.bornTimestamp, bornHost: m.bornHost, storeTimestamp, storeHost: this.storeHost,
      reconsumeTimes: m.reconsumeTimes, preparedTransactionOffset: 0, body: m.body, properties: encodeProperties(m.properties),
    }
  }

  private writeRecords(
    buf: Buffer, pos: number, wroteOffset: number, inputs: MessageRecordInput[], sizes: ReturnType<typeof measureRecord>[],
    msgs: MessageToStore[], total: number, storeTimestamp: number,
  ): {result: AppendResult; dispatch: DispatchRequest[]} {
    const msgIds: string[] = []
    const dispatch: DispatchRequest[] = []
    let p = pos
    let phy = wroteOffset
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!
      const key = `${input.topic}-${input.queueId}`
      const queueOffset = this.topicQueueTable.get(key) ?? 0
      this.topicQueueTable.set(key, queueOffset + 1)
      input.queueOffset = queueOffset
      input.commitLogOffset = phy
      const size = writeMessageRecord(buf, p, input, sizes[i])
      msgIds.push(this.offsetMsgId(phy))
      const properties = msgs[i]!.properties
      dispatch.push({
        topic: input.topic, queueId: input.queueId, queueOffset, commitLogOffset: phy, size, storeTimestamp,
        tagsCode: tagsCodeOf(input.topic, properties, storeTimestamp), keys: properties.KEYS, uniqKey: properties.UNIQ_KEY,
      })
      p += size
      phy += size
    }
    const result: AppendResult = {
      wroteOffset, wroteBytes: total, msgId: msgIds.join(','), queueOffset: dispatch[0]!.queueOffset, storeTimestamp,
      msgNum: inputs.length, msgIds,
    }
    return {result, dispatch}
  }

  /**
   * Slave side of replication: raw bytes copied from the master's CommitLog at the same offset.
   * They never cross a file boundary (the master reads them from one file).
   */
  appendRaw(startOffset: number, data: Buffer): void {
    const max = this.maxOffset()
    if (startOffset !== max && !(this.queue.files.length === 0 && startOffset % this.fileSize === 0)) {
      throw new Error(`appendToCommitLog at ${startOffset}, but the CommitLog ends at ${max}`)
    }
    const file = this.queue.writableFile(startOffset)
    if (file.wrotePosition + data.length > this.fileSize) throw new Error(`appendToCommitLog: ${data.length} bytes at ${startOffset} cross the end of file ${file.fileName}`)
    const {buf, pos} = file.reserve(data.length)
    data.copy(buf, pos)
    if (file.wrotePosition === this.fileSize) file.markFull()
  }

  /**
   * Raw bytes from `offset`, up to maxBytes, never across a file boundary, and only bytes already handed
   * to the file: RocketMQ's HA ships what is in the page cache, and so must we — shipping bytes still
   * staged in this process would let a kill -9 leave the master shorter than its slave.
   */
  readRaw(offset: number, maxBytes: number): Buffer | undefined {
    const f = this.queue.findByOffset(offset)
    if (!f) return undefined
    const pos = offset - f.fileFromOffset
    const n = Math.min(maxBytes, f.writtenPosition - pos)
    return n > 0 ? f.read(pos, n) : undefined
  }

  /** One record by physical offset and size (from a ConsumeQueue unit). */
  readRecord(offset: number, size: number): Buffer | undefined {
    return this.queue.read(offset, size)
  }

  /** Whether readRecord(offset, size) finds the record: it lies inside the appended bytes of one file. */
  hasRecord(offset: number, size: number): boolean {
    return this.queue.holds(offset, size)
  }

  /** Records hasRecord() accepted, back to back into `target`; records close together in one file share a read. */
  readRecordsInto(target: Buffer, offsets: readonly number[], sizes: readonly number[]): void {
    this.queue.readRangesInto(target, offsets, sizes)
  }

  /** The record size at `offset`, read from its TOTALSIZE field. */
  recordSizeAt(offset: number): number | undefined {
    const head = this.queue.read(offset, 4)
    return head ? head.readInt32BE(0) : undefined
  }

  minOffset(): number {
    return this.queue.minOffset()
  }

  maxOffset(): number {
    return this.queue.maxOffset()
  }

  flushedOffset(): number {
    return this.queue.flushedOffset()
  }

  /** Resolves once the bytes below `end` are in the FileIO (the OS page cache for NodeFileIO). */
  waitWritten(end: number): Promise<void> {
    if (this.queue.writtenOffset() >= end) return Promise.resolve()
    const p = this.writeWaiters.add(end)
    if (!this.writeLoopRunning) {
      this.writeLoopRunning = true
      // Deferred to the end of the current tick so every append made in it shares the write.
      queueMicrotask(() => void this.writeLoop())
    }
    return p
  }

  private async writeLoop(): Promise<void> {
    try {
      while (this.writeWaiters.size > 0) {
        await this.queue.writeOut()
        this.writeWaiters.resolveUpTo(this.queue.writtenOffset(), undefined)
      }
    } catch (err) {
      this.writeWaiters.rejectAll(err)
    } finally {
      this.writeLoopRunning = false
    }
  }

  /** Writes out and syncs; the flushers call this. */
  async flush(): Promise<{flushedOffset: number; syncs: number}> {
    const syncs = await this.queue.flush()
    return {flushedOffset: this.queue.flushedOffset(), syncs}
  }

  isAbleToFlush(leastPages: number): boolean {
    return this.queue.isAbleToFlush(leastPages)
  }
}
