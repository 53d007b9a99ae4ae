/** Master HAService + slave HAClient over loopback, each with a real MessageStore in a temp dir. */
import * as fs from 'node:fs'
import net from 'node:net'
import * as path from 'node:path'
import {afterAll, afterEach, describe, expect, it} from 'vitest'
import {commitLogDigest} from '../../../../src/broker/ha/commit-log-digest.js'
import {HAClient} from '../../../../src/broker/ha/ha-client.js'
import {encodeTransferHeader, OffsetReportReader} from '../../../../src/broker/ha/ha-frame.js'
import {HAService} from '../../../../src/broker/ha/ha-service.js'
import {MessageStore} from '../../../../src/broker/store/message-store.js'
import {decodeMessageExt} from '../../../../src/protocol/message/index.js'
import {message, smallConfig, tempDir} from '../store/helpers.js'

const tmp = tempDir('mqbench-ha-client-')
afterAll(() => tmp.cleanup())
const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})
const FILE = 64 * 1024

async function openStore(name: string, brokerRole: 'SYNC_MASTER' | 'SLAVE'): Promise<MessageStore> {
  const store = await MessageStore.open(smallConfig(path.join(tmp.dir, name), {brokerRole, mappedFileSizeCommitLog: FILE}))
  cleanups.push(() => store.shutdown())
  return store
}

async function startMaster(store: MessageStore, port = 0): Promise<{ha: HAService; port: number}> {
  const ha = new HAService(store, {
    host: '127.0.0.1', haListenPort: port, mappedFileSizeCommitLog: FILE, haTransferBatchSize: 32768,
    haSendHeartbeatInterval: 5000, haHousekeepingInterval: 20000, haMaxGapNotInSync: 256 * 1024 * 1024, slaveAckTimeoutMs: 2000,
  })
  const bound = await ha.start()
  store.setReplicationWaiter(ha.waitForSlave)
  cleanups.push(() => ha.stop())
  return {ha, port: bound}
}

function startSlave(store: MessageStore, addr: () => string | undefined, housekeepingMs = 20000): {client: HAClient; logs: string[]} {
  const logs: string[] = []
  const client = new HAClient(store, {
    masterAddress: addr, haSendHeartbeatInterval: 5000, haHousekeepingInterval: housekeepingMs, reconnectMinMs: 20, reconnectMaxMs: 200,
    log: (l) => logs.push(l),
  })
  client.start()
  cleanups.push(() => client.stop())
  return {client, logs}
}

async function until(pred: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('condition not reached')
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('HAClient (slave) with HAService (master)', () => {
  it('replicates byte for byte across file roll-overs, builds ConsumeQueues, and acks SYNC_MASTER sends', async () => {
    const m = await openStore('m1', 'SYNC_MASTER')
    const s = await openStore('s1', 'SLAVE')
    const {ha, port} = await startMaster(m)
    const {client} = startSlave(s, () => `127.0.0.1:${port}`)
    await until(() => client.masterHaAddress !== undefined && ha.stats().connections === 1)
    const statuses = new Set<string>()
    for (let i = 0; i < 60; i++) statuses.add((await m.putMessage(message(`T${i % 2}`, i % 3, Buffer.alloc(2500, i)))).status)
    expect([...statuses]).toEqual(['PUT_OK'])
    const max = m.getMaxPhyOffset()
    expect(max).toBeGreaterThan(2 * FILE)
    await until(() => s.getMaxPhyOffset() === max)
    expect(await commitLogDigestOf(s, max)).toBe(await commitLogDigestOf(m, max))
    expect(s.getMaxOffsetInQueue('T1', 2)).toBe(m.getMaxOffsetInQueue('T1', 2))
    const got = s.getMessage('T0', 0, 0, 32)
    expect(got.status).toBe('FOUND')
    expect(decodeMessageExt(got.records[0]!).body).toEqual(Buffer.alloc(2500, 0))
  })

  it('reconnects with back-off after the master restarts and catches up from its own end', async () => {
    const m = await openStore('m2', 'SYNC_MASTER')
    const s = await openStore('s2', 'SLAVE')
    let master = await startMaster(m)
    const port = master.port
    const {client} = startSlave(s, () => `127.0.0.1:${port}`)
    await until(() => master.ha.stats().connections === 1)
    for (let i = 0; i < 10; i++) expect((await m.putMessage(message('T', 0, `a${i}`))).status).toBe('PUT_OK')
    await master.ha.stop()
    await until(() => client.masterHaAddress === undefined)
    for (let i = 0; i < 10; i++) await m.putMessage(message('T', 0, `b${i}`, {waitStoreMsgOK: false}))
    master = await startMaster(m, port)
    await until(() => s.getMaxPhyOffset() === m.getMaxPhyOffset())
    expect(s.getMaxOffsetInQueue('T', 0)).toBe(20)
  })

  it('a slave ahead of a master that lost data truncates to the master\'s end, then follows it', async () => {
    const old = await openStore('m3-old', 'SYNC_MASTER')
    const s = await openStore('s3', 'SLAVE')
    const first = await startMaster(old)
    startSlave(s, () => `127.0.0.1:${first.port}`)
    await until(() => first.ha.stats().connections === 1)
    for (let i = 0; i < 8; i++) {
      expect((await old.putMessage(message('T', 0, `old${i}`))).status).toBe('PUT_OK')
      // The master's disk as a power cut after the third record would leave it.
      if (i === 2) {
        await old.commitLog.flush()
        fs.cpSync(old.config.storePathRootDir, path.join(tmp.dir, 'm3-new'), {recursive: true})
      }
    }
    await first.ha.stop()
    const lost = await openStore('m3-new', 'SYNC_MASTER')
    expect(lost.getMaxOffsetInQueue('T', 0)).toBe(3)
    const cut = lost.getMaxPhyOffset()
    expect(s.getMaxPhyOffset()).toBeGreaterThan(cut)
    const second = await startMaster(lost)
    const {logs} = startSlave(s, () => `127.0.0.1:${second.port}`)
    await until(() => logs.some((l) => l.includes(`truncating to ${cut}`)))
    await until(() => second.ha.stats().connections === 1)
    expect((await lost.putMessage(message('T', 0, 'new'))).status).toBe('PUT_OK')
    await until(() => s.getMaxPhyOffset() === lost.getMaxPhyOffset())
    expect(s.getMaxOffsetInQueue('T', 0)).toBe(4)
    expect(decodeMessageExt(s.getMessage('T', 0, 3, 1).records[0]!).body.toString()).toBe('new')
    expect(await commitLogDigestOf(s, lost.getMaxPhyOffset())).toBe(await commitLogDigestOf(lost, lost.getMaxPhyOffset()))
  })
})

/** A hand-driven master: records each connection's reports and runs `onReport` for the first one. */
async function fakeMaster(onFirstReport: (socket: net.Socket, offset: number) => void) {
  const connections: number[][] = []
  const sockets: net.Socket[] = []
  const server = net.createServer((socket) => {
    sockets.push(socket)
    const reports: number[] = []
    connections.push(reports)
    const reader = new OffsetReportReader()
    socket.on('data', (c: Buffer) => {
      const r = reader.push(c)
      if (r === undefined) return
      reports.push(r)
      if (reports.length === 1) onFirstReport(socket, r)
    })
    socket.on('error', () => undefined)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise<void>((resolve) => {
    server.close(() => resolve())
    for (const k of sockets) k.destroy()
  }))
  return {connections, addr: `127.0.0.1:${(server.address() as net.AddressInfo).port}`}
}

describe('HAClient against a misbehaving master', () => {
  it('reports its end at once on connect, and drops and redials a link with a batch that does not start at its end', async () => {
    const s = await openStore('s4', 'SLAVE')
    const m = await fakeMaster((socket) => socket.write(Buffer.concat([encodeTransferHeader(4096, 3), Buffer.from('abc')])))
    // An empty slave accepts a first batch at a file boundary only; 4096 is not one.
    const {logs} = startSlave(s, () => m.addr)
    await until(() => m.connections.length >= 2)
    expect(m.connections[0]![0]).toBe(0)
    expect(s.getMaxPhyOffset()).toBe(0)
    expect(logs.some((l) => l.includes('dropping link'))).toBe(true)
  })

  it('drops a link on which nothing arrives for haHousekeepingInterval', async () => {
    const s = await openStore('s5', 'SLAVE')
    const m = await fakeMaster(() => undefined)
    const {logs} = startSlave(s, () => m.addr, 150)
    await until(() => m.connections.length >= 2)
    expect(logs.some((l) => l.includes('nothing read from the master'))).toBe(true)
  })
})

async function commitLogDigestOf(store: MessageStore, max: number): Promise<string> {
  await store.commitLog.flush()
  return commitLogDigest(store.config.storePathRootDir, max)
}
