/**
 * Writes encoded frames to a socket, coalescing every frame written in the same tick into one
 * writev: the first write corks the socket and a nextTick uncorks it. Because the nextTick queue
 * runs only after the current promise continuations, responses resolved in one batch (one TCP
 * chunk of requests, or a loop of invokes) leave as one syscall instead of one per frame.
 */
import type {Socket} from 'node:net'
import {encodeFrame, encodeFrameHead} from '../protocol/frame.js'
import type {RemotingCommand} from '../protocol/remoting-command.js'

export class FrameWriter {
  private corked = false
  private readonly uncork = (): void => {
    this.corked = false
    if (!this.socket.destroyed) this.socket.uncork()
  }

  /**
   * @param serializeType the header type of frames written without one of their own
   * @param uncopiedBodyBytes bodies this big or bigger are written as they are after the frame's head instead of
   *   copied into it (a broker's pull replies); only for callers whose bodies never change once written
   */
  constructor(
    private readonly socket: Socket,
    private readonly serializeType: 0 | 1 = 0,
    private readonly uncopiedBodyBytes = Infinity,
  ) {}

  /**
   * Encodes before touching the socket, so an unencodable command throws to the caller and
   * nothing half-written reaches the peer.
   * @param onWritten called with an error if the socket rejects the write.
   */
  write(cmd: RemotingCommand, onWritten?: (err?: Error | null) => void): void {
    this.writeAs(cmd, this.serializeType, onWritten)
  }

  /** write(), with this frame's header in `serializeType` (a reply in its request's type). */
  writeAs(cmd: RemotingCommand, serializeType: 0 | 1, onWritten?: (err?: Error | null) => void): void {
    const uncopied = cmd.body !== undefined && cmd.body.length >= this.uncopiedBodyBytes
    const frame = uncopied ? encodeFrameHead(cmd, serializeType) : encodeFrame(cmd, serializeType)
    if (!this.corked) {
      this.corked = true
      this.socket.cork()
      process.nextTick(this.uncork)
    }
    if (!uncopied) {
      this.socket.write(frame, onWritten)
      return
    }
    this.socket.write(frame)
    this.socket.write(cmd.body!, onWritten)
  }
}
