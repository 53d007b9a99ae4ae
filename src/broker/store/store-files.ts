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

export interface StoreFiles {
  io: FileIO
  commitLog: CommitLog
  /** keyed "topic-queueId" */
  consumeQueues: Map<string, ConsumeQueue>
  checkpoint: StoreCheckpoint
  abnormal: boolean
  abortPath: string
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
  const cqRoot = path.join(root, 'consumequeue')
  for (const topic of await io.readdir(cqRoot)) {
    for (const queueDir of await io.readdir(path.join(cqRoot, topic))) {
      const queueId = Number(queueDir)
      if (!/^\d+$/.test(queueDir)) continue
      const cq = new ConsumeQueue(io, root, topic, queueId, config.mappedFileSizeConsumeQueue, log)
      await cq.load()
      consumeQueues.set(`${topic}-${queueId}`, cq)
    }
  }
  const checkpoint = await StoreCheckpoint.open(io, path.join(root, 'checkpoint'))
  if (!checkpoint.valid && (commitLog.queue.files.length > 0)) log('store: checkpoint missing or invalid; rebuilding ConsumeQueues from the CommitLog')
  // The marker goes down before anything is written, so a crash from here on is seen as one.
  const abort = await io.open(abortPath, {create: true})
  await abort.write([Buffer.from(String(process.pid))], 0)
  await abort.sync()
  await abort.close()
  return {io, commitLog, consumeQueues, checkpoint, abnormal, abortPath}
}
