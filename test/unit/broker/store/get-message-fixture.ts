/**
 * Fixtures for the batched pull read (get-message.ts): a CommitLog with ConsumeQueues fed by hand
 * (so units can be blanks or point at nothing), a count of the CommitLog's preads, and the
 * per-record read getMessageFromQueue did before it batched, as the oracle.
 */
import {expect} from 'vitest'
import {CommitLog} from '../../../../src/broker/store/commit-log.js'
import {BLANK_UNIT_SIZE, CQ_STORE_UNIT_SIZE, ConsumeQueue, unitIn} from '../../../../src/broker/store/consume-queue.js'
import {
  getMessageFromQueue, type GetMessageResult, type GetMessageStatus, type TransferLimits,
} from '../../../../src/broker/store/get-message.js'
import type {FileHandle} from '../../../../src/broker/store/io/file-io.js'
import {NodeFileIO} from '../../../../src/broker/store/io/node-file-io.js'
import {message, tempDir} from './helpers.js'

const TOPIC = 'T'

/** NodeFileIO that counts positional reads. */
export class ReadCountingFileIO extends NodeFileIO {
  reads = 0

  override async open(p: string, opts: {create: boolean}): Promise<FileHandle> {
    const h = await super.open(p, opts)
    const read = h.read.bind(h)
    h.read = (target, targetOffset, length, position) => {
      this.reads++
      return read(target, targetOffset, length, position)
    }
    return h
  }
}

export class LogUnderTest {
  readonly io = new ReadCountingFileIO()
  readonly commitLog: CommitLog
  readonly cqs: ConsumeQueue[]
  private readonly removeDir: () => void

  constructor(fileSize: number, queues: number) {
    const {dir, cleanup} = tempDir('mqbench-get-message-')
    this.removeDir = cleanup
    this.commitLog = new CommitLog(this.io, `${dir}/commitlog`, fileSize, '127.0.0.1:10911')
    // The ConsumeQueues read through their own FileIO: `io.reads` counts CommitLog reads only.
    this.cqs = Array.from({length: queues}, (_, q) => new ConsumeQueue(new NodeFileIO(), dir, TOPIC, q, CQ_STORE_UNIT_SIZE * 4096))
  }

  /** Appends one message of `bodyBytes` to queue q, staged until writeOut(); returns its CommitLog offset. */
  append(q: number, bodyBytes: number): number {
    const out = this.commitLog.append([message(TOPIC, q, Buffer.alloc(bodyBytes, 0x41 + (this.commitLog.maxOffset() % 26)))])
    if (out.status !== 'PUT_OK') throw new Error(out.status)
    for (const d of out.dispatch) this.cqs[q]!.putUnit(d.queueOffset, d.commitLogOffset, d.size, d.tagsCode)
    return out.result.wroteOffset
  }

  /** A unit in queue q at its next offset pointing at `commitLogOffset` (nothing there, or the middle of a record). */
  strayUnit(q: number, commitLogOffset: number, size: number): void {
    this.cqs[q]!.putUnit(this.takeQueueOffset(q), commitLogOffset, size, 0)
  }

  /** Skips queue q's next offset: its next unit leaves a blank behind. */
  skipQueueOffset(q: number): void {
    this.takeQueueOffset(q)
  }

  private takeQueueOffset(q: number): number {
    const key = `${TOPIC}-${q}`
    const next = this.commitLog.topicQueueTable.get(key) ?? 0
    this.commitLog.topicQueueTable.set(key, next + 1)
    return next
  }

  /** Closes the files and removes them. */
  async dispose(): Promise<void> {
    await this.commitLog.queue.close()
    for (const cq of this.cqs) await cq.queue.close()
    this.removeDir()
  }

  /** Hands everything staged to the files. */
  async writeOut(): Promise<void> {
    await this.commitLog.waitWritten(this.commitLog.maxOffset())
  }

  get(q: number, offset: number, maxMsgNums: number, limits: TransferLimits): GetMessageResult {
    return getMessageFromQueue(this.cqs[q], this.commitLog, offset, maxMsgNums, limits)
  }

  reference(q: number, offset: number, maxMsgNums: number, limits: TransferLimits): Omit<GetMessageResult, 'body'> {
    return perRecordGetMessage(this.cqs[q]!, this.commitLog, offset, maxMsgNums, limits)
  }
}

/** getMessageFromQueue before the batched read: one readRecord per unit, in the same selection loop. */
function perRecordGetMessage(
  cq: ConsumeQueue, commitLog: CommitLog, offset: number, maxMsgNums: number, limits: TransferLimits,
): Omit<GetMessageResult, 'body'> {
  const minOffset = cq.minOffset()
  const maxOffset = cq.maxOffset()
  const result = (status: GetMessageStatus, nextBeginOffset: number, records: Buffer[] = []) => ({status, nextBeginOffset, minOffset, maxOffset, records})
  if (maxOffset === 0) return result('NO_MESSAGE_IN_QUEUE', 0)
  if (offset < minOffset) return result('OFFSET_TOO_SMALL', minOffset)
  if (offset === maxOffset) return result('OFFSET_OVERFLOW_ONE', offset)
  if (offset > maxOffset) return result('OFFSET_OVERFLOW_BADLY', maxOffset)
  const records: Buffer[] = []
  let bytes = 0
  let next = offset
  scan: while (next < maxOffset && records.length < maxMsgNums) {
    const units = cq.readUnits(next, 256)
    if (!units) break
    for (let i = 0; i < units.length; i += CQ_STORE_UNIT_SIZE) {
      const u = unitIn(units, i)
      if (records.length >= maxMsgNums) break scan
      if (records.length > 0 && (bytes + u.size > limits.maxBytes || records.length >= limits.maxCount)) break scan
      next++
      if (u.size === BLANK_UNIT_SIZE) continue
      const rec = commitLog.readRecord(u.commitLogOffset, u.size)
      if (!rec) continue
      records.push(rec)
      bytes += u.size
    }
  }
  return result(records.length > 0 ? 'FOUND' : 'NO_MATCHED_MESSAGE', next, records)
}

/** Byte-for-byte comparison with the per-record read: status, offsets, every record, the body they share. */
export function expectSameAsPerRecord(
  log: LogUnderTest, q: number, offset: number, maxMsgNums: number, limits: TransferLimits,
): GetMessageResult {
  const got = log.get(q, offset, maxMsgNums, limits)
  const want = log.reference(q, offset, maxMsgNums, limits)
  const {body, ...rest} = got
  const hex = (r: Omit<GetMessageResult, 'body'>) => ({...r, records: r.records.map((b) => b.toString('hex'))})
  expect(hex(rest), `queue ${q} from ${offset}, ${maxMsgNums} at most, ${JSON.stringify(limits)}`).toEqual(hex(want))
  expect(body.equals(Buffer.concat(want.records)), 'the body is the records back to back').toBe(true)
  return got
}
