import {afterEach, describe, expect, it} from 'vitest'
import {RemotingError} from '../../../src/errors.js'
import {newRequest, newResponse, RemotingFlag, type RemotingCommand} from '../../../src/protocol/remoting-command.js'
import {ResponseCode} from '../../../src/protocol/response-code.js'
import {RemotingClient} from '../../../src/remoting/remoting-client.js'
import {RemotingServer, type ConnectionContext, type RemotingServerOptions} from '../../../src/remoting/remoting-server.js'
import {RawPeer} from './helpers.js'

const ECHO = 9001
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function startServer(
  setup: (s: RemotingServer) => void = () => {},
  logs: string[] = [],
  opts: Partial<RemotingServerOptions> = {},
): Promise<number> {
  const server = new RemotingServer({port: 0, log: (l) => logs.push(l), ...opts})
  server.registerHandler(ECHO, (req) => newResponse(req, ResponseCode.SUCCESS, {extFields: req.extFields, body: req.body}))
  setup(server)
  const port = await server.start()
  cleanups.push(() => server.stop())
  return port
}

function client(): RemotingClient {
  const c = new RemotingClient()
  cleanups.push(() => c.close())
  return c
}

describe('RemotingServer', () => {
  it('answers an unknown request code with REQUEST_CODE_NOT_SUPPORTED and the Java remark', async () => {
    const port = await startServer()
    const res = await client().invoke(`127.0.0.1:${port}`, newRequest(4242), 2000)
    expect(res.code).toBe(ResponseCode.REQUEST_CODE_NOT_SUPPORTED)
    expect(res.remark).toBe(' request type 4242 not supported')
    expect(res.flag & RemotingFlag.RESPONSE).toBe(RemotingFlag.RESPONSE)
  })

  it('logs an unsupported request code once per code, at warn level', async () => {
    const logs: string[] = []
    const port = await startServer(() => {}, logs)
    const c = client()
    for (const code of [4242, 4242, 4243, 4242]) {
      expect((await c.invoke(`127.0.0.1:${port}`, newRequest(code), 2000)).code).toBe(ResponseCode.REQUEST_CODE_NOT_SUPPORTED)
    }
    const warned = logs.filter((l) => l.includes('not supported'))
    expect(warned).toHaveLength(2)
    expect(warned[0]).toMatch(/^WARN .*request code 4242 \(UNKNOWN\(4242\)\) from 127\.0\.0\.1:\d+ not supported/)
    expect(warned[1]).toContain('request code 4243')
  })

  it('maps a throwing handler to SYSTEM_ERROR, or to the responseCode the error carries', async () => {
    const port = await startServer((s) => {
      s.registerHandler(1, () => {
        throw new Error('disk on fire')
      })
      s.registerHandler(2, async () => {
        throw new RemotingError(ResponseCode.NO_PERMISSION, 'topic not writable')
      })
    })
    const c = client()
    const a = await c.invoke(`127.0.0.1:${port}`, newRequest(1), 2000)
    expect(a.code).toBe(ResponseCode.SYSTEM_ERROR)
    expect(a.remark).toBe('disk on fire')
    const b = await c.invoke(`127.0.0.1:${port}`, newRequest(2), 2000)
    expect(b.code).toBe(ResponseCode.NO_PERMISSION)
    expect(b.remark).toBe('topic not writable')
  })

  it('never answers a oneway request, not even an unknown or failing one', async () => {
    let onewaySeen = 0
    const port = await startServer((s) => {
      s.registerHandler(7, (req) => {
        onewaySeen++
        return newResponse(req, ResponseCode.SUCCESS)
      })
      s.registerHandler(8, () => {
        throw new Error('boom')
      })
    })
    const peer = await RawPeer.connect(port)
    cleanups.push(() => peer.destroy())
    for (const code of [7, 8, 4242]) peer.send({...newRequest(code), opaque: 100 + code, flag: RemotingFlag.ONEWAY})
    // A normal request after them: once its reply is in, any reply to the oneways would be too.
    peer.send({...newRequest(ECHO), opaque: 555})
    await peer.until(() => peer.received.length >= 1)
    await new Promise((r) => setTimeout(r, 100))
    expect(peer.received.map((c) => c.opaque)).toEqual([555])
    expect(onewaySeen).toBe(1)
  })

  it('closes only the connection that sent a malformed frame and keeps serving others', async () => {
    const logs: string[] = []
    const port = await startServer(undefined, logs)
    const good = client()
    const addr = `127.0.0.1:${port}`
    expect((await good.invoke(addr, newRequest(ECHO), 2000)).code).toBe(0)
    const bad = await RawPeer.connect(port)
    cleanups.push(() => bad.destroy())
    // totalLength 2 is below the 4-byte minimum: the stream cannot be resynchronised.
    bad.socket.write(Buffer.from([0, 0, 0, 2, 0, 0]))
    await bad.until(() => bad.closed)
    const oversize = await RawPeer.connect(port)
    cleanups.push(() => oversize.destroy())
    oversize.socket.write(Buffer.from([0x7f, 0xff, 0xff, 0xff]))
    await oversize.until(() => oversize.closed)
    expect(logs.filter((l) => l.includes('bad frame'))).toHaveLength(2)
    const res = await good.invoke(addr, newRequest(ECHO, {k: 'v'}), 2000)
    expect(res.extFields).toEqual({k: 'v'})
  })

  it('gives handlers a connection context: remoteAddr, server-initiated send and onClose', async () => {
    let ctx: ConnectionContext | undefined
    let closedCalls = 0
    const port = await startServer((s) =>
      s.registerHandler(50, (req, conn) => {
        ctx = conn
        conn.onClose(() => closedCalls++)
        return newResponse(req, ResponseCode.SUCCESS)
      }),
    )
    const peer = await RawPeer.connect(port)
    peer.send({...newRequest(50), opaque: 1})
    await peer.until(() => peer.received.length === 1)
    expect(ctx!.remoteAddr).toBe(`127.0.0.1:${peer.socket.localPort}`)
    ctx!.send({...newRequest(40, {consumerGroup: 'g'}), flag: RemotingFlag.ONEWAY})
    await peer.until(() => peer.received.length === 2)
    const notify = peer.received[1]!
    expect(notify.code).toBe(40)
    expect(notify.flag).toBe(RemotingFlag.ONEWAY)
    expect(notify.extFields).toEqual({consumerGroup: 'g'})
    peer.destroy()
    await peer.until(() => closedCalls === 1)
    expect(closedCalls).toBe(1)
  })

  it('answers async handlers in completion order with the right opaque', async () => {
    const port = await startServer((s) =>
      s.registerHandler(60, async (req): Promise<RemotingCommand> => {
        await new Promise((r) => setTimeout(r, Number(req.extFields!.delayMs)))
        return newResponse(req, ResponseCode.SUCCESS, {extFields: {delayMs: req.extFields!.delayMs!}})
      }),
    )
    const peer = await RawPeer.connect(port)
    cleanups.push(() => peer.destroy())
    peer.send({...newRequest(60, {delayMs: '80'}), opaque: 1})
    peer.send({...newRequest(60, {delayMs: '0'}), opaque: 2})
    await peer.until(() => peer.received.length === 2)
    expect(peer.received.map((c) => [c.opaque, c.extFields!.delayMs])).toEqual([
      [2, '0'],
      [1, '80'],
    ])
  })

  it('answers each request in its own header type by default (4.9.x), and in its own type when configured (5.x)', async () => {
    for (const [opts, expected] of [
      [{}, [0, 1, 0, 1]],
      [{serializeType: 1, replyInRequestType: false}, [1, 1, 1, 1]],
      [{serializeType: 0, replyInRequestType: false}, [0, 0, 0, 0]],
    ] as const) {
      const port = await startServer(undefined, [], opts)
      const peer = await RawPeer.connect(port)
      cleanups.push(() => peer.destroy())
      // Types alternate on one connection: the choice is per frame, not per connection.
      ;[0, 1, 0, 1].forEach((type, i) => peer.send({...newRequest(ECHO, {i: String(i)}), opaque: i + 1}, type as 0 | 1))
      // An unknown code is answered by the server itself, in the same type.
      peer.send({...newRequest(4242), opaque: 9}, 1)
      await peer.until(() => peer.received.length === 5)
      expect(peer.receivedTypes.slice(0, 4)).toEqual(expected)
      expect(peer.received.slice(0, 4).map((c) => c.extFields?.i)).toEqual(['0', '1', '2', '3'])
      expect(peer.received[4]!.code).toBe(ResponseCode.REQUEST_CODE_NOT_SUPPORTED)
      expect(peer.receivedTypes[4]).toBe(opts.replyInRequestType === false ? opts.serializeType : 1)
    }
  })

  it('sends its own requests in its configured type', async () => {
    let ctx: ConnectionContext | undefined
    const port = await startServer(
      (s) => s.registerHandler(50, (req, conn) => {
        ctx = conn
        return newResponse(req, ResponseCode.SUCCESS)
      }),
      [],
      {serializeType: 1},
    )
    const peer = await RawPeer.connect(port)
    cleanups.push(() => peer.destroy())
    peer.send({...newRequest(50), opaque: 1}, 0)
    await peer.until(() => peer.received.length === 1)
    ctx!.send({...newRequest(40), flag: RemotingFlag.ONEWAY})
    await peer.until(() => peer.received.length === 2)
    expect(peer.receivedTypes).toEqual([0, 1])
  })

  it('stop() closes live connections and frees the port for a restart', async () => {
    const server = new RemotingServer({port: 0})
    const port = await server.start()
    const peer = await RawPeer.connect(port)
    await server.stop()
    await peer.until(() => peer.closed)
    const again = new RemotingServer({port})
    expect(await again.start()).toBe(port)
    await again.stop()
  })
})
