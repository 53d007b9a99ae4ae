/**
 * The in-flight state of one request awaiting its response (RocketMQ's ResponseFuture):
 * pending → done | failed | timed-out, each reached exactly once. The future owns the deadline
 * timer so every exit path (response, timeout, connection loss) clears it and settles the caller
 * once; a response that arrives after the deadline finds the future already settled and is dropped.
 */
import {TimeoutError} from '../errors.js'
import type {RemotingCommand} from '../protocol/remoting-command.js'
import {requestCodeName} from '../protocol/request-code.js'

export type ResponseFutureState = 'pending' | 'done' | 'failed' | 'timed-out'

export class ResponseFuture {
  readonly promise: Promise<RemotingCommand>
  private stateValue: ResponseFutureState = 'pending'
  private resolveFn!: (cmd: RemotingCommand) => void
  private rejectFn!: (err: Error) => void
  private timer: NodeJS.Timeout | undefined

  /**
   * @param onTimeout called once when the deadline passes, before the caller sees the TimeoutError,
   *   so the owner can drop the pending-table entry.
   */
  constructor(
    readonly opaque: number,
    readonly code: number,
    readonly addr: string,
    readonly timeoutMs: number,
    onTimeout: (future: ResponseFuture) => void,
  ) {
    this.promise = new Promise<RemotingCommand>((resolve, reject) => {
      this.resolveFn = resolve
      this.rejectFn = reject
    })
    this.timer = setTimeout(() => {
      if (this.stateValue !== 'pending') return
      this.stateValue = 'timed-out'
      this.timer = undefined
      onTimeout(this)
      this.rejectFn(
        new TimeoutError(`${requestCodeName(this.code)} to ${this.addr} got no response within ${this.timeoutMs} ms`, {
          addr: this.addr,
          opaque: this.opaque,
          requestCode: this.code,
          timeoutMs: this.timeoutMs,
        }),
      )
    }, timeoutMs)
  }

  get state(): ResponseFutureState {
    return this.stateValue
  }

  /** @returns false when the future was already settled (late or duplicate response). */
  complete(response: RemotingCommand): boolean {
    if (this.stateValue !== 'pending') return false
    this.stateValue = 'done'
    this.clearTimer()
    this.resolveFn(response)
    return true
  }

  fail(err: Error): boolean {
    if (this.stateValue !== 'pending') return false
    this.stateValue = 'failed'
    this.clearTimer()
    this.rejectFn(err)
    return true
  }

  private clearTimer(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
  }
}
