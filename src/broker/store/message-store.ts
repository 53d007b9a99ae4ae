/**
 * The store facade (RocketMQ DefaultMessageStore): put → append + dispatch + wait for flush and
 * replication; get → ConsumeQueue + CommitLog; replication seams for src/broker/ha; recovery on
 * open, clean flush on shutdown.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import {decodeMessageExt, type MessageExt} from '../../protocol/message/index.js'
import {CommitLog, type MessageToStore} from './commit-log.js'
import {ConsumeQueue} from './consume-queue.js'
import {ConsumeQueueFlusher} from './flush/consume-queue-flusher.js'
import {GroupCommitFlusher, type GroupCommitStats} from './flush/group-commit-flusher.js'
import {IntervalFlusher, type FlushRecord, type IntervalFlusherStats} from './flush/interval-flusher.js'
import {getMessageFromQueue, offsetInQueueByTime, type GetMessageResult} from './get-message.js'
import type {FileIO} from './io/file-io.js'
import {NodeFileIO} from './io/node-file-io.js'
import {VolatilePageCache} from './io/volatile-page-cache.js'
import {validateMessageStoreConfig, type MessageStoreConfig} from './message-store-config.js'
import type {PutMessageStatus} from './put-message-status.js'
import {recoverStore, type RecoveryReport} from './recovery.js'
import {ReputDispatcher, type DispatchRequest} from './reput-dispatcher.js'
import {StoreCheckpoint} from './store-checkpoint.js'
import {openStoreFiles, type StoreFiles} from './store-files.js'

export type {MessageToStore, AppendResult} from './commit-log.js'
export type {GetMessageStatus, GetMessageResult} from './get-message.js'
export type {PutMessageStatus} from './put-message-status.js'
export type {RecoveryReport} from './recovery.js'
export type {FileIO} from './io/file-io.js'

export interface PutMessageResult {
  status: PutMessageStatus
  append?: import('./commit-log.js').AppendResult
}

export type ReplicationStatus = 'PUT_OK' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE'
export type ReplicationWaiter = (endOffset: number) => Promise<ReplicationStatus>

export interface MessageStoreStats {
  groupCommit?: GroupCommitStats
  intervalFlush?: IntervalFlusherStats
  maxPhyOffset: number
  flushedPhyOffset: number
}

/** How often a store that hit a write/fsync error retries its pending bytes. */
const IO_PROBE_INTERVAL_MS = 100

export class MessageStore {
  recoveryReport!: RecoveryReport
  private readonly dispatcher: ReputDispatcher
  private groupCommit?: GroupCommitFlusher
  private intervalFlusher?: IntervalFlusher
  private readonly logicsFlusher: ConsumeQueueFlusher
  private replicationWaiter?: ReplicationWaiter
  private readonly dispatchListeners: ((topic: string, queueId: number, maxOffset: number) => void)[] = []
  private readonly appendListeners: ((maxPhyOffset: number) => void)[] = []
  private ioError?: Error
  private closed = false
  private lastDispatchedTimestamp = 0

  private constructor(
    readonly config: MessageStoreConfig,
    private readonly files: StoreFiles,
    private readonly log: (line: string) => void,
  ) {
    this.dispatcher = new ReputDispatcher(files.commitLog, (r) => this.dispatchOne(r), log)
    this.logicsFlusher = new ConsumeQueueFlusher((thorough) => this.flushLogics(thorough), config, log)
  }

  get commitLog(): CommitLog {
    return this.files.commitLog
  }

  static async open(config: MessageStoreConfig, opts: {io?: FileIO; log?: (line: string) => void} = {}): Promise<MessageStore> {
    validateMessageStoreConfig(config)
    const log = opts.log ?? (() => undefined)
    const io = opts.io ?? defaultFileIO(config)
    const files = await openStoreFiles(io, config, log)
    const store = new MessageStore(config, files, log)
    const started = Date.now()
    store.recoveryReport = await recoverStore({
      commitLog: files.commitLog, consumeQueues: files.consumeQueues, checkpoint: files.checkpoint.data,
      abnormal: files.abnormal, checkCRCOnRecover: config.checkCRCOnRecover, dispatch: (r) => store.dispatchOne(r),
    })
    store.afterRecovery()
    const r = store.recoveryReport
    log(`store: ${r.abnormal ? 'abnormal' : 'clean'} recovery in ${Date.now() - started} ms: valid end ${r.validEndOffset}, ` +
      `${r.messagesRedispatched} re-dispatched, ${r.truncatedBytes} bytes truncated` +
      (r.truncatedAt ? ` at ${r.truncatedAt.offset} in ${r.truncatedAt.file} (${r.truncatedAt.reason})` : ''))
    return store
  }

  private afterRecovery(): void {
    const table = this.commitLog.topicQueueTable
    table.clear()
    for (const [key, cq] of this.files.consumeQueues) table.set(key, cq.maxOffset())
    this.dispatcher.reputFromOffset = this.recoveryReport.validEndOffset
    if (this.config.flushDiskType === 'SYNC_FLUSH') {
      this.groupCommit = new GroupCommitFlusher(this.commitLog, {
        syncFlushTimeout: this.config.syncFlushTimeout, log: this.log, onError: (err) => this.failIo(err),
      })
    } else {
      this.intervalFlusher = new IntervalFlusher(this.commitLog, this.config, (r) => this.recordFlush(r), this.log)
      this.intervalFlusher.start()
    }
    this.logicsFlusher.start()
  }

  private dispatchOne(r: DispatchRequest): void {
    const key = `${r.topic}-${r.queueId}`
    let cq = this.files.consumeQueues.get(key)
    if (!cq) {
      cq = new ConsumeQueue(this.files.io, this.config.storePathRootDir, r.topic, r.queueId, this.config.mappedFileSizeConsumeQueue, this.log)
      this.files.consumeQueues.set(key, cq)
    }
    cq.putUnit(r.queueOffset, r.commitLogOffset, r.size, r.tagsCode)
    const table = this.commitLog.topicQueueTable
    if ((table.get(key) ?? 0) <= r.queueOffset) table.set(key, r.queueOffset + 1)
    this.lastDispatchedTimestamp = r.storeTimestamp
    for (const cb of this.dispatchListeners) cb(r.topic, r.queueId, r.queueOffset + 1)
  }

  putMessage(msg: MessageToStore): Promise<PutMessageResult> {
    return this.putMessages([msg])
  }

  /** SEND_BATCH_MESSAGE: consecutive records in one file, one flush/replication wait for all. */
  async putMessages(msgs: MessageToStore[]): Promise<PutMessageResult> {
    if (this.closed || this.ioError || this.config.brokerRole === 'SLAVE') return {status: 'SERVICE_NOT_AVAILABLE'}
    if (msgs.length === 0) return {status: 'MESSAGE_ILLEGAL'}
    for (const m of msgs) if (m.body.length > this.config.maxMessageSize) return {status: 'MESSAGE_ILLEGAL'}
    const out = this.commitLog.append(msgs)
    if (out.status !== 'PUT_OK') return {status: out.status}
    this.dispatcher.dispatch(out.dispatch)
    const end = out.result.wroteOffset + out.result.wroteBytes
    // Replication reads only written bytes (CommitLog.readRaw), so wake it once these are written.
    if (this.appendListeners.length > 0) this.commitLog.waitWritten(end).then(() => this.notifyAppend(), () => undefined)
    const wait = msgs[0]!.waitStoreMsgOK
    const [flush, replication] = await Promise.all([this.waitFlush(end, wait, msgs.length), this.waitReplication(end, wait)])
    // Both wait in parallel; when both fail the replication status wins (RocketMQ applies it last).
    return {status: replication !== 'PUT_OK' ? replication : flush, append: out.result}
  }

  private async waitFlush(end: number, wait: boolean, msgNum: number): Promise<'PUT_OK' | 'FLUSH_DISK_TIMEOUT'> {
    if (this.groupCommit && wait) return this.groupCommit.waitFlushed(end, msgNum)
    if (this.groupCommit) this.groupCommit.wakeup(msgNum)
    else this.intervalFlusher?.wakeup()
    try {
      // Even unflushed, an acknowledged record must be in the page cache (kill -9 keeps it).
      await this.commitLog.waitWritten(end)
      return 'PUT_OK'
    } catch (err) {
      this.failIo(err)
      return 'FLUSH_DISK_TIMEOUT'
    }
  }

  private waitReplication(end: number, wait: boolean): Promise<ReplicationStatus> | ReplicationStatus {
    return this.replicationWaiter && wait ? this.replicationWaiter(end) : 'PUT_OK'
  }

  /**
   * A failed write or fsync makes the store refuse puts (SERVICE_NOT_AVAILABLE, as RocketMQ's
   * runningFlags do for a full or broken disk) until a retry of the pending bytes succeeds: the
   * staged records stay in memory, are written out and synced by the probe, and puts resume.
   */
  private failIo(err: unknown): void {
    if (this.ioError) return
    this.ioError = err as Error
    this.log(`store: write failed, store not writeable until a retry succeeds: ${(err as Error).message}`)
    this.probeIo()
  }

  private probeIo(): void {
    const timer = setTimeout(() => {
      if (this.closed) return
      this.commitLog.flush().then(() => {
        this.ioError = undefined
        this.log('store: write and fsync succeed again, store writeable')
      }, () => this.probeIo())
    }, IO_PROBE_INTERVAL_MS)
    timer.unref()
  }

  private notifyAppend(): void {
    if (this.appendListeners.length === 0) return
    const max = this.commitLog.maxOffset()
    for (const cb of this.appendListeners) cb(max)
  }

  getMessage(topic: string, queueId: number, offset: number, maxMsgNums: number, maxMsgBytes?: number): GetMessageResult {
    return getMessageFromQueue(this.files.consumeQueues.get(`${topic}-${queueId}`), this.commitLog, offset, maxMsgNums, {
      maxCount: this.config.maxTransferCountOnMessageInMemory ?? 32,
      maxBytes: maxMsgBytes ?? this.config.maxTransferBytesOnMessageInMemory ?? 256 * 1024,
    })
  }

  getMaxOffsetInQueue(topic: string, queueId: number): number {
    return this.files.consumeQueues.get(`${topic}-${queueId}`)?.maxOffset() ?? 0
  }

  getMinOffsetInQueue(topic: string, queueId: number): number {
    return this.files.consumeQueues.get(`${topic}-${queueId}`)?.minOffset() ?? 0
  }

  getOffsetInQueueByTime(topic: string, queueId: number, timestampMs: number): number {
    return offsetInQueueByTime(this.files.consumeQueues.get(`${topic}-${queueId}`), this.commitLog, timestampMs)
  }

  lookMessageByOffset(commitLogOffset: number): MessageExt | undefined {
    const size = this.commitLog.recordSizeAt(commitLogOffset)
    if (size === undefined || size <= 0) return undefined
    const rec = this.commitLog.readRecord(commitLogOffset, size)
    if (!rec) return undefined
    try {
      return decodeMessageExt(rec)
    } catch {
      return undefined
    }
  }

  getMaxPhyOffset(): number {
    return this.commitLog.maxOffset()
  }

  getMinPhyOffset(): number {
    return this.commitLog.minOffset()
  }

  getFlushedPhyOffset(): number {
    return this.commitLog.flushedOffset()
  }

  onDispatch(cb: (topic: string, queueId: number, maxOffset: number) => void): void {
    this.dispatchListeners.push(cb)
  }

  setReplicationWaiter(w: ReplicationWaiter | undefined): void {
    this.replicationWaiter = w
  }

  readCommitLog(offset: number, maxBytes: number): Buffer | undefined {
    return this.commitLog.readRaw(offset, maxBytes)
  }

  /** Slave: raw bytes from the master at the same offset; dispatched as soon as records are complete. */
  async appendToCommitLog(startOffset: number, data: Buffer): Promise<void> {
    if (this.closed) throw new Error('store is shut down')
    this.commitLog.appendRaw(startOffset, data)
    // An empty slave starts at the master's last file, not at 0 (src/broker/ha): dispatch from there.
    if (this.dispatcher.reputFromOffset < this.commitLog.minOffset()) this.dispatcher.reputFromOffset = this.commitLog.minOffset()
    this.dispatcher.catchUp()
    this.notifyAppend()
    if (this.groupCommit) this.groupCommit.wakeup(0)
    else this.intervalFlusher?.wakeup()
    await this.commitLog.waitWritten(startOffset + data.length)
  }

  /**
   * Slave whose master lost data (src/broker/ha truncation handshake): drops CommitLog bytes at and
   * after `offset` and the ConsumeQueue units pointing there (RocketMQ truncateDirtyFiles).
   */
  async truncateFiles(offset: number): Promise<void> {
    if (offset >= this.commitLog.maxOffset()) return
    await this.commitLog.waitWritten(this.commitLog.maxOffset())
    await this.commitLog.queue.truncateFrom(offset)
    const table = this.commitLog.topicQueueTable
    for (const [key, cq] of this.files.consumeQueues) {
      cq.maxPhysicEnd = 0
      await cq.recover(offset)
      table.set(key, cq.maxOffset())
    }
    if (this.dispatcher.reputFromOffset > offset) this.dispatcher.reputFromOffset = offset
  }

  onCommitLogAppend(cb: (maxPhyOffset: number) => void): void {
    this.appendListeners.push(cb)
  }

  stats(): MessageStoreStats {
    return {
      groupCommit: this.groupCommit?.stats(), intervalFlush: this.intervalFlusher?.stats(),
      maxPhyOffset: this.commitLog.maxOffset(), flushedPhyOffset: this.commitLog.flushedOffset(),
    }
  }

  /**
   * Flushes ConsumeQueues, then records in the checkpoint the offset below which every unit is
   * synced: the dispatch point, lowered to the first unsynced unit of any queue.
   */
  private async flushLogics(thorough: boolean): Promise<void> {
    const timestamp = this.lastDispatchedTimestamp
    let dispatchedBelow = this.dispatcher.reputFromOffset
    const physicFlushedOffset = this.commitLog.flushedOffset()
    for (const cq of this.files.consumeQueues.values()) {
      if (cq.isAbleToFlush(thorough ? 0 : this.config.flushConsumeQueueLeastPages)) await cq.flush()
      const unflushed = cq.firstUnflushedPhyOffset()
      if (unflushed !== undefined && unflushed < dispatchedBelow) dispatchedBelow = unflushed
    }
    await this.files.checkpoint.write({
      physicFlushedOffset, logicsDispatchedOffset: dispatchedBelow, logicsMsgTimestamp: timestamp,
      physicMsgTimestamp: physicFlushedOffset >= dispatchedBelow ? timestamp : this.files.checkpoint.data.physicMsgTimestamp,
    })
  }

  private recordFlush(record: FlushRecord): void {
    // Appended outside the FileIO on purpose: it is evidence for the power-loss verdict, not store data.
    fs.appendFile(path.join(this.config.storePathRootDir, 'flush.log'), `${JSON.stringify(record)}\n`, () => undefined)
  }

  /** Clean shutdown: everything written, synced and checkpointed, then the abort marker goes. */
  async shutdown(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.intervalFlusher?.shutdown()
    this.groupCommit?.shutdown()
    await this.logicsFlusher.shutdown()
    await this.commitLog.flush()
    await this.flushLogics(true)
    await this.files.io.unlink(this.files.abortPath)
    await this.closeFiles()
  }

  /**
   * Stops every service at once without flushing or checkpointing and leaves the abort marker:
   * the state a crash leaves behind (an in-process stand-in for kill -9).
   */
  async halt(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.groupCommit?.shutdown()
    void this.intervalFlusher?.shutdown()
    void this.logicsFlusher.shutdown()
    await this.closeFiles().catch(() => undefined)
  }

  private async closeFiles(): Promise<void> {
    await this.commitLog.queue.close()
    for (const cq of this.files.consumeQueues.values()) await cq.close()
    await this.files.checkpoint.close()
  }
}

/** What open() uses without opts.io; the broker wraps it in FaultyFileIO when fault injection is on. */
export function defaultFileIO(config: MessageStoreConfig): FileIO {
  const real = new NodeFileIO()
  if (config.pageCacheMode === 'os') return real
  return new VolatilePageCache(real, {writeback: config.pageCacheWriteback, seed: config.pageCacheSeed})
}

export {StoreCheckpoint}
