/**
 * The store's behaviour under FaultyFileIO (issue 7): an error code instead of a crash, never PUT_OK
 * for bytes not fsynced in SYNC_FLUSH, puts resume when the fault clears, and the store stays
 * recoverable with no half-written record visible.
 */
import * as path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {FaultyFileIO} from '../../../../../src/broker/store/io/faulty-file-io.js'
import {NodeFileIO} from '../../../../../src/broker/store/io/node-file-io.js'
import {VolatilePageCache} from '../../../../../src/broker/store/io/volatile-page-cache.js'
import {MessageStore} from '../../../../../src/broker/store/message-store.js'
import type {MessageStoreConfig} from '../../../../../src/broker/store/message-store-config.js'
import {decodeMessageExt} from '../../../../../src/protocol/message/index.js'
import {message, smallConfig, tempDir} from '../helpers.js'

const tmp = tempDir()
afterAll(() => tmp.cleanup())
let n = 0

function config(overrides: Partial<MessageStoreConfig> = {}): MessageStoreConfig {
  return smallConfig(path.join(tmp.dir, `s${n++}`), {flushIntervalConsumeQueue: 60_000, ...overrides})
}

function bodies(store: MessageStore, queueId: number): string[] {
  return store.getMessage('T', queueId, 0, 1000).records.map((r) => decodeMessageExt(r).body.toString())
}

async function until(cond: () => Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Puts until one answers PUT_OK again (the store's retry probe runs every 100 ms). */
async function putUntilOk(store: MessageStore, body: string): Promise<void> {
  await until(async () => (await store.putMessage(message('T', 0, body))).status === 'PUT_OK')
}

describe('store under disk faults', () => {
  it('SYNC_FLUSH + EIO on fsync: FLUSH_DISK_TIMEOUT at once, then SERVICE_NOT_AVAILABLE; resumes after heal; every PUT_OK durable', async () => {
    const cfg = config({flushDiskType: 'SYNC_FLUSH', syncFlushTimeout: 60_000})
    const cache = new VolatilePageCache(new NodeFileIO())
    const io = new FaultyFileIO(cache)
    const store = await MessageStore.open(cfg, {io})
    expect((await store.putMessage(message('T', 0, 'a'))).status).toBe('PUT_OK')
    io.set({kind: 'eio', op: 'fsync'})
    // syncFlushTimeout is a minute: answering now proves the failure is not waited out.
    expect((await store.putMessage(message('T', 0, 'b'))).status).toBe('FLUSH_DISK_TIMEOUT')
    expect((await store.putMessage(message('T', 0, 'c'))).status).toBe('SERVICE_NOT_AVAILABLE')
    expect(store.stats().groupCommit?.timeouts).toBe(1)
    io.clear()
    await putUntilOk(store, 'd')
    expect(store.getFlushedPhyOffset()).toBe(store.getMaxPhyOffset())
    cache.powerCut()
    await store.halt()
    const again = await MessageStore.open(cfg, {io: new NodeFileIO()})
    // 'b' was stored (FLUSH_DISK_TIMEOUT keeps the message), 'c' was refused, 'd' was acked.
    expect(bodies(again, 0)).toEqual(['a', 'b', 'd'])
    await again.shutdown()
  })

  it('ASYNC_FLUSH + EIO on write: FLUSH_DISK_TIMEOUT, then refused, then writes resume and nothing is lost', async () => {
    const cfg = config()
    const io = new FaultyFileIO(new NodeFileIO())
    const store = await MessageStore.open(cfg, {io})
    expect((await store.putMessage(message('T', 0, 'a'))).status).toBe('PUT_OK')
    io.set({kind: 'eio', op: 'write'})
    expect((await store.putMessage(message('T', 0, 'b'))).status).toBe('FLUSH_DISK_TIMEOUT')
    expect((await store.putMessage(message('T', 0, 'c'))).status).toBe('SERVICE_NOT_AVAILABLE')
    io.clear()
    await putUntilOk(store, 'd')
    await store.shutdown()
    const again = await MessageStore.open(cfg, {io: new NodeFileIO()})
    expect(bodies(again, 0)).toEqual(['a', 'b', 'd'])
    await again.shutdown()
  })

  it('ENOSPC mid-record: the short write never shows after a crash (recovery truncates it); healed disk takes puts again', async () => {
    const cfg = config({flushDiskType: 'SYNC_FLUSH'})
    const io = new FaultyFileIO(new NodeFileIO())
    const store = await MessageStore.open(cfg, {io})
    expect((await store.putMessage(message('T', 0, 'a'))).status).toBe('PUT_OK')
    io.set({kind: 'enospc', bytes: 30})
    expect((await store.putMessage(message('T', 0, 'b'.repeat(200)))).status).toBe('FLUSH_DISK_TIMEOUT')
    expect(io.stats().bytesWritten).toBeGreaterThan(0)
    await store.halt()
    const again = await MessageStore.open(cfg, {io: new NodeFileIO()})
    expect(again.recoveryReport.abnormal).toBe(true)
    expect(bodies(again, 0)).toEqual(['a'])
    expect((await again.putMessage(message('T', 0, 'c'))).status).toBe('PUT_OK')
    await again.shutdown()
    const third = await MessageStore.open(cfg, {io: new NodeFileIO()})
    expect(bodies(third, 0)).toEqual(['a', 'c'])
    await third.shutdown()
  })

  it('torn write then crash: recovery drops the torn record, keeps every acked one', async () => {
    const cfg = config({flushDiskType: 'SYNC_FLUSH'})
    const io = new FaultyFileIO(new NodeFileIO(), {seed: 3})
    const store = await MessageStore.open(cfg, {io})
    for (const b of ['a', 'b']) expect((await store.putMessage(message('T', 0, b))).status).toBe('PUT_OK')
    io.set({kind: 'torn-write'})
    expect((await store.putMessage(message('T', 0, 'x'.repeat(300)))).status).toBe('FLUSH_DISK_TIMEOUT')
    expect(io.stats().tornWrites).toBeGreaterThan(0)
    await store.halt()
    const again = await MessageStore.open(cfg, {io: new NodeFileIO()})
    expect(bodies(again, 0)).toEqual(['a', 'b'])
    expect(again.recoveryReport.truncatedBytes).toBeGreaterThan(0)
    await again.shutdown()
  })

  it('slow fsync beyond syncFlushTimeout: FLUSH_DISK_TIMEOUT counted, the store stays writeable', async () => {
    const cfg = config({flushDiskType: 'SYNC_FLUSH', syncFlushTimeout: 30})
    const io = new FaultyFileIO(new NodeFileIO())
    const store = await MessageStore.open(cfg, {io})
    io.set({kind: 'slow-fsync', delayMs: 150})
    expect((await store.putMessage(message('T', 0, 'a'))).status).toBe('FLUSH_DISK_TIMEOUT')
    expect(store.stats().groupCommit?.timeouts).toBe(1)
    io.clear()
    await putUntilOk(store, 'b')
    await store.shutdown()
  })

  it('fsync-lie + power cut: PUT_OK messages are lost (what the fsync-lie scenario must catch)', async () => {
    const cfg = config({flushDiskType: 'SYNC_FLUSH'})
    const cache = new VolatilePageCache(new NodeFileIO())
    const io = new FaultyFileIO(cache)
    const store = await MessageStore.open(cfg, {io})
    expect((await store.putMessage(message('T', 0, 'kept'))).status).toBe('PUT_OK')
    io.set({kind: 'fsync-lie'})
    for (const b of ['lost-1', 'lost-2']) expect((await store.putMessage(message('T', 0, b))).status).toBe('PUT_OK')
    cache.powerCut()
    await store.halt()
    const again = await MessageStore.open(cfg, {io: new NodeFileIO()})
    expect(bodies(again, 0)).toEqual(['kept'])
    await again.shutdown()
  })
})
