/** The master's HA endpoint against a raw-socket slave over loopback, with a real MessageStore. */
import net from 'node:net'
import * as path from 'node:path'
import {afterAll, afterEach, describe, expect, it} from 'vitest'
import {encodeOffsetReport, type TransferFrame, TransferFrameDecoder} from '../../../../src/broker/ha/ha-frame.js'
import {HAService} from '../../../../src/broker/ha/ha-service.js'
import {MessageStore} from '../../../../src/broker/store/message-store.js'
import {message, smallConfig, tempDir} from '../store/helpers.js'

const tmp = tempDir('mqbench-ha-service-')
afterAll(() => tmp.cleanup())
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})
let n = 0
const FILE = 64 * 1024

async function master(opts: {heartbeatMs?: number; housekeepingMs?: number; batch?: number} = {}) {
  const store = await MessageStore.open(smallConfig(path.join(tmp.dir, `m${n++}`), {brokerRole: 'SYNC_MASTER', mappedFileSizeCommitLog: FILE}))
  const logs: string[] = []
  const ha = new HAService(store, {
    host: '127.0.0.1', haListenPort: 0, mappedFileSizeCommitLog: FILE, haTransferBatchSize: opts.batch ?? 32768,
    haSendHeartbeatInterval: opts.heartbeatMs ?? 5000, haHousekeepingInterval: opts.housekeepingMs ?? 20000,
    haMaxGapNotInSync: 256 * 1024 * 1024, slaveAckTimeoutMs: 500, log: (l) => logs.push(l),
  })
  const port = await ha.start()
  store.setReplicationWaiter(ha.waitForSlave)
  cleanups.push(async () => {
    await ha.stop()
    await store.shutdown()
  })
  return {store, ha, port, logs}
}

/** A hand-driven slave: collects frames, reports what the test says. */
async function rawSlave(port: number) {
  const socket = net.connect({host: '127.0.0.1', port})
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  const dec = new TransferFrameDecoder()
  const frames: TransferFrame[] = []
  let closed = false
  let wake: (() => void) | undefined
  socket.on('data', (c: Buffer) => {
    frames.push(...dec.push(c).map((f) => ({startOffset: f.startOffset, data: Buffer.from(f.data)})))
    wake?.()
  })
  socket.on('close', () => {
    closed = true
    wake?.()
  })
  cleanups.push(() => void socket.destroy())
  return {
    socket, frames,
    get closed() {
      return closed
    },
    report: (offset: number) => socket.write(encodeOffsetReport(offset)),
    async until(pred: () => boolean, ms = 3000): Promise<void> {
      const deadline = Date.now() + ms
      while (!pred()) {
        if (Date.now() > deadline) throw new Error('condition not reached')
        await new Promise<void>((resolve) => {
          wake = resolve
          setTimeout(resolve, 20)
        })
      }
    },
  }
}

const dataBytes = (frames: TransferFrame[]) => frames.reduce((a, f) => a + f.data.length, 0)

describe('HAService (master)', () => {
  it('sends nothing before the first report; then a heartbeat at the transfer offset and the bytes from there', async () => {
    const m = await master()
    for (let i = 0; i < 5; i++) await m.store.putMessage(message('T', 0, `m${i}`, {waitStoreMsgOK: false}))
    const s = await rawSlave(m.port)
    await new Promise((r) => setTimeout(r, 50))
    expect(s.frames).toEqual([])
    s.report(0)
    const max = m.store.getMaxPhyOffset()
    await s.until(() => dataBytes(s.frames) >= max)
    expect(s.frames[0]).toEqual({startOffset: 0, data: Buffer.alloc(0)})
    expect(Buffer.concat(s.frames.map((f) => f.data))).toEqual(m.store.readCommitLog(0, max))
  })

  it('pushes new bytes as they are appended; a SYNC_MASTER send completes once the slave acks them', async () => {
    const m = await master()
    const s = await rawSlave(m.port)
    s.report(0)
    await s.until(() => s.frames.length >= 1)
    const put = m.store.putMessage(message('T', 0, 'sync'))
    await s.until(() => dataBytes(s.frames) > 0)
    const end = m.store.getMaxPhyOffset()
    expect(s.frames.at(-1)!.startOffset + s.frames.at(-1)!.data.length).toBe(end)
    s.report(end)
    expect((await put).status).toBe('PUT_OK')
    expect(m.ha.push2SlaveMaxOffset).toBe(end)
  })

  it('batches are ≤ haTransferBatchSize and never cross a CommitLog file boundary', async () => {
    const m = await master({batch: 5000})
    for (let i = 0; i < 40; i++) await m.store.putMessage(message('T', i % 4, Buffer.alloc(3000, i), {waitStoreMsgOK: false}))
    const max = m.store.getMaxPhyOffset()
    expect(max).toBeGreaterThan(FILE)
    const s = await rawSlave(m.port)
    s.report(1) // any non-zero offset is taken as is
    await s.until(() => dataBytes(s.frames) >= max - 1)
    for (const f of s.frames.filter((x) => x.data.length > 0)) {
      expect(f.data.length).toBeLessThanOrEqual(5000)
      expect(Math.floor(f.startOffset / FILE)).toBe(Math.floor((f.startOffset + f.data.length - 1) / FILE))
    }
  })

  it('a fresh slave (report 0) starts at the master\'s last file', async () => {
    const m = await master()
    for (let i = 0; i < 30; i++) await m.store.putMessage(message('T', 0, Buffer.alloc(3000), {waitStoreMsgOK: false}))
    const max = m.store.getMaxPhyOffset()
    const s = await rawSlave(m.port)
    s.report(0)
    await s.until(() => s.frames.length > 0)
    expect(s.frames[0]!.startOffset).toBe(max - (max % FILE))
  })

  it('a slave reporting beyond the master\'s end is told where to truncate and is not counted as an ack', async () => {
    const m = await master()
    const recovered = m.store.getMaxPhyOffset()
    await m.store.putMessage(message('T', 0, 'x', {waitStoreMsgOK: false}))
    const max = m.store.getMaxPhyOffset()
    const s = await rawSlave(m.port)
    s.report(max + 1000)
    await s.until(() => s.frames.length > 0)
    // Not to `max`: 'x' was written after this master started, the slave's bytes there are not 'x'.
    expect(s.frames[0]).toEqual({startOffset: recovered, data: Buffer.alloc(0)})
    expect(m.ha.stats().connections).toBe(0)
    expect((await m.store.putMessage(message('T', 0, 'y'))).status).toBe('SLAVE_NOT_AVAILABLE')
    expect(m.logs.some((l) => l.includes('must truncate'))).toBe(true)
  })

  it('a restarted master that grew past its slave again still makes the slave truncate to what it recovered', async () => {
    // The matrix's power cut: the master came back 8 KB shorter than its slave, took new sends, and the
    // slave reconnected reporting an offset inside them; transferring from there made the logs differ.
    const m = await master()
    await m.store.putMessage(message('T', 0, 'a'.repeat(100), {waitStoreMsgOK: false}))
    const recovered = m.store.getMaxPhyOffset()
    const restarted = new HAService(m.store, {
      host: '127.0.0.1', haListenPort: 0, mappedFileSizeCommitLog: FILE, haTransferBatchSize: 32 * 1024, haSendHeartbeatInterval: 5000,
      haHousekeepingInterval: 20_000, haMaxGapNotInSync: 256 * 1024 * 1024, slaveAckTimeoutMs: 300, log: (l) => m.logs.push(l),
    })
    const port = await restarted.start()
    cleanups.push(() => restarted.stop())
    for (let i = 0; i < 3; i++) await m.store.putMessage(message('T', 0, `new-${i}`, {waitStoreMsgOK: false}))
    const s = await rawSlave(port)
    s.report(recovered + 10) // the slave's own (lost-on-the-master) bytes end inside the new ones
    await s.until(() => s.frames.length > 1)
    expect(s.frames[0]).toEqual({startOffset: recovered, data: Buffer.alloc(0)})
    expect(s.frames[1]!.startOffset).toBe(recovered)
    expect(restarted.stats().connections).toBe(0) // its first report acknowledged nothing
    expect(m.logs.some((l) => l.includes(`must truncate to ${recovered}`))).toBe(true)
  })

  it('a slave that reconnects to the same master resumes where it was: its bytes came from this master', async () => {
    const m = await master()
    const s1 = await rawSlave(m.port)
    s1.report(0)
    await m.store.putMessage(message('T', 0, 'one', {waitStoreMsgOK: false}))
    await s1.until(() => s1.frames.some((f) => f.data.length > 0))
    const end = m.store.getMaxPhyOffset()
    s1.socket.destroy()
    await m.store.putMessage(message('T', 0, 'two', {waitStoreMsgOK: false}))
    const s2 = await rawSlave(m.port)
    s2.report(end)
    await s2.until(() => s2.frames.some((f) => f.data.length > 0))
    expect(s2.frames.find((f) => f.data.length > 0)!.startOffset).toBe(end)
    expect(m.logs.some((l) => l.includes('must truncate'))).toBe(false)
  })

  it('sends heartbeats when idle and closes a slave that stays silent for haHousekeepingInterval', async () => {
    const m = await master({heartbeatMs: 40, housekeepingMs: 300})
    const s = await rawSlave(m.port)
    s.report(0)
    await s.until(() => s.frames.filter((f) => f.data.length === 0).length >= 3)
    expect(m.ha.stats().connections).toBe(1)
    await s.until(() => s.closed, 2000)
    expect(m.ha.stats().connections).toBe(0)
    expect((await m.store.putMessage(message('T', 0, 'late'))).status).toBe('SLAVE_NOT_AVAILABLE')
  })

  it('a connected slave that does not ack in time gives FLUSH_SLAVE_TIMEOUT; its close gives SLAVE_NOT_AVAILABLE', async () => {
    const m = await master()
    const s = await rawSlave(m.port)
    s.report(0)
    await s.until(() => m.ha.stats().connections === 1)
    expect((await m.store.putMessage(message('T', 0, 'slow'))).status).toBe('FLUSH_SLAVE_TIMEOUT')
    s.socket.destroy()
    await s.until(() => m.ha.stats().connections === 0)
    expect((await m.store.putMessage(message('T', 0, 'gone'))).status).toBe('SLAVE_NOT_AVAILABLE')
  })

  it('a garbage stream on the HA port only drops that connection', async () => {
    const m = await master()
    const s = await rawSlave(m.port)
    s.socket.write(Buffer.from('ffffffffffffffff', 'hex'))
    await s.until(() => s.closed)
    const ok = await rawSlave(m.port)
    ok.report(0)
    await ok.until(() => ok.frames.length > 0)
    expect(ok.frames[0]).toEqual({startOffset: 0, data: Buffer.alloc(0)})
  })
})
