import {afterEach, describe, expect, it} from 'vitest'
import type {GetMessageResult, TransferLimits} from '../../../../src/broker/store/get-message.js'
import {expectSameAsPerRecord, LogUnderTest} from './get-message-fixture.js'

const KiB = 1024
const MiB = 1024 * KiB
const ALL: TransferLimits = {maxCount: 100_000, maxBytes: 1 << 30}

const logs: LogUnderTest[] = []
afterEach(async () => {
  for (const l of logs.splice(0)) await l.dispose()
})

function newLog(fileSize: number, queues: number): LogUnderTest {
  const log = new LogUnderTest(fileSize, queues)
  logs.push(log)
  return log
}

/** The CommitLog preads one batched getMessage issues, and its result. */
function counted(log: LogUnderTest, q: number, offset: number, maxMsgNums: number, limits = ALL): {reads: number; got: GetMessageResult} {
  const before = log.io.reads
  const got = log.get(q, offset, maxMsgNums, limits)
  return {reads: log.io.reads - before, got}
}

const commitLogOffsetOf = (record: Buffer): number => Number(record.readBigInt64BE(28))

describe('getMessageFromQueue: one body, few reads, the same bytes as one read per record', () => {
  it('contiguous records of one queue: one pread, every record a view into the body', async () => {
    const log = newLog(MiB, 1)
    for (let i = 0; i < 200; i++) log.append(0, 1000 + i)
    await log.writeOut()
    const {reads, got} = counted(log, 0, 10, 150)
    expect(reads).toBe(1)
    expect(got.records).toHaveLength(150)
    expect(got.records.every((r) => r.buffer === got.body.buffer)).toBe(true)
    expectSameAsPerRecord(log, 0, 10, 150, ALL)
  })

  it('interleaved queues: the other queues\' records in between are read over in one span', async () => {
    const log = newLog(MiB, 4)
    for (let i = 0; i < 400; i++) log.append(i % 4, 1000 + (i % 7))
    await log.writeOut()
    const first = counted(log, 2, 3, 1024)
    expect(first.reads).toBe(1)
    expect(first.got.records).toHaveLength(97)
    const kept = Buffer.from(first.got.body)
    // The scratch buffer is reused by the next span read; an earlier body must not change.
    expect(counted(log, 1, 0, 1024).reads).toBe(1)
    expect(first.got.body.equals(kept)).toBe(true)
    for (const q of [0, 1, 2, 3]) expectSameAsPerRecord(log, q, q * 5, 1024, ALL)
  })

  it('records farther apart than the span gap are read one by one', async () => {
    const log = newLog(MiB, 2)
    for (let i = 0; i < 20; i++) {
      log.append(0, 500)
      log.append(1, 20 * KiB)
    }
    await log.writeOut()
    expect(counted(log, 0, 0, 1024).reads).toBe(20)
    // From queue 1 the gaps are one small record: one span.
    expect(counted(log, 1, 0, 1024).reads).toBe(1)
    expectSameAsPerRecord(log, 0, 0, 1024, ALL)
    expectSameAsPerRecord(log, 1, 0, 1024, ALL)
  })

  it('a batch across mapped-file boundaries: one span per file', async () => {
    const fileSize = 16 * KiB
    const log = newLog(fileSize, 2)
    for (let i = 0; i < 160; i++) log.append(i % 2, 900 + (i % 13) * 10)
    await log.writeOut()
    const {reads, got} = counted(log, 0, 0, 1024)
    expect(got.records).toHaveLength(80)
    const files = new Set(got.records.map((r) => Math.floor(commitLogOffsetOf(r) / fileSize)))
    expect(files.size).toBeGreaterThan(5)
    expect(reads).toBe(files.size)
    for (const from of [0, 7, 13]) expectSameAsPerRecord(log, 0, from, 1024, ALL)
    expectSameAsPerRecord(log, 1, 0, 1024, ALL)
  })

  it('records still staged: before any write, and across the written/staged edge and a file roll', async () => {
    const log = newLog(16 * KiB, 2)
    for (let i = 0; i < 30; i++) log.append(i % 2, 700 + i)
    // Nothing handed to a file yet: every byte comes from staging, no pread at all.
    expect(counted(log, 0, 0, 1024).reads).toBe(0)
    expectSameAsPerRecord(log, 0, 0, 1024, ALL)
    await log.writeOut()
    for (let i = 0; i < 30; i++) log.append(i % 2, 800 + i)
    const {reads, got} = counted(log, 1, 5, 1024)
    expect(got.records).toHaveLength(25)
    expect(reads).toBeGreaterThan(0)
    for (const q of [0, 1]) for (const from of [0, 9, 14, 20]) expectSameAsPerRecord(log, q, from, 1024, ALL)
  })

  it('count and byte limits, blanks and units pointing at nothing: as the per-record read', async () => {
    const fileSize = 8 * KiB
    const log = newLog(fileSize, 2)
    for (let i = 0; i < 12; i++) log.append(i % 2, 300 + i * 40)
    log.skipQueueOffset(0)
    log.strayUnit(0, log.commitLog.maxOffset() + 10 * fileSize, 200) // past the log end
    log.strayUnit(0, fileSize - 100, 300) // across a file boundary
    await log.writeOut()
    log.strayUnit(1, 50, 120) // the middle of a record: readable bytes, as RocketMQ would answer them
    for (let i = 0; i < 12; i++) log.append(i % 2, 200 + i * 90)
    const limits: TransferLimits[] = [ALL, {maxCount: 32, maxBytes: 256 * KiB}, {maxCount: 3, maxBytes: 3000}, {maxCount: 1000, maxBytes: 1}]
    for (const q of [0, 1]) {
      for (let from = -1; from <= log.cqs[q]!.maxOffset() + 1; from++) {
        for (const max of [1, 2, 32]) for (const l of limits) expectSameAsPerRecord(log, q, from, max, l)
      }
    }
    // Queue 0 from the blank: the blank and both stray units are passed over, then one record.
    expect(log.get(0, 6, 1, ALL)).toMatchObject({status: 'FOUND', nextBeginOffset: 10})
    expect(log.get(0, 7, 2, {maxCount: 1, maxBytes: 1})).toMatchObject({status: 'FOUND', nextBeginOffset: 10})
  })

  it('a span read stops at 4 MiB', async () => {
    const log = newLog(64 * MiB, 2)
    for (let i = 0; i < 1000; i++) {
      log.append(0, 100)
      log.append(1, 12 * KiB)
    }
    await log.writeOut()
    const {reads, got} = counted(log, 0, 0, 1024)
    const offsets = got.records.map(commitLogOffsetOf)
    const spanBytes = offsets[offsets.length - 1]! + got.records[got.records.length - 1]!.length - offsets[0]!
    expect(spanBytes).toBeGreaterThan(12 * MiB)
    expect(reads).toBeGreaterThanOrEqual(Math.ceil(spanBytes / (4 * MiB)))
    expect(reads).toBeLessThanOrEqual(Math.ceil(spanBytes / (4 * MiB)) + 1)
    expectSameAsPerRecord(log, 0, 0, 1024, ALL)
  })
})
