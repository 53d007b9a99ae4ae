/**
 * <root>/checkpoint: one 4096-byte page of big-endian longs (RocketMQ StoreCheckpoint).
 *   0 physicMsgTimestamp  8 logicsMsgTimestamp  16 indexMsgTimestamp  24 masterFlushedOffset  32 confirmPhyOffset
 * and ours, because offsets are exact where timestamps are not:
 *  40 physicFlushedOffset     — every CommitLog byte below it was synced
 *  48 logicsDispatchedOffset  — every ConsumeQueue unit for a record below it was synced
 *  56 CRC-32 of bytes 0..56 (a torn or foreign checkpoint reads as "no checkpoint": full rebuild)
 */
import {crc32} from '../../protocol/crc32.js'
import type {ConsumeQueue} from './consume-queue.js'
import type {FileHandle, FileIO} from './io/file-io.js'

export const CHECKPOINT_BYTES = 4096
const CRC_POS = 56

export interface StoreCheckpointData {
  physicMsgTimestamp: number
  logicsMsgTimestamp: number
  indexMsgTimestamp: number
  masterFlushedOffset: number
  confirmPhyOffset: number
  physicFlushedOffset: number
  logicsDispatchedOffset: number
}

const FIELDS: (keyof StoreCheckpointData)[] = [
  'physicMsgTimestamp', 'logicsMsgTimestamp', 'indexMsgTimestamp', 'masterFlushedOffset', 'confirmPhyOffset',
  'physicFlushedOffset', 'logicsDispatchedOffset',
]

export function emptyCheckpoint(): StoreCheckpointData {
  return {physicMsgTimestamp: 0, logicsMsgTimestamp: 0, indexMsgTimestamp: 0, masterFlushedOffset: 0, confirmPhyOffset: 0, physicFlushedOffset: 0, logicsDispatchedOffset: 0}
}

export class StoreCheckpoint {
  private readonly page = Buffer.alloc(CHECKPOINT_BYTES)

  private constructor(private readonly handle: FileHandle, readonly data: StoreCheckpointData, readonly valid: boolean) {}

  static async open(io: FileIO, filePath: string): Promise<StoreCheckpoint> {
    const existed = await io.exists(filePath)
    const handle = await io.open(filePath, {create: true})
    const buf = Buffer.alloc(CHECKPOINT_BYTES)
    const n = existed ? handle.read(buf, 0, CHECKPOINT_BYTES, 0) : 0
    const data = emptyCheckpoint()
    const valid = n >= CRC_POS + 4 && buf.readUInt32BE(CRC_POS) === crc32(buf, 0, CRC_POS)
    if (valid) FIELDS.forEach((k, i) => (data[k] = Number(buf.readBigInt64BE(i * 8))))
    return new StoreCheckpoint(handle, data, valid)
  }

  /** Writes and syncs the page; only then is the checkpoint a promise recovery may rely on. */
  async write(update: Partial<StoreCheckpointData>): Promise<void> {
    Object.assign(this.data, update)
    FIELDS.forEach((k, i) => this.page.writeBigInt64BE(BigInt(Math.floor(this.data[k])), i * 8))
    this.page.writeUInt32BE(crc32(this.page, 0, CRC_POS), CRC_POS)
    await this.handle.write([this.page], 0)
    await this.handle.sync()
  }

  async close(): Promise<void> {
    await this.handle.close()
  }
}

export interface LogicsFlushPoint {
  /** CommitLog flushed offset taken before the ConsumeQueues are flushed. */
  physicFlushedOffset: number
  /** The dispatcher's reputFromOffset: every record below it has its unit written. */
  dispatchedOffset: number
  /** storeTimestamp of the last dispatched record. */
  timestamp: number
  /** flushConsumeQueueLeastPages, or 0 for a thorough flush. */
  leastPages: number
}

/**
 * Flushes ConsumeQueues, then records in the checkpoint the offset below which every unit is
 * synced: the dispatch point, lowered to the first unsynced unit of any queue.
 */
export async function flushLogicsToCheckpoint(checkpoint: StoreCheckpoint, consumeQueues: Iterable<ConsumeQueue>, at: LogicsFlushPoint): Promise<void> {
  let dispatchedBelow = at.dispatchedOffset
  for (const cq of consumeQueues) {
    if (cq.isAbleToFlush(at.leastPages)) await cq.flush()
    const unflushed = cq.firstUnflushedPhyOffset()
    if (unflushed !== undefined && unflushed < dispatchedBelow) dispatchedBelow = unflushed
  }
  await checkpoint.write({
    physicFlushedOffset: at.physicFlushedOffset, logicsDispatchedOffset: dispatchedBelow, logicsMsgTimestamp: at.timestamp,
    physicMsgTimestamp: at.physicFlushedOffset >= dispatchedBelow ? at.timestamp : checkpoint.data.physicMsgTimestamp,
  })
}
