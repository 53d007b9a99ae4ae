/**
 * Opening a store directory: the CommitLog files, every ConsumeQueue under consumequeue/, the
 * checkpoint, and the abort marker (present ⇒ the last run did not shut down cleanly).
 */
import * as path from 'node:path'
import {CommitLog} from './commit-log.js'
import {ConsumeQueue} from './consume-queue.js'
import type {FileIO} from './io/file-io.js'
import type {MessageStoreConfig} from './message-store-config.js'
import {StoreCheckpoint} from './store-checkpoint.js'
import {quarantineDir} from './recovery-evidence.js'
import {StoreCorruptError} from '../../errors.js'

export interface StoreFiles {
  io: FileIO
  commitLog: CommitLog
  /** keyed "topic-queueId" */
  consumeQueues: Map<string, ConsumeQueue>
  checkpoint: StoreCheckpoint
  abnormal: boolean
  abortPath: string
  /** why ConsumeQueues must be rebuilt from the CommitLog (a damaged one was quarantined), if they must */
  damagedConsumeQueues?: string
}

export async function openStoreFiles(io: FileIO, config: MessageStoreConfig, log: (line: string) => void): Promise<StoreFiles> {
  const root = config.storePathRootDir
  await io.mkdir(root)
  await io.mkdir(config.storePathCommitLog)
  const abortPath = path.join(root, 'abort')
  const abnormal = await io.exists(abortPath)
  const commitLog = new CommitLog(io, config.storePathCommitLog, config.mappedFileSizeCommitLog, config.storeHost, log)
  await commitLog.queue.load()
  const consumeQueues = new Map<string, ConsumeQueue>()
  const damaged: string[] = []
  const cqRoot = path.join(root, 'consumequeue')
  for (const topic of await io.readdir(cqRoot)) {
    for (const queueDir of await io.readdir(path.join(cqRoot, topic))) {
      const queueId = Number(queueDir)
      if (!/^\d+$/.test(queueDir)) continue
      const cq = new ConsumeQueue(io, root, topic, queueId, config.mappedFileSizeConsumeQueue, log)
      const problem = await loadConsumeQueue(cq, commitLog.queue.files.length > 0)
      if (problem) {
        const where = await quarantineConsumeQueue(io, root, cq)
        log(`store: ConsumeQueue ${topic}-${queueId} damaged (${problem}); its files moved to ${where}, rebuilding from the CommitLog`)
        damaged.push(`${topic}-${queueId}: ${problem}`)
      }
      consumeQueues.set(`${topic}-${queueId}`, problem ? new ConsumeQueue(io, root, topic, queueId, config.mappedFileSizeConsumeQueue, log) : cq)
    }
  }
  const checkpoint = await StoreCheckpoint.open(io, path.join(root, 'checkpoint'))
  if (!checkpoint.valid && (commitLog.queue.files.length > 0)) log('store: checkpoint missing or invalid; rebuilding ConsumeQueues from the CommitLog')
  // The marker goes down before anything is written, so a crash from here on is seen as one.
  const abort = await io.open(abortPath, {create: true})
  await abort.write([Buffer.from(String(process.pid))], 0)
  await abort.sync()
  await abort.close()
  return {io, commitLog, consumeQueues, checkpoint, abnormal, abortPath, ...(damaged.length > 0 ? {damagedConsumeQueues: damaged.join('; ')} : {})}
}

/**
 * Loads one ConsumeQueue; returns what is wrong with it, if anything. Units are written from queue
 * offset 0 and never expired here, so a queue directory without files, or whose first file is not
 * the one at 0, lost files — as does a file of the wrong size or a gap (the loader's own refusals).
 */
async function loadConsumeQueue(cq: ConsumeQueue, commitLogHasData: boolean): Promise<string | undefined> {
  try {
    await cq.load()
  } catch (err) {
    if (err instanceof StoreCorruptError) return err.message
    throw err
  }
  const first = cq.queue.files[0]
  if (!first) return commitLogHasData ? 'no files' : undefined
  if (first.fileFromOffset !== 0) return `first file starts at byte ${first.fileFromOffset}, not 0`
  return undefined
}

/** Moves a damaged queue's files under quarantine/ (an index is rebuilt, never trusted half-read). */
async function quarantineConsumeQueue(io: FileIO, root: string, cq: ConsumeQueue): Promise<string> {
  await cq.close()
  const dir = path.join(quarantineDir(root), `consumequeue-${cq.topic}-${cq.queueId}-${Date.now()}`)
  await io.mkdir(dir)
  for (const name of await io.readdir(cq.queue.dir)) await io.rename(path.join(cq.queue.dir, name), path.join(dir, name))
  return dir
}
