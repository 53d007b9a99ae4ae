import * as fs from 'node:fs'
import * as path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {StoreCorruptError} from '../../../../src/errors.js'
import {decodeMessageExt} from '../../../../src/protocol/message/index.js'
import {NodeFileIO} from '../../../../src/broker/store/io/node-file-io.js'
import {VolatilePageCache} from '../../../../src/broker/store/io/volatile-page-cache.js'
import {MessageStore} from '../../../../src/broker/store/message-store.js'
import type {MessageStoreConfig} from '../../../../src/broker/store/message-store-config.js'
import {message, smallConfig, tempDir} from './helpers.js'

const tmp = tempDir()
afterAll(() => tmp.cleanup())
let n = 0

async function storeWith(count: number, overrides: Partial<MessageStoreConfig> = {}): Promise<{config: MessageStoreConfig; ends: number[]; store: MessageStore}> {
  const config = smallConfig(path.join(tmp.dir, `r${n++}`), overrides)
  const store = await MessageStore.open(config)
  const ends: number[] = []
  for (let i = 0; i < count; i++) {
    const r = await store.putMessage(message('T', i % 2, `body-${i}`))
    ends.push(r.append!.wroteOffset + r.append!.wroteBytes)
  }
  return {config, ends, store}
}

function bodies(store: MessageStore, queueId: number): string[] {
  return store.getMessage('T', queueId, 0, 32).records.map((r) => decodeMessageExt(r).body.toString())
}

const firstFile = (c: MessageStoreConfig): string => path.join(c.storePathCommitLog, '00000000000000000000')

function patchFile(file: string, pos: number, data: Buffer): void {
  const fd = fs.openSync(file, 'r+')
  fs.writeSync(fd, data, 0, data.length, pos)
  fs.closeSync(fd)
}

describe('store recovery', () => {
  it('a clean restart continues physical and queue offsets', async () => {
    const {config, ends, store} = await storeWith(5)
    await store.shutdown()
    expect(fs.existsSync(path.join(config.storePathRootDir, 'abort'))).toBe(false)
    const again = await MessageStore.open(config)
    expect(again.recoveryReport).toMatchObject({abnormal: false, validEndOffset: ends[4], truncatedBytes: 0, messagesRedispatched: 0})
    const r = await again.putMessage(message('T', 0, 'next'))
    expect(r.append).toMatchObject({wroteOffset: ends[4], queueOffset: 3})
    expect(bodies(again, 0)).toEqual(['body-0', 'body-2', 'body-4', 'next'])
    await again.shutdown()
  })

  it('after a crash (kill -9, OS page cache kept) every acknowledged message is back, queues rebuilt', async () => {
    const {config, ends, store} = await storeWith(7, {flushIntervalCommitLog: 60_000, flushIntervalConsumeQueue: 60_000})
    await store.halt()
    const again = await MessageStore.open(config)
    expect(again.recoveryReport).toMatchObject({abnormal: true, validEndOffset: ends[6], messagesRedispatched: 7, truncatedAt: undefined})
    expect(bodies(again, 1)).toEqual(['body-1', 'body-3', 'body-5'])
    expect((await again.putMessage(message('T', 1, 'x'))).append!.queueOffset).toBe(3)
    await again.shutdown()
  })

  it('a record cut mid-way (lost tail write) recovers to the record before it', async () => {
    const {config, ends, store} = await storeWith(6)
    await store.halt()
    const cut = ends[3]! + 30
    patchFile(firstFile(config), cut, Buffer.alloc(config.mappedFileSizeCommitLog - cut))
    const again = await MessageStore.open(config)
    expect(again.recoveryReport.validEndOffset).toBe(ends[3])
    expect(again.recoveryReport.truncatedAt).toMatchObject({offset: ends[3]})
    // Measured as the extent of non-zero bytes: a lower bound (record 4's 30th byte happens to be 0).
    expect(again.recoveryReport.truncatedBytes).toBeGreaterThan(20)
    expect(again.recoveryReport.truncatedBytes).toBeLessThanOrEqual(30)
    expect(bodies(again, 0)).toEqual(['body-0', 'body-2'])
    expect(bodies(again, 1)).toEqual(['body-1', 'body-3'])
    expect((await again.putMessage(message('T', 0, 'again'))).append).toMatchObject({wroteOffset: ends[3], queueOffset: 2})
    await again.shutdown()
  })

  it('a corrupted byte (CRC mismatch) drops that record and everything after it; stale bytes never return', async () => {
    const {config, ends, store} = await storeWith(8)
    await store.halt()
    const bodyPos = ends[4]! + 88
    patchFile(firstFile(config), bodyPos, Buffer.from('X'))
    const again = await MessageStore.open(config)
    expect(again.recoveryReport.validEndOffset).toBe(ends[4])
    expect(again.recoveryReport.truncatedAt?.reason).toMatch(/CRC/)
    expect(again.recoveryReport.truncatedBytes).toBe(ends[7]! - ends[4]!)
    expect(again.getMaxOffsetInQueue('T', 1)).toBe(2)
    // A shorter record now sits where record 5 was; crash again: old records 6 and 7 must not come back.
    await again.putMessage(message('T', 1, 's'))
    await again.halt()
    const third = await MessageStore.open(config)
    expect(third.getMaxOffsetInQueue('T', 0)).toBe(3)
    expect(bodies(third, 1)).toEqual(['body-1', 'body-3', 's'])
    await third.shutdown()
  })

  it('a file of the wrong size is StoreCorruptError naming the file, not a crash loop', async () => {
    const {config, store} = await storeWith(3)
    await store.shutdown()
    fs.truncateSync(firstFile(config), 1000)
    const err = await MessageStore.open(config).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StoreCorruptError)
    expect(err).toMatchObject({file: firstFile(config), offset: 0})
  })

  it('volatile page cache: a power cut loses exactly the unflushed messages', async () => {
    const root = path.join(tmp.dir, `r${n++}`)
    const config = smallConfig(root, {flushIntervalCommitLog: 60_000, flushCommitLogThoroughInterval: 60_000, flushIntervalConsumeQueue: 60_000})
    const cache = new VolatilePageCache(new NodeFileIO())
    const store = await MessageStore.open(config, {io: cache})
    for (let i = 0; i < 3; i++) await store.putMessage(message('T', 0, `kept-${i}`))
    await store.commitLog.flush()
    const flushed = store.getFlushedPhyOffset()
    for (let i = 0; i < 4; i++) expect((await store.putMessage(message('T', 0, `lost-${i}`))).status).toBe('PUT_OK')
    expect(store.getMaxOffsetInQueue('T', 0)).toBe(7)
    cache.powerCut()
    await store.halt()
    const again = await MessageStore.open(config, {io: new VolatilePageCache(new NodeFileIO())})
    expect(again.recoveryReport).toMatchObject({abnormal: true, validEndOffset: flushed})
    expect(bodies(again, 0)).toEqual(['kept-0', 'kept-1', 'kept-2'])
    await again.shutdown()
  })

  it('SYNC_FLUSH over the volatile page cache: every PUT_OK survives a power cut', async () => {
    const root = path.join(tmp.dir, `r${n++}`)
    const config = smallConfig(root, {flushDiskType: 'SYNC_FLUSH', flushIntervalConsumeQueue: 60_000})
    const cache = new VolatilePageCache(new NodeFileIO(), {writeback: 'random', seed: 3, writebackIntervalMs: 1})
    const store = await MessageStore.open(config, {io: cache})
    const acked = await Promise.all(Array.from({length: 40}, (_, i) => store.putMessage(message('T', 0, `m${i}`))))
    expect(acked.every((r) => r.status === 'PUT_OK')).toBe(true)
    cache.powerCut()
    await store.halt()
    const again = await MessageStore.open(config, {io: new VolatilePageCache(new NodeFileIO())})
    expect(again.getMaxOffsetInQueue('T', 0)).toBe(40)
    await again.shutdown()
  })
})
