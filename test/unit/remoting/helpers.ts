import net from 'node:net'
import {encodeFrame, FrameDecoder} from '../../../src/protocol/frame.js'
import type {RemotingCommand} from '../../../src/protocol/remoting-command.js'

/** A bare TCP peer speaking frames, for checks the RemotingClient would hide (e.g. "no reply"). */
export class RawPeer {
  readonly received: RemotingCommand[] = []
  /** The header type each received frame came in, index for index with `received`. */
  readonly receivedTypes: Array<0 | 1> = []
  closed = false
  private readonly decoder = new FrameDecoder()
  private waiters: Array<() => void> = []

  constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.decoder.pushEach(chunk, (cmd, serializeType) => {
        this.received.push(cmd)
        this.receivedTypes.push(serializeType)
      })
      this.wake()
    })
    socket.on('error', () => {})
    socket.on('close', () => {
      this.closed = true
      this.wake()
    })
  }

  static connect(port: number): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({host: '127.0.0.1', port}, () => resolve(new RawPeer(socket)))
      socket.once('error', reject)
    })
  }

  send(cmd: RemotingCommand, serializeType: 0 | 1 = 0): void {
    this.socket.write(encodeFrame(cmd, serializeType))
  }

  /** Resolves when `predicate` holds; rejects after timeoutMs so a broken peer fails the test. */
  async until(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('condition not met in time')
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50)
        this.waiters.push(() => {
          clearTimeout(t)
          resolve()
        })
      })
    }
  }

  destroy(): void {
    this.socket.destroy()
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w()
  }
}

