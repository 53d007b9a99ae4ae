/**
 * The master's side of one slave (RocketMQ HAConnection: ReadSocketService + WriteSocketService in
 * one event-driven object). The slave's first report is where the transfer starts; every later report
 * is an ack. CommitLog bytes are pushed as soon as they are appended, in batches of at most
 * haTransferBatchSize that never cross a file boundary; an idle link gets a heartbeat [offset][0].
 *
 * Truncation handshake (ours; classic RocketMQ has none): right after the first report the master
 * sends a heartbeat carrying the offset it will transfer from. A slave whose CommitLog is longer than
 * that — the master lost data, e.g. a power cut — truncates to it before accepting bytes. The master
 * vouches only for bytes it recovered or has itself sent to a slave since it started (trustedEnd): a
 * restarted master that lost its tail and took new sends before the slave reconnected is longer again
 * than the slave, yet the slave's bytes past the recovered end are the lost ones, not the new ones.
 * Transferring from the slave's offset there left the slave's log silently different from the
 * master's (seen after matrix power cuts) and took its first report as an ack of data it does not
 * hold. A report beyond what this connection has transferred is never taken as an ack.
 */
import type {Socket} from 'node:net'
import {encodeTransferHeader, OffsetReportReader} from './ha-frame.js'

export interface HaMasterStore {
  readCommitLog(offset: number, maxBytes: number): Buffer | undefined
  getMaxPhyOffset(): number
}

export interface HaConnectionOptions {
  /** mappedFileSizeCommitLog: a fresh slave (report 0) starts at the master's last file */
  fileSize: number
  haTransferBatchSize: number
  haSendHeartbeatInterval: number
  haHousekeepingInterval: number
  log: (line: string) => void
  /** Bytes below this are the master's own since it started: recovered, or sent to a slave by this process. */
  trustedEnd: () => number
  /** A batch was sent up to `end`: bytes below it are now on a slave of this process. */
  onTransferred: (end: number) => void
}

export interface HaConnectionEvents {
  onAck(conn: HAConnection, offset: number): void
  onClose(conn: HAConnection): void
}

export class HAConnection {
  readonly remoteAddr: string
  /** the slave's first report; -1 until it arrives */
  slaveRequestOffset = -1
  /** the slave's latest report that the master could confirm; -1 until then */
  slaveAckOffset = -1
  private nextTransferOffset = -1
  private readonly reader = new OffsetReportReader()
  private lastReadAt = Date.now()
  private lastWriteAt = Date.now()
  private pushScheduled = false
  private waitingDrain = false
  private closed = false
  private readonly timer: NodeJS.Timeout

  constructor(
    private readonly socket: Socket,
    private readonly store: HaMasterStore,
    private readonly opts: HaConnectionOptions,
    private readonly events: HaConnectionEvents,
  ) {
    this.remoteAddr = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('drain', () => {
      this.waitingDrain = false
      this.push()
    })
    socket.on('error', (err) => this.close(`socket error: ${err.message}`))
    socket.on('close', () => this.close('closed by the slave'))
    const tick = Math.max(10, Math.min(opts.haSendHeartbeatInterval, opts.haHousekeepingInterval) / 4)
    this.timer = setInterval(() => this.housekeep(), tick)
    this.timer.unref()
  }

  /** Where the next pushed batch starts; -1 before the first report. */
  get transferOffset(): number {
    return this.nextTransferOffset
  }

  /** New CommitLog bytes: push them after the current I/O phase, so a burst of appends travels together. */
  notifyAppend(): void {
    if (this.nextTransferOffset < 0 || this.pushScheduled || this.waitingDrain || this.closed) return
    this.pushScheduled = true
    setImmediate(() => {
      this.pushScheduled = false
      this.push()
    })
  }

  close(reason: string): void {
    if (this.closed) return
    this.closed = true
    clearInterval(this.timer)
    this.socket.destroy()
    this.opts.log(`ha: slave ${this.remoteAddr} disconnected (${reason}), acked ${this.slaveAckOffset}`)
    this.events.onClose(this)
  }

  private onData(chunk: Buffer): void {
    this.lastReadAt = Date.now()
    let offset: number | undefined
    try {
      offset = this.reader.push(chunk)
    } catch (err) {
      this.close((err as Error).message)
      return
    }
    if (offset === undefined) return
    const max = this.store.getMaxPhyOffset()
    // A slave told to truncate acknowledges nothing with the report that made it.
    if (this.slaveRequestOffset < 0 && this.startTransfer(offset, max) === 'truncate') return
    if (offset <= max && offset <= this.nextTransferOffset) {
      this.slaveAckOffset = offset
      this.events.onAck(this, offset)
    }
  }

  private startTransfer(requested: number, max: number): 'truncate' | 'resume' {
    this.slaveRequestOffset = requested
    const trusted = Math.min(max, this.opts.trustedEnd())
    if (requested > trusted) {
      const why = requested > max ? `beyond this master's end ${max}` : `beyond ${trusted}, the end this master recovered or has sent since it started`
      this.opts.log(`ha: slave ${this.remoteAddr} reports ${requested}, ${why}: it must truncate to ${trusted}`)
      this.nextTransferOffset = trusted
    } else {
      this.nextTransferOffset = requested === 0 ? max - (max % this.opts.fileSize) : requested
    }
    this.opts.log(`ha: slave ${this.remoteAddr} connected, reports ${requested}, transfer from ${this.nextTransferOffset}`)
    this.sendHeartbeat()
    this.push()
    return requested > trusted ? 'truncate' : 'resume'
  }

  private push(): void {
    while (!this.waitingDrain && !this.closed && this.nextTransferOffset >= 0) {
      const data = this.store.readCommitLog(this.nextTransferOffset, this.opts.haTransferBatchSize)
      if (!data || data.length === 0) return
      this.socket.cork()
      this.socket.write(encodeTransferHeader(this.nextTransferOffset, data.length))
      const flowing = this.socket.write(data)
      this.socket.uncork()
      this.nextTransferOffset += data.length
      this.opts.onTransferred(this.nextTransferOffset)
      this.lastWriteAt = Date.now()
      if (!flowing) this.waitingDrain = true
    }
  }

  private sendHeartbeat(): void {
    this.socket.write(encodeTransferHeader(this.nextTransferOffset, 0))
    this.lastWriteAt = Date.now()
  }

  private housekeep(): void {
    const now = Date.now()
    if (now - this.lastReadAt > this.opts.haHousekeepingInterval) {
      this.close(`nothing read for ${now - this.lastReadAt} ms (haHousekeepingInterval ${this.opts.haHousekeepingInterval})`)
      return
    }
    if (this.nextTransferOffset >= 0 && !this.waitingDrain && now - this.lastWriteAt >= this.opts.haSendHeartbeatInterval) this.sendHeartbeat()
  }
}
