import {describe, expect, it} from 'vitest'
import {IntervalFlusher, type FlushRecord} from '../../../../../src/broker/store/flush/interval-flusher.js'

/** A log whose dirty page count the test sets; flush() marks everything clean. */
function fakeLog() {
  const state = {dirtyPages: 0, flushedOffset: 0, flushes: 0}
  return {
    state,
    isAbleToFlush: (least: number) => (least === 0 ? state.dirtyPages > 0 : state.dirtyPages >= least),
    flush: async () => {
      state.flushes++
      state.flushedOffset += state.dirtyPages * 4096
      state.dirtyPages = 0
      return {flushedOffset: state.flushedOffset, syncs: 1}
    },
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('IntervalFlusher (ASYNC_FLUSH)', () => {
  it('flushes only when flushCommitLogLeastPages are dirty, and records every flush', async () => {
    const log = fakeLog()
    const records: FlushRecord[] = []
    const f = new IntervalFlusher(log, {flushIntervalCommitLog: 10, flushCommitLogLeastPages: 4, flushCommitLogThoroughInterval: 60_000, flushCommitLogTimed: true}, (r) => records.push(r))
    f.start()
    log.state.dirtyPages = 3
    await sleep(60)
    expect(log.state.flushes).toBe(0)
    log.state.dirtyPages = 4
    const deadline = Date.now() + 2000
    while (log.state.flushes === 0 && Date.now() < deadline) await sleep(5)
    expect(log.state.flushes).toBe(1)
    expect(records).toEqual([expect.objectContaining({flushedOffset: 4 * 4096, thorough: false})])
    expect(f.stats()).toMatchObject({flushCount: 1, lastFlush: records[0]})
    await f.shutdown()
  })

  it('flushes any dirty page once flushCommitLogThoroughInterval has passed', async () => {
    const log = fakeLog()
    const records: FlushRecord[] = []
    const f = new IntervalFlusher(log, {flushIntervalCommitLog: 10, flushCommitLogLeastPages: 4, flushCommitLogThoroughInterval: 80, flushCommitLogTimed: true}, (r) => records.push(r))
    f.start()
    log.state.dirtyPages = 1
    const deadline = Date.now() + 2000
    while (log.state.flushes === 0 && Date.now() < deadline) await sleep(5)
    expect(records[0]).toMatchObject({thorough: true, flushedOffset: 4096})
    await f.shutdown()
  })

  it('flushCommitLogTimed=false lets a put wake the flusher before the interval ends', async () => {
    const log = fakeLog()
    const f = new IntervalFlusher(log, {flushIntervalCommitLog: 10_000, flushCommitLogLeastPages: 1, flushCommitLogThoroughInterval: 60_000, flushCommitLogTimed: false})
    f.start()
    log.state.dirtyPages = 2
    f.wakeup()
    const deadline = Date.now() + 2000
    while (log.state.flushes === 0 && Date.now() < deadline) await sleep(5)
    expect(log.state.flushes).toBe(1)
    await f.shutdown()
  })
})
