import net from 'node:net'
import {afterEach, describe, expect, it} from 'vitest'
import {newRequest, type RemotingCommand} from '../../../src/protocol/remoting-command.js'
import {FrameWriter} from '../../../src/remoting/frame-writer.js'
import {RawPeer} from './helpers.js'

const closers: Array<() => void> = []
afterEach(() => {
  for (const close of closers.splice(0)) close()
})

/** A connected pair: the writer's socket and a RawPeer reading what it sends. */
async function pair(): Promise<{socket: net.Socket; peer: RawPeer}> {
  const server = net.createServer()
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const peer = await RawPeer.connect((server.address() as net.AddressInfo).port)
  const socket = await accepted
  closers.push(() => {
    socket.destroy()
    peer.socket.destroy()
    server.close()
  })
  return {socket, peer}
}

function cmd(opaque: number, bodyBytes: number): RemotingCommand {
  const c = newRequest(11, {topic: 'T'}, bodyBytes > 0 ? Buffer.alloc(bodyBytes, opaque) : undefined)
  c.opaque = opaque
  return c
}

describe('FrameWriter', () => {
  it('writes a big body after its frame head, uncopied, and the peer reads the same frames in order', async () => {
    const {socket, peer} = await pair()
    const writer = new FrameWriter(socket, 1, 100)
    const sent = [cmd(1, 99), cmd(2, 300 * 1024), cmd(3, 0), cmd(4, 100)]
    let written = 0
    for (const c of sent) writer.write(c, (err) => {
      expect(err ?? undefined).toBeUndefined()
      written++
    })
    await peer.until(() => peer.received.length === sent.length && written === sent.length)
    expect(peer.received).toStrictEqual(sent)
    expect(peer.receivedTypes).toEqual([1, 1, 1, 1])
    expect(written).toBe(sent.length)
  })
})
