import net from 'node:net'
import {afterEach, describe, expect, it} from 'vitest'
import {ConnectionError, MqbenchError, TimeoutError} from '../../../src/errors.js'
import {encodeFrame, FrameDecoder} from '../../../src/protocol/frame.js'
import {newRequest, newResponse, RemotingFlag, type RemotingCommand} from '../../../src/protocol/remoting-command.js'
import {ResponseCode} from '../../../src/protocol/response-code.js'
import {RemotingClient} from '../../../src/remoting/remoting-client.js'
import {RemotingServer} from '../../../src/remoting/remoting-server.js'
import {seededRandom} from '../../../src/seeded-random.js'

const ECHO = 9001
const DELAYED = 9002
const SILENT = 9003
const cleanups: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function startServer(port = 0): Promise<{server: RemotingServer; addr: string}> {
  const server = new RemotingServer({port})
  server.registerHandler(ECHO, (req) => newResponse(req, ResponseCode.SUCCESS, {extFields: req.extFields, body: req.body}))
  server.registerHandler(DELAYED, async (req) => {
    await new Promise((r) => setTimeout(r, Number(req.extFields!.delayMs)))
    return newResponse(req, ResponseCode.SUCCESS, {extFields: req.extFields})
  })
  // Holds every request forever: the client's deadline or a close must end it.
  server.registerHandler(SILENT, () => new Promise<undefined>(() => {}))
  const bound = await server.start()
  cleanups.push(() => server.stop())
  return {server, addr: `127.0.0.1:${bound}`}
}

function newClient(opts: ConstructorParameters<typeof RemotingClient>[0] = {}): RemotingClient {
  const c = new RemotingClient(opts)
  cleanups.push(() => c.close())
  return c
}

describe('RemotingClient', () => {
  it('multiplexes 1000 concurrent invokes answered out of order on one connection', async () => {
    const seed = Number(process.env.SEED ?? Date.now() % 1_000_000)
    console.log(`remoting-client multiplex seed=${seed}`)
    const random = seededRandom(seed)
    const {addr} = await startServer()
    const client = newClient()
    const calls = Array.from({length: 1000}, (_, i) => {
      const delayMs = String(Math.floor(random() * 30))
      return client.invoke(addr, newRequest(DELAYED, {i: String(i), delayMs}), 10_000)
    })
    const responses = await Promise.all(calls)
    responses.forEach((res, i) => expect(res.extFields!.i).toBe(String(i)))
    expect(new Set(responses.map((r) => r.opaque)).size).toBe(1000)
    expect(client.pendingRequests).toBe(0)
  })

  it('carries bodies both ways, with the ROCKETMQ header type too', async () => {
    const {addr} = await startServer()
    for (const serializeType of [0, 1] as const) {
      const client = newClient({serializeType})
      const body = Buffer.from(`payload-${serializeType}`)
      const res = await client.invoke(addr, newRequest(ECHO, {topic: 'T'}, body), 2000)
      expect(res.body).toEqual(body)
      expect(res.extFields).toEqual({topic: 'T'})
    }
  })

  it('rejects with TimeoutError at the deadline and drops the late response', async () => {
    const {addr} = await startServer()
    const logs: string[] = []
    const client = newClient({log: (l) => logs.push(l)})
    const err = await client.invoke(addr, newRequest(DELAYED, {delayMs: '200'}), 50).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TimeoutError)
    expect((err as TimeoutError & {requestCode: number}).requestCode).toBe(DELAYED)
    expect(client.pendingRequests).toBe(0)
    await new Promise((r) => setTimeout(r, 250))
    expect(logs.some((l) => l.includes('unknown opaque'))).toBe(true)
    // The connection survives a timeout.
    expect((await client.invoke(addr, newRequest(ECHO), 2000)).code).toBe(0)
  })

  it('sends oneway with the ONEWAY flag and registers nothing pending', async () => {
    const {server, addr} = await startServer()
    const seen: RemotingCommand[] = []
    server.registerHandler(77, (req) => {
      seen.push(req)
      return newResponse(req, ResponseCode.SUCCESS)
    })
    const logs: string[] = []
    const client = newClient({log: (l) => logs.push(l)})
    await client.invokeOneway(addr, newRequest(77, {a: '1'}))
    expect(client.pendingRequests).toBe(0)
    await client.invoke(addr, newRequest(ECHO), 2000)
    expect(seen).toHaveLength(1)
    expect(seen[0]!.flag & RemotingFlag.ONEWAY).toBe(RemotingFlag.ONEWAY)
    expect(logs).toEqual([])
  })

  it('bounds the pending table with a typed error', async () => {
    const {addr} = await startServer()
    const client = newClient({maxPendingRequests: 2})
    const held = [client.invoke(addr, newRequest(SILENT), 5000), client.invoke(addr, newRequest(SILENT), 5000)]
    held.forEach((p) => p.catch(() => {}))
    const err = await client.invoke(addr, newRequest(ECHO), 1000).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MqbenchError)
    expect((err as MqbenchError).code).toBe('TOO_MANY_REQUESTS')
    client.close(addr)
    for (const p of held) await expect(p).rejects.toBeInstanceOf(ConnectionError)
    expect(client.pendingRequests).toBe(0)
  })

  it('fails every pending request at once when the connection drops, then reconnects after a restart', async () => {
    const {server, addr} = await startServer()
    const port = Number(addr.split(':')[1])
    const client = newClient()
    expect((await client.invoke(addr, newRequest(ECHO), 2000)).code).toBe(0)
    const held = Array.from({length: 5}, () => client.invoke(addr, newRequest(SILENT), 30_000))
    await new Promise((r) => setTimeout(r, 50))
    const started = Date.now()
    await server.stop()
    const results = await Promise.allSettled(held)
    for (const r of results) {
      expect(r.status).toBe('rejected')
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConnectionError)
    }
    // Far below the 30 s deadline: the close, not the timer, ended them.
    expect(Date.now() - started).toBeLessThan(10_000)
    await expect(client.invoke(addr, newRequest(ECHO), 2000)).rejects.toBeInstanceOf(ConnectionError)
    await startServer(port)
    expect((await client.invoke(addr, newRequest(ECHO, {again: 'yes'}), 2000)).extFields).toEqual({again: 'yes'})
  })

  it('rejects with ConnectionError when nothing listens', async () => {
    const probe = net.createServer()
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()))
    const port = (probe.address() as net.AddressInfo).port
    await new Promise<void>((r) => probe.close(() => r()))
    const err = await newClient().invoke(`127.0.0.1:${port}`, newRequest(ECHO), 2000).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConnectionError)
    await expect(newClient().invoke('no-port', newRequest(ECHO), 100)).rejects.toBeInstanceOf(ConnectionError)
  })

  it('hands broker-initiated requests to onRequest and answers REQUEST_CODE_NOT_SUPPORTED otherwise', async () => {
    // A fake broker that pushes requests to the client over the connection the client opened.
    const fromClient: RemotingCommand[] = []
    const typesFromClient: Array<0 | 1> = []
    let brokerSocket: net.Socket | undefined
    const fake = net.createServer((socket) => {
      brokerSocket = socket
      const decoder = new FrameDecoder()
      socket.on('data', (chunk: Buffer) => {
        decoder.pushEach(chunk, (cmd, type) => {
          fromClient.push(cmd)
          typesFromClient.push(type)
          if ((cmd.flag & RemotingFlag.RESPONSE) === 0) socket.write(encodeFrame(newResponse(cmd, 0)))
        })
      })
      socket.on('error', () => {})
    })
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', () => r()))
    cleanups.push(() => new Promise<void>((r) => fake.close(() => r())))
    const addr = `127.0.0.1:${(fake.address() as net.AddressInfo).port}`
    const client = newClient()
    const handled: Array<[number, string]> = []
    client.onRequest((req, from) => {
      handled.push([req.code, from])
      return req.code === 307 ? newResponse(req, ResponseCode.SUCCESS, {remark: 'running'}) : undefined
    })
    await client.invoke(addr, newRequest(ECHO), 2000)
    // Replies go back in each request's header type, whatever the client's own type (JSON here).
    const push = (cmd: RemotingCommand) => brokerSocket!.write(encodeFrame(cmd, cmd.opaque === 901 ? 1 : 0))
    push({...newRequest(307), opaque: 900})
    push({...newRequest(221), opaque: 901})
    push({...newRequest(40, {consumerGroup: 'g'}), opaque: 902, flag: RemotingFlag.ONEWAY})
    push({...newRequest(1000), opaque: 903})
    const deadline = Date.now() + 5000
    while (fromClient.filter((c) => c.flag & RemotingFlag.RESPONSE).length < 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20))
    }
    await new Promise((r) => setTimeout(r, 50))
    const replies = fromClient.filter((c) => c.flag & RemotingFlag.RESPONSE)
    expect(replies.map((c) => [c.opaque, c.code])).toEqual([
      [900, ResponseCode.SUCCESS],
      [901, ResponseCode.REQUEST_CODE_NOT_SUPPORTED],
      [903, ResponseCode.REQUEST_CODE_NOT_SUPPORTED],
    ])
    expect(replies[1]!.remark).toBe(' request type 221 not supported')
    expect(typesFromClient.filter((_, i) => fromClient[i]!.flag & RemotingFlag.RESPONSE)).toEqual([0, 1, 0])
    expect(handled.map(([code]) => code)).toEqual([307, 221, 40, 1000])
    expect(handled[0]![1]).toBe(addr)
  })
})
