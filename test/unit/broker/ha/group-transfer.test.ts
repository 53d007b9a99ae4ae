import {afterEach, describe, expect, it, vi} from 'vitest'
import {GroupTransfer} from '../../../../src/broker/ha/group-transfer.js'

afterEach(() => {
  vi.useRealTimers()
})

function transfer(timeoutMs = 500, maxGapNotInSync = 256 * 1024 * 1024): GroupTransfer {
  return new GroupTransfer({timeoutMs, maxGapNotInSync})
}

describe('GroupTransfer (SYNC_MASTER waiters)', () => {
  it('answers SLAVE_NOT_AVAILABLE at once when no slave is connected', async () => {
    const g = transfer()
    expect(await g.waitForSlave(100)).toBe('SLAVE_NOT_AVAILABLE')
    expect(g.stats().slaveNotAvailable).toBe(1)
  })

  it('answers SLAVE_NOT_AVAILABLE when the slave lags by haMaxGapNotInSync or more', async () => {
    const g = transfer(500, 1000)
    g.setSlaveConnections(1)
    g.onAck(100)
    expect(await g.waitForSlave(1100)).toBe('SLAVE_NOT_AVAILABLE')
    const within = g.waitForSlave(1099)
    g.onAck(1099)
    expect(await within).toBe('PUT_OK')
  })

  it('resolves waiters in order as acks cover their end offsets, and only those', async () => {
    const g = transfer()
    g.setSlaveConnections(1)
    const settled: string[] = []
    const ws = [100, 200, 300].map((end) => g.waitForSlave(end).then((s) => settled.push(`${end}:${s}`)))
    g.onAck(250)
    await Promise.resolve()
    await Promise.resolve()
    expect(settled).toEqual(['100:PUT_OK', '200:PUT_OK'])
    expect(g.stats().waiting).toBe(1)
    g.onAck(300)
    await Promise.all(ws)
    expect(settled).toEqual(['100:PUT_OK', '200:PUT_OK', '300:PUT_OK'])
  })

  it('keeps push2SlaveMaxOffset monotonic: a slower slave never takes an ack back', async () => {
    const g = transfer()
    g.setSlaveConnections(2)
    g.onAck(500)
    g.onAck(200)
    expect(g.push2SlaveMaxOffset).toBe(500)
    expect(await g.waitForSlave(400)).toBe('PUT_OK')
  })

  it('answers FLUSH_SLAVE_TIMEOUT when the timeout passes without an ack, each at its own deadline', async () => {
    vi.useFakeTimers({now: 1_000_000})
    const g = transfer(500)
    g.setSlaveConnections(1)
    const first = g.waitForSlave(100)
    vi.advanceTimersByTime(200)
    const second = g.waitForSlave(200)
    const settled: string[] = []
    void first.then((s) => settled.push(`first:${s}`))
    void second.then((s) => settled.push(`second:${s}`))
    await vi.advanceTimersByTimeAsync(299)
    expect(settled).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(settled).toEqual(['first:FLUSH_SLAVE_TIMEOUT'])
    await vi.advanceTimersByTimeAsync(200)
    expect(settled).toEqual(['first:FLUSH_SLAVE_TIMEOUT', 'second:FLUSH_SLAVE_TIMEOUT'])
    expect(g.stats()).toMatchObject({waiting: 0, timedOut: 2})
  })

  it('an ack before the deadline wins; the timer is dropped when nobody waits', async () => {
    vi.useFakeTimers()
    const g = transfer(500)
    g.setSlaveConnections(1)
    const p = g.waitForSlave(100)
    await vi.advanceTimersByTimeAsync(499)
    g.onAck(100)
    expect(await p).toBe('PUT_OK')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('shutdown answers everyone still waiting and refuses new waits', async () => {
    const g = transfer(60_000)
    g.setSlaveConnections(1)
    const p = g.waitForSlave(100)
    g.shutdown()
    expect(await p).toBe('FLUSH_SLAVE_TIMEOUT')
    expect(await g.waitForSlave(50)).toBe('SLAVE_NOT_AVAILABLE')
  })
})
