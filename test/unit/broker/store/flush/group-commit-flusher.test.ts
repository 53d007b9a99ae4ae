import * as path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {GroupCommitFlusher} from '../../../../../src/broker/store/flush/group-commit-flusher.js'
import {NodeFileIO} from '../../../../../src/broker/store/io/node-file-io.js'
import {MessageStore} from '../../../../../src/broker/store/message-store.js'
import {ControlledSyncFileIO, message, smallConfig, tempDir} from '../helpers.js'

const tmp = tempDir()
afterAll(() => tmp.cleanup())

describe('GroupCommitFlusher (SYNC_FLUSH)', () => {
  it('many concurrent puts share few fsyncs, and every one is flushed when acknowledged', async () => {
    const io = new ControlledSyncFileIO(new NodeFileIO())
    const store = await MessageStore.open(smallConfig(path.join(tmp.dir, 'a'), {flushDiskType: 'SYNC_FLUSH', mappedFileSizeCommitLog: 1024 * 1024}), {io})
    const ends: number[] = []
    const results = await Promise.all(Array.from({length: 200}, async (_, i) => {
      const r = await store.putMessage(message('T', i % 4, Buffer.alloc(512, i)))
      ends.push(r.append!.wroteOffset + r.append!.wroteBytes)
      expect(store.getFlushedPhyOffset()).toBeGreaterThanOrEqual(r.append!.wroteOffset + r.append!.wroteBytes)
      return r.status
    }))
    expect(new Set(results)).toEqual(new Set(['PUT_OK']))
    const stats = store.stats().groupCommit!
    expect(stats.flushedMessages).toBe(200)
    expect(stats.fsyncCount).toBeGreaterThan(0)
    expect(stats.fsyncCount).toBeLessThanOrEqual(10)
    await store.shutdown()
  })

  it('answers FLUSH_DISK_TIMEOUT when the fsync does not finish in syncFlushTimeout; the message stays stored', async () => {
    const io = new ControlledSyncFileIO(new NodeFileIO())
    const store = await MessageStore.open(smallConfig(path.join(tmp.dir, 'b'), {flushDiskType: 'SYNC_FLUSH', syncFlushTimeout: 50}), {io})
    expect((await store.putMessage(message('T', 0, 'before'))).status).toBe('PUT_OK')
    io.hangSyncs = true
    const r = await store.putMessage(message('T', 0, 'slow disk'))
    expect(r.status).toBe('FLUSH_DISK_TIMEOUT')
    expect(store.getMessage('T', 0, 1, 1).status).toBe('FOUND')
    expect(store.stats().groupCommit!.timeouts).toBe(1)
    io.releaseSyncs()
    const after = await store.putMessage(message('T', 0, 'after'))
    expect(after.status).toBe('PUT_OK')
    await store.shutdown()
  })

  it('WAIT=false does not wait for the fsync (but is written before the ack)', async () => {
    const io = new ControlledSyncFileIO(new NodeFileIO())
    const store = await MessageStore.open(smallConfig(path.join(tmp.dir, 'c'), {flushDiskType: 'SYNC_FLUSH', syncFlushTimeout: 5000}), {io})
    io.hangSyncs = true
    const r = await store.putMessage(message('T', 0, 'fire and forget', {waitStoreMsgOK: false}))
    expect(r.status).toBe('PUT_OK')
    expect(store.getFlushedPhyOffset()).toBe(0)
    io.releaseSyncs()
    await store.shutdown()
  })

  it('resolves waiters in order of their targets and times out only those still short', async () => {
    let flushed = 0
    let release: (() => void) | undefined
    const target = {
      flush: async () => {
        if (release === undefined) await new Promise<void>((r) => (release = r))
        return {flushedOffset: flushed, syncs: 1}
      },
    }
    const f = new GroupCommitFlusher(target, {syncFlushTimeout: 60})
    flushed = 100
    const a = f.waitFlushed(50)
    const b = f.waitFlushed(100)
    const c = f.waitFlushed(150)
    await new Promise((r) => setTimeout(r, 5))
    release!()
    expect(await a).toBe('PUT_OK')
    expect(await b).toBe('PUT_OK')
    expect(await c).toBe('FLUSH_DISK_TIMEOUT')
    expect(f.stats()).toMatchObject({timeouts: 1, flushedOffset: 100})
    f.shutdown()
  })
})
