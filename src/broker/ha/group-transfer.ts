/**
 * SYNC_MASTER's wait for the slave (RocketMQ 4.9.x HAService.isSlaveOK + GroupTransferService),
 * rocketmq-protocol.md §8.2–8.3:
 * - no slave connected, or the slave further behind than haMaxGapNotInSync → SLAVE_NOT_AVAILABLE at once
 *   (the record stays on the master);
 * - otherwise wait until push2SlaveMaxOffset (highest ack of any slave, monotonic) covers the record's
 *   end → PUT_OK, or FLUSH_SLAVE_TIMEOUT when the timeout passes first.
 * Waiters are woken by acks, never by polling. Appends are ordered, so targets and deadlines both grow
 * and a FIFO with a single timer for the head's deadline serves everyone.
 */
import {OffsetWaiters} from '../store/flush/offset-waiters.js'
import type {ReplicationStatus} from '../store/message-store.js'

export interface GroupTransferOptions {
  /** ms a send waits for the slave's ack (we use syncFlushTimeout, as RocketMQ ≤ 4.9.2 does) */
  timeoutMs: number
  /** bytes the slave may lag before sends are answered SLAVE_NOT_AVAILABLE (haSlaveFallbehindMax) */
  maxGapNotInSync: number
}

export interface GroupTransferStats {
  waiting: number
  acked: number
  timedOut: number
  slaveNotAvailable: number
}

export class GroupTransfer {
  private readonly waiters = new OffsetWaiters<ReplicationStatus>()
  private timer: NodeJS.Timeout | undefined
  private ackedOffset = 0
  private connections = 0
  private closed = false
  private readonly counts = {acked: 0, timedOut: 0, slaveNotAvailable: 0}

  constructor(private readonly opts: GroupTransferOptions) {}

  /** push2SlaveMaxOffset: the highest offset any slave has confirmed. */
  get push2SlaveMaxOffset(): number {
    return this.ackedOffset
  }

  /** HAService keeps this current: connections that have sent at least one report. */
  setSlaveConnections(n: number): void {
    this.connections = n
  }

  isSlaveOK(endOffset: number): boolean {
    return this.connections > 0 && endOffset - this.ackedOffset < this.opts.maxGapNotInSync
  }

  /** The store's replication waiter (MessageStore.setReplicationWaiter). */
  readonly waitForSlave = (endOffset: number): Promise<ReplicationStatus> => {
    if (this.closed || !this.isSlaveOK(endOffset)) {
      this.counts.slaveNotAvailable++
      return Promise.resolve('SLAVE_NOT_AVAILABLE')
    }
    if (this.ackedOffset >= endOffset) {
      this.counts.acked++
      return Promise.resolve('PUT_OK')
    }
    const deadline = Date.now() + this.opts.timeoutMs
    const p = this.waiters.add(endOffset, deadline)
    if (this.timer === undefined) this.armTimer(deadline)
    return p
  }

  /** A slave confirmed `offset`; earlier acks of faster slaves are never taken back. */
  onAck(offset: number): void {
    if (offset <= this.ackedOffset) return
    this.ackedOffset = offset
    this.counts.acked += this.waiters.resolveUpTo(offset, 'PUT_OK')
    if (this.waiters.size === 0) this.disarmTimer()
  }

  stats(): GroupTransferStats {
    return {waiting: this.waiters.size, ...this.counts}
  }

  /** Broker stop: nobody will ack any more. */
  shutdown(): void {
    this.closed = true
    this.disarmTimer()
    this.counts.timedOut += this.waiters.size
    this.waiters.resolveAll('FLUSH_SLAVE_TIMEOUT')
  }

  private armTimer(deadline: number): void {
    this.timer = setTimeout(() => this.expire(), Math.max(0, deadline - Date.now()))
  }

  private disarmTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
  }

  private expire(): void {
    this.timer = undefined
    const before = this.waiters.size
    const next = this.waiters.expire(Date.now(), 'FLUSH_SLAVE_TIMEOUT')
    this.counts.timedOut += before - this.waiters.size
    if (next !== Infinity) this.armTimer(next)
  }
}
