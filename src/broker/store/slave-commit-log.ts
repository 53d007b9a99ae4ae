/**
 * The slave side of the replication seams (src/broker/ha): bytes received from the master are
 * appended at the master's offsets and dispatched into ConsumeQueues, and a master that lost data
 * makes the slave cut its own tail (RocketMQ truncateDirtyFiles).
 */
import type {CommitLog} from './commit-log.js'
import type {ConsumeQueue} from './consume-queue.js'
import type {ReputDispatcher} from './reput-dispatcher.js'

export interface SlaveStoreParts {
  commitLog: CommitLog
  /** keyed "topic-queueId" */
  consumeQueues: Map<string, ConsumeQueue>
  dispatcher: ReputDispatcher
  /** Nudges whichever flusher the store runs, so received bytes reach disk on the usual cadence. */
  wakeFlusher(): void
  notifyAppend(): void
}

/** Raw bytes from the master at the same offset; dispatched as soon as records are complete. */
export async function appendFromMaster(parts: SlaveStoreParts, startOffset: number, data: Buffer): Promise<void> {
  const {commitLog, dispatcher} = parts
  commitLog.appendRaw(startOffset, data)
  // An empty slave starts at the master's last file, not at 0 (src/broker/ha): dispatch from there.
  if (dispatcher.reputFromOffset < commitLog.minOffset()) dispatcher.reputFromOffset = commitLog.minOffset()
  dispatcher.catchUp()
  parts.notifyAppend()
  parts.wakeFlusher()
  await commitLog.waitWritten(startOffset + data.length)
}

/** Drops CommitLog bytes at and after `offset` and the ConsumeQueue units pointing there. */
export async function truncateSlaveFiles(parts: SlaveStoreParts, offset: number): Promise<void> {
  const {commitLog, dispatcher} = parts
  if (offset >= commitLog.maxOffset()) return
  await commitLog.waitWritten(commitLog.maxOffset())
  await commitLog.queue.truncateFrom(offset)
  const table = commitLog.topicQueueTable
  for (const [key, cq] of parts.consumeQueues) {
    cq.maxPhysicEnd = 0
    await cq.recover(offset)
    table.set(key, cq.maxOffset())
  }
  if (dispatcher.reputFromOffset > offset) dispatcher.reputFromOffset = offset
}
