/**
 * The master's HA endpoint (RocketMQ HAService + AcceptSocketService): listens on haListenPort,
 * runs one HAConnection per slave, tells every connection about new CommitLog bytes and feeds the
 * slaves' acks into GroupTransfer, which a SYNC_MASTER's sends wait on.
 */
import net from 'node:net'
import {GroupTransfer, type GroupTransferStats} from './group-transfer.js'
import {HAConnection, type HaMasterStore} from './ha-connection.js'

export interface HaServiceStore extends HaMasterStore {
  onCommitLogAppend(cb: (maxPhyOffset: number) => void): void
}

export interface HaServiceOptions {
  host: string
  haListenPort: number
  mappedFileSizeCommitLog: number
  haTransferBatchSize: number
  haSendHeartbeatInterval: number
  haHousekeepingInterval: number
  haMaxGapNotInSync: number
  /** how long a SYNC_MASTER send waits for the slave (the broker passes syncFlushTimeout) */
  slaveAckTimeoutMs: number
  log?: (line: string) => void
}

export interface HaServiceStats extends GroupTransferStats {
  connections: number
  push2SlaveMaxOffset: number
  slaves: Array<{addr: string; requestOffset: number; ackOffset: number; transferOffset: number}>
}

/** Socket buffer per slave: several 32 KiB batches in flight before waiting for 'drain'. */
const HA_SOCKET_HIGH_WATER_MARK = 1024 * 1024

export class HAService {
  readonly groupTransfer: GroupTransfer
  private readonly connections = new Set<HAConnection>()
  private readonly server: net.Server
  private readonly log: (line: string) => void
  private stopped = false
  /** The end of the store as recovered at start, then the furthest any slave was sent (see ha-connection.ts). */
  private trustedEnd: number

  constructor(private readonly store: HaServiceStore, private readonly opts: HaServiceOptions) {
    this.log = opts.log ?? (() => undefined)
    this.trustedEnd = store.getMaxPhyOffset()
    this.groupTransfer = new GroupTransfer({timeoutMs: opts.slaveAckTimeoutMs, maxGapNotInSync: opts.haMaxGapNotInSync})
    this.server = net.createServer({highWaterMark: HA_SOCKET_HIGH_WATER_MARK, noDelay: true}, (socket) => this.accept(socket))
    store.onCommitLogAppend(() => {
      for (const c of this.connections) c.notifyAppend()
    })
  }

  /** Binds the HA port; resolves with the bound port (haListenPort 0 = any free port). */
  start(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(this.opts.haListenPort, this.opts.host, () => {
        this.server.off('error', reject)
        const port = (this.server.address() as net.AddressInfo).port
        this.log(`ha: listening on ${this.opts.host}:${port}`)
        resolve(port)
      })
    })
  }

  /** The store's replication waiter for a SYNC_MASTER. */
  get waitForSlave(): (endOffset: number) => ReturnType<GroupTransfer['waitForSlave']> {
    return this.groupTransfer.waitForSlave
  }

  get push2SlaveMaxOffset(): number {
    return this.groupTransfer.push2SlaveMaxOffset
  }

  stats(): HaServiceStats {
    return {
      ...this.groupTransfer.stats(), connections: this.reportingConnections(), push2SlaveMaxOffset: this.push2SlaveMaxOffset,
      slaves: [...this.connections].map((c) => ({
        addr: c.remoteAddr, requestOffset: c.slaveRequestOffset, ackOffset: c.slaveAckOffset, transferOffset: c.transferOffset,
      })),
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    this.groupTransfer.shutdown()
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    for (const c of [...this.connections]) c.close('master stopping')
    await closed
  }

  private accept(socket: net.Socket): void {
    if (this.stopped) {
      socket.destroy()
      return
    }
    const conn = new HAConnection(socket, this.store, {
      fileSize: this.opts.mappedFileSizeCommitLog, haTransferBatchSize: this.opts.haTransferBatchSize,
      haSendHeartbeatInterval: this.opts.haSendHeartbeatInterval, haHousekeepingInterval: this.opts.haHousekeepingInterval,
      log: this.log, trustedEnd: () => this.trustedEnd,
      onTransferred: (end) => {
        if (end > this.trustedEnd) this.trustedEnd = end
      },
    }, {
      onAck: (_c, offset) => {
        // The first report makes the slave count as connected (RocketMQ counts the connection at once;
        // we wait for its offset so the gap check has something to compare).
        this.groupTransfer.setSlaveConnections(this.reportingConnections())
        this.groupTransfer.onAck(offset)
      },
      onClose: (c) => {
        this.connections.delete(c)
        this.groupTransfer.setSlaveConnections(this.reportingConnections())
      },
    })
    this.connections.add(conn)
  }

  private reportingConnections(): number {
    let n = 0
    for (const c of this.connections) if (c.slaveAckOffset >= 0) n++
    return n
  }
}
