/**
 * The store facade (RocketMQ DefaultMessageStore): put → append + dispatch + wait for flush and
 * replication; get → ConsumeQueue + CommitLog; replication seams for src/broker/ha (the slave's
 * side in slave-commit-log.ts); recovery on open, clean flush on shutdown.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import {decodeMessageExt, type MessageExt} from '../../protocol/message/index.js'
import {CommitLog, type MessageToStore} from './commit-log.js'
import {ConsumeQueue} from './consume-queue.js'
import {ConsumeQueueFlusher} from './flush/consume-queue-flusher.js'
import {GroupCommitFlusher, type GroupCommitStats} from './flush/group-commit-flusher.js'
import {FLUSH_LOG_FILE_NAME, IntervalFlusher, type FlushRecord, type IntervalFlusherStats} from './flush/interval-flusher.js'
import {getMessageFromQueue, offsetInQueueByTime, type GetMessageResult} from './get-message.js'
import type {FileIO} from './io/file-io.js'
import {defaultFileIO} from './io/default-file-io.js'
import {validateMessageStoreConfig, type MessageStoreConfig} from './message-store-config.js'
import type {PutMessageStatus} from './put-message-status.js'
import {recoverStore, type RecoveryReport} from './recovery.js'
import {appendRecoveryRecord, recoveryLogLines} from './recovery-record.js'
import {ReputDispatcher, type DispatchRequest} from './reput-dispatcher.js'
import {appendFromMaster, truncateSlaveFiles, type SlaveStoreParts} from './slave-commit-log.js'
import {flushLogicsToCheckpoint, StoreCheckpoint} from './store-checkpoint.js'
import {IndexService} from './index-service.js'
import {messageStoreTimeStamp, queryMessage, selectOneMessageByOffset, storeTimestampAt, type QueryMessageResult} from './store-queries.js'
import {openStoreFiles, type StoreFiles} from './store-files.js'
import {StoreWriteGuard} from './store-write-guard.js'

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

export class MessageStore {
  recoveryReport!: RecoveryReport
  readonly index = new IndexService()
  private readonly dispatcher: ReputDispatcher
  private groupCommit?: GroupCommitFlusher
  private intervalFlusher?: IntervalFlusher
  private readonly logicsFlusher: ConsumeQueueFlusher
  private replicationWaiter?: ReplicationWaiter
  private readonly dispatchListeners: ((topic: string, queueId: number, maxOffset: number) => void)[] = []
  private readonly appendListeners: ((maxPhyOffset: number) => void)[] = []
  private readonly writeGuard: StoreWriteGuard
  private readonly slave: SlaveStoreParts
  private closed = false
  private lastDispatchedTimestamp = 0

  private constructor(
    readonly config: MessageStoreConfig,
    private readonly files: StoreFiles,
    private readonly log: (line: string) => void,
  ) {
    this.dispatcher = new ReputDispatcher(files.commitLog, (r) => this.dispatchOne(r), log)
    this.logicsFlusher = new ConsumeQueueFlusher((thorough) => this.flushLogics(thorough), config, log)
    this.writeGuard = new StoreWriteGuard(files.commitLog, log, () => this.closed)
    this.slave = {
      commitLog: files.commitLog, consumeQueues: files.consumeQueues, dispatcher: this.dispatcher,
      wakeFlusher: () => (this.groupCommit ? this.groupCommit.wakeup(0) : this.intervalFlusher?.wakeup()),
      notifyAppend: () => this.notifyAppend(),
    }
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
      io, storePathRootDir: config.storePathRootDir, ...(files.damagedConsumeQueues ? {rebuildConsumeQueues: files.damagedConsumeQueues} : {}),
    })
    store.afterRecovery()
    for (const line of recoveryLogLines(store.recoveryReport, Date.now() - started)) log(line)
    appendRecoveryRecord(config.storePathRootDir, store.recoveryReport)
    return store
  }

  private afterRecovery(): void {
    const table = this.commitLog.topicQueueTable
    table.clear()
    for (const [key, cq] of this.files.consumeQueues) table.set(key, cq.maxOffset())
    this.dispatcher.reputFromOffset = this.recoveryReport.validEndOffset
    if (this.config.flushDiskType === 'SYNC_FLUSH') {
      this.groupCommit = new GroupCommitFlusher(this.commitLog, {
        syncFlushTimeout: this.config.syncFlushTimeout, log: this.log, onError: (err) => this.writeGuard.fail(err),
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
    if (r.keys !== undefined || r.uniqKey !== undefined) this.index.buildIndex(r)
    for (const cb of this.dispatchListeners) cb(r.topic, r.queueId, r.queueOffset + 1)
  }

  putMessage(msg: MessageToStore): Promise<PutMessageResult> {
    return this.putMessages([msg])
  }

  /** SEND_BATCH_MESSAGE: consecutive records in one file, one flush/replication wait for all. */
  async putMessages(msgs: MessageToStore[]): Promise<PutMessageResult> {
    if (this.closed || this.writeGuard.failed || this.config.brokerRole === 'SLAVE') return {status: 'SERVICE_NOT_AVAILABLE'}
    if (msgs.length === 0) return {status: 'MESSAGE_ILLEGAL'}
    for (const m of msgs) if (m.body.length > this.config.maxMessageSize) return {status: 'MESSAGE_ILLEGAL'}
    const out = this.commitLog.append(msgs)
    if (out.status !== 'PUT_OK') return {status: out.status}
    this.dispatcher.dispatch(out.dispatch)
    const end = out.result.wroteOffset + out.result.wroteBytes
    // Replication reads only written bytes (CommitLog.readRaw), so wake it once these are written.
    if (this.appendListeners.length > 0) this.commitLog.waitWritten(end).then(() => this.notifyAppend(), () => undefined)
    const wait = msgs[0]!.waitStoreMsgOK
    // Most brokers never wait for a slave: skip the Promise.all (an array and a promise per message).
    if (!this.replicationWaiter || !wait) return {status: await this.waitFlush(end, wait, msgs.length), append: out.result}
    const [flush, replication] = await Promise.all([this.waitFlush(end, wait, msgs.length), this.replicationWaiter(end)])
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
      this.writeGuard.fail(err)
      return 'FLUSH_DISK_TIMEOUT'
    }
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

  selectOneMessageByOffset(commitLogOffset: number): Buffer | undefined {
    return selectOneMessageByOffset(this.commitLog, commitLogOffset)
  }

  queryMessage(topic: string, key: string, maxNum: number, begin: number, end: number): QueryMessageResult {
    return queryMessage(this.commitLog, this.index, {topic, key, maxNum, begin, end})
  }

  getMessageStoreTimeStamp(topic: string, queueId: number, queueOffset: number): number {
    return messageStoreTimeStamp(this.commitLog, this.files.consumeQueues.get(`${topic}-${queueId}`), queueOffset)
  }

  /** Store time of the oldest record still on disk, -1 when the log is empty. */
  getEarliestMessageTime(): number {
    return storeTimestampAt(this.commitLog, this.commitLog.minOffset())
  }

  /** CommitLog bytes not yet in a ConsumeQueue (a slave's reput lag; 0 on a master between puts). */
  dispatchBehindBytes(): number {
    return Math.max(0, this.commitLog.maxOffset() - this.dispatcher.reputFromOffset)
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

  /** Slave: raw bytes from the master at the same offset (see slave-commit-log.ts). */
  async appendToCommitLog(startOffset: number, data: Buffer): Promise<void> {
    if (this.closed) throw new Error('store is shut down')
    await appendFromMaster(this.slave, startOffset, data)
  }

  /** Slave whose master lost data (src/broker/ha truncation handshake): cuts the tail at `offset`. */
  truncateFiles(offset: number): Promise<void> {
    return truncateSlaveFiles(this.slave, offset)
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

  private flushLogics(thorough: boolean): Promise<void> {
    return flushLogicsToCheckpoint(this.files.checkpoint, this.files.consumeQueues.values(), {
      physicFlushedOffset: this.commitLog.flushedOffset(), dispatchedOffset: this.dispatcher.reputFromOffset,
      timestamp: this.lastDispatchedTimestamp, leastPages: thorough ? 0 : this.config.flushConsumeQueueLeastPages,
    })
  }

  private recordFlush(record: FlushRecord): void {
    // Appended outside the FileIO on purpose: it is evidence for the power-loss verdict, not store data.
    fs.appendFile(path.join(this.config.storePathRootDir, FLUSH_LOG_FILE_NAME), `${JSON.stringify(record)}\n`, () => undefined)
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

export {defaultFileIO, StoreCheckpoint}
