/**
 * The slave's side of replication (RocketMQ HAClient): connect to the master's HA port, report the
 * local CommitLog end at once, append every pushed batch at the same offset, and report again as soon
 * as the bytes are written (in the page cache — the slave flushes per its own flushDiskType) and every
 * haSendHeartbeatInterval. A batch that does not start at the local end means the two logs disagree:
 * drop the link and reconnect, never rewrite. A heartbeat below the local end is the master's truncation
 * handshake (see ha-connection.ts): the master lost data, so the slave cuts its log to match.
 */
import net from 'node:net'
import {encodeOffsetReport, type TransferFrame, TransferFrameDecoder} from './ha-frame.js'

export interface HaSlaveStore {
  getMaxPhyOffset(): number
  appendToCommitLog(startOffset: number, data: Buffer): Promise<void>
  /** Drops CommitLog bytes at and after `offset` and the ConsumeQueue units pointing there. */
  truncateFiles(offset: number): Promise<void>
}

export interface HaClientOptions {
  /** haMasterAddress from the config, or the haServerAddr namesrv returned at registration; asked at every connect */
  masterAddress: () => string | undefined
  haSendHeartbeatInterval: number
  haHousekeepingInterval: number
  reconnectMinMs?: number
  reconnectMaxMs?: number
  log?: (line: string) => void
}

/** Received but not yet written bytes above which the slave stops reading its socket. */
const MAX_UNWRITTEN_BYTES = 64 * 1024 * 1024

export class HAClient {
  private socket: net.Socket | undefined
  private connectedTo: string | undefined
  private decoder = new TransferFrameDecoder()
  private backoffMs: number
  private reconnectTimer: NodeJS.Timeout | undefined
  private heartbeatTimer: NodeJS.Timeout | undefined
  private lastReadAt = 0
  private lastReportAt = 0
  /** end of the bytes known to be written locally; what the next report says */
  private writtenOffset = 0
  private stagedEnd = 0
  private reportScheduled = false
  /** the latest append, settled or not: a new link's first report waits for it */
  private lastAppend: Promise<unknown> = Promise.resolve()
  /** the current link's first report has gone out; nothing else may go before it */
  private linkReady = false
  private truncating: Promise<void> | undefined
  private queued: TransferFrame[] = []
  private stopped = true
  private readonly log: (line: string) => void

  constructor(private readonly store: HaSlaveStore, private readonly opts: HaClientOptions) {
    this.log = opts.log ?? (() => undefined)
    this.backoffMs = opts.reconnectMinMs ?? 100
  }

  /** The master HA address of the live connection, if any. */
  get masterHaAddress(): string | undefined {
    return this.connectedTo
  }

  get reportedOffset(): number {
    return this.writtenOffset
  }

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.connect()
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.reconnectTimer)
    this.dropLink()
    await this.truncating
  }

  private connect(): void {
    this.reconnectTimer = undefined
    if (this.stopped) return
    const addr = this.opts.masterAddress()
    const m = addr === undefined ? null : /^(.+):(\d+)$/.exec(addr)
    if (!m) {
      this.scheduleReconnect()
      return
    }
    const socket = net.connect({host: m[1]!, port: Number(m[2]), noDelay: true})
    this.socket = socket
    socket.once('connect', () => this.onConnect(socket, addr!))
    socket.on('data', (chunk: Buffer) => this.onData(socket, chunk))
    socket.on('error', () => undefined) // 'close' follows and reconnects
    socket.on('close', () => {
      if (this.socket !== socket) return
      if (this.connectedTo !== undefined) this.log(`ha: link to master ${this.connectedTo} closed; reconnecting`)
      this.dropLink()
      this.scheduleReconnect()
    })
  }

  private onConnect(socket: net.Socket, addr: string): void {
    this.connectedTo = addr
    this.backoffMs = this.opts.reconnectMinMs ?? 100
    this.decoder = new TransferFrameDecoder()
    this.queued = []
    this.lastReadAt = Date.now()
    // Appends of the previous link may still be on their way to the file: the first report is an
    // ack too, so it waits for them (the master sends nothing before it).
    void this.lastAppend.then(() => {
      if (socket !== this.socket) return
      this.writtenOffset = this.stagedEnd = this.store.getMaxPhyOffset()
      this.log(`ha: connected to master ${addr}, reporting ${this.writtenOffset}`)
      this.linkReady = true
      this.sendReport()
    })
    const tick = Math.max(10, Math.min(this.opts.haSendHeartbeatInterval, this.opts.haHousekeepingInterval) / 4)
    this.heartbeatTimer = setInterval(() => this.housekeep(socket), tick)
    this.heartbeatTimer.unref()
  }

  private onData(socket: net.Socket, chunk: Buffer): void {
    if (this.socket !== socket) return
    this.lastReadAt = Date.now()
    let frames: TransferFrame[]
    try {
      frames = this.decoder.push(chunk)
    } catch (err) {
      this.fail((err as Error).message)
      return
    }
    if (frames.length > 0) this.handleFrames(frames)
  }

  private handleFrames(frames: TransferFrame[]): void {
    if (this.truncating) {
      this.queued.push(...frames)
      return
    }
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i]!
      const localEnd = this.store.getMaxPhyOffset()
      if (f.data.length === 0) {
        if (f.startOffset < localEnd) {
          this.queued = frames.slice(i + 1)
          this.truncate(f.startOffset, localEnd)
          return
        }
        continue
      }
      if (localEnd !== 0 && localEnd !== f.startOffset) {
        this.fail(`master sent a batch at ${f.startOffset}, but the local CommitLog ends at ${localEnd}`)
        return
      }
      this.append(f)
    }
    if (this.stagedEnd - this.writtenOffset > MAX_UNWRITTEN_BYTES) this.socket?.pause()
  }

  private append(f: TransferFrame): void {
    const end = f.startOffset + f.data.length
    this.stagedEnd = end
    const socket = this.socket
    this.lastAppend = this.store.appendToCommitLog(f.startOffset, f.data).then(() => {
      if (end > this.writtenOffset) this.writtenOffset = end
      if (socket === this.socket && socket?.isPaused() && this.stagedEnd - this.writtenOffset < MAX_UNWRITTEN_BYTES / 2) socket.resume()
      this.scheduleReport()
    }, (err: unknown) => {
      if (socket === this.socket) this.fail(`append at ${f.startOffset} failed: ${(err as Error).message}`)
    })
  }

  private truncate(offset: number, localEnd: number): void {
    this.log(`ha: local CommitLog ends at ${localEnd}, beyond the master's ${offset} (the master lost data): truncating to ${offset}`)
    const socket = this.socket
    this.truncating = this.store.truncateFiles(offset).then(() => {
      this.truncating = undefined
      // Frames queued meanwhile belong to the current link, even if it is a newer one.
      if (!this.socket) return
      this.writtenOffset = this.stagedEnd = this.store.getMaxPhyOffset()
      this.sendReport()
      const rest = this.queued
      this.queued = []
      if (rest.length > 0) this.handleFrames(rest)
    }, (err: unknown) => {
      this.truncating = undefined
      if (socket === this.socket) this.fail(`truncation to ${offset} failed: ${(err as Error).message}`)
    })
  }

  /** One report per burst of completed appends: they resolve together when the write loop catches up. */
  private scheduleReport(): void {
    if (this.reportScheduled) return
    this.reportScheduled = true
    queueMicrotask(() => {
      this.reportScheduled = false
      this.sendReport()
    })
  }

  private sendReport(): void {
    if (!this.socket || !this.linkReady) return
    this.socket.write(encodeOffsetReport(this.writtenOffset))
    this.lastReportAt = Date.now()
  }

  private housekeep(socket: net.Socket): void {
    if (socket !== this.socket) return
    const now = Date.now()
    if (now - this.lastReadAt > this.opts.haHousekeepingInterval) {
      this.fail(`nothing read from the master for ${now - this.lastReadAt} ms`)
      return
    }
    if (now - this.lastReportAt >= this.opts.haSendHeartbeatInterval) this.sendReport()
  }

  private fail(reason: string): void {
    this.log(`ha: dropping link to master ${this.connectedTo ?? '?'}: ${reason}`)
    this.dropLink()
    this.scheduleReconnect()
  }

  private dropLink(): void {
    clearInterval(this.heartbeatTimer)
    this.heartbeatTimer = undefined
    const s = this.socket
    this.socket = undefined
    this.connectedTo = undefined
    this.linkReady = false
    this.queued = []
    s?.destroy()
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer !== undefined) return
    const delay = this.backoffMs
    this.backoffMs = Math.min(this.backoffMs * 2, this.opts.reconnectMaxMs ?? 5000)
    this.reconnectTimer = setTimeout(() => this.connect(), delay)
    this.reconnectTimer.unref()
  }
}
