/**
 * Per-connection bounds for the server (what Netty's channel writability gives RocketMQ): a client
 * that pipelines requests and never reads its replies must not grow the broker without limit.
 * Decoded requests wait in a small backlog and are dispatched only while the connection has fewer
 * than `maxInFlight` unanswered requests and fewer than `highWaterBytes` of replies not yet taken by
 * the kernel; otherwise the socket stops being read (TCP then pushes back on the client) until the
 * replies drain. The backlog holds at most one read's worth of frames, since reading stops whenever
 * it is non-empty.
 */
import type net from 'node:net'

export interface ConnectionFlowLimits {
  /** requests dispatched and not yet answered (long-polled pulls count) */
  maxInFlight: number
  /** unsent reply bytes above which no further request is dispatched */
  highWaterBytes: number
}

/**
 * The in-flight cap must not throttle a real client: RocketMQ's own client allows 65,535 async sends in
 * flight (semaphoreAsyncValue), and a SYNC_MASTER holds each send until its slave answers, so a cap of a
 * few hundred stalled a producer behind a partitioned slave instead of letting the broker answer
 * SLAVE_NOT_AVAILABLE. Memory is bounded by the unsent-reply high-water mark.
 */
export const DEFAULT_FLOW_LIMITS: ConnectionFlowLimits = {maxInFlight: 65_536, highWaterBytes: 4 * 1024 * 1024}

export class ConnectionFlow<T> {
  private readonly backlog: T[] = []
  private inFlight = 0
  private paused = false
  private closed = false
  private pumpQueued = false
  private readonly pumpQueuedWork = (): void => {
    this.pumpQueued = false
    this.pump()
  }

  /** @param dispatch runs one request and calls `done` once it is answered (or dropped) */
  constructor(
    private readonly socket: net.Socket,
    private readonly limits: ConnectionFlowLimits,
    private readonly dispatch: (item: T, done: () => void) => void,
  ) {
    socket.on('drain', () => this.pump())
  }

  push(item: T): void {
    if (this.closed) return
    this.backlog.push(item)
  }

  /** Dispatches what the limits allow, then pauses or resumes reading. */
  pump(): void {
    while (this.backlog.length > 0 && this.canDispatch()) {
      this.inFlight++
      let finished = false
      this.dispatch(this.backlog.shift()!, () => {
        if (finished) return
        finished = true
        this.inFlight--
        // A synchronous answer is inside the loop already; a later one needs another round only if
        // something waits (a backlog or a paused socket), and one queued round serves every answer.
        if ((this.backlog.length > 0 || this.paused) && !this.pumpQueued) {
          this.pumpQueued = true
          queueMicrotask(this.pumpQueuedWork)
        }
      })
    }
    const hold = this.backlog.length > 0 || !this.canDispatch()
    if (hold && !this.paused && !this.closed) {
      this.paused = true
      this.socket.pause()
    } else if (!hold && this.paused && !this.closed) {
      this.paused = false
      this.socket.resume()
    }
  }

  /** On close: nothing queued is kept. */
  close(): void {
    this.closed = true
    this.backlog.length = 0
  }

  private canDispatch(): boolean {
    return !this.closed && this.inFlight < this.limits.maxInFlight && this.socket.writableLength < this.limits.highWaterBytes
  }
}
