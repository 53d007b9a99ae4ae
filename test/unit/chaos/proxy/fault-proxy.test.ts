import net, {type Socket} from 'node:net'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {FaultProxy} from '../../../../src/chaos/proxy/fault-proxy.js'
import {ProxyControlClient, serveProxyControl} from '../../../../src/chaos/proxy/proxy-control.js'

let echo: net.Server
let echoAddr: string
const echoSockets = new Set<Socket>()
beforeAll(async () => {
  echo = net.createServer((s) => {
    echoSockets.add(s)
    s.on('close', () => echoSockets.delete(s))
    s.on('error', () => undefined)
    s.on('data', (d) => s.write(d))
    s.on('end', () => s.end())
  })
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()))
  echoAddr = `127.0.0.1:${(echo.address() as net.AddressInfo).port}`
})
afterAll(async () => {
  for (const s of echoSockets) s.destroy()
  await new Promise((r) => echo.close(r))
})

let proxy: FaultProxy
const clients: Socket[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  await proxy?.close()
})

async function dial(port: number): Promise<Socket> {
  const s = net.connect(port, '127.0.0.1')
  s.on('error', () => undefined)
  clients.push(s)
  await new Promise((r) => s.once('connect', r))
  return s
}

/** Writes `text` and resolves with the ms until it came back whole, or undefined after waitMs. */
function roundTrip(s: Socket, text: string, waitMs = 2000): Promise<number | undefined> {
  return new Promise((resolve) => {
    const t0 = performance.now()
    let got = ''
    const onData = (d: Buffer): void => {
      got += d.toString()
      if (got.length >= text.length) done(performance.now() - t0)
    }
    const timer = setTimeout(() => done(undefined), waitMs)
    function done(v: number | undefined): void {
      clearTimeout(timer)
      s.off('data', onData)
      resolve(v)
    }
    s.on('data', onData)
    s.write(text)
  })
}

const closed = (s: Socket): Promise<string> => new Promise((r) => {
  if (s.destroyed) r('closed')
  s.once('error', (e: NodeJS.ErrnoException) => r(e.code ?? 'error'))
  s.once('close', () => r('closed'))
})

describe('FaultProxy', () => {
  it('forwards both ways; a route whose target comes later holds its early connections until then', async () => {
    proxy = new FaultProxy()
    const port = await proxy.addRoute('r')
    const c = await dial(port)
    expect(await roundTrip(c, 'early', 150)).toBeUndefined()
    proxy.setTarget('r', echoAddr)
    const c2 = await dial(port)
    expect(await roundTrip(c2, 'hello')).toBeDefined()
    expect(proxy.info()[0]).toMatchObject({name: 'r', target: echoAddr, accepted: 2})
  })

  it('latency delays every request (lower bound only) and keeps order', async () => {
    proxy = new FaultProxy({seed: 3})
    const port = await proxy.addRoute('r', {target: echoAddr})
    proxy.setFaults('r', {latencyMs: 60, jitterMs: 10})
    const c = await dial(port)
    const rtts: number[] = []
    for (let i = 0; i < 5; i++) rtts.push((await roundTrip(c, `m${i}`))!)
    expect(Math.min(...rtts)).toBeGreaterThanOrEqual(49)
    let got = ''
    c.on('data', (d) => (got += d.toString()))
    for (let i = 0; i < 20; i++) c.write(`<${i}>`)
    await new Promise((r) => setTimeout(r, 400))
    expect(got).toBe(Array.from({length: 20}, (_, i) => `<${i}>`).join(''))
  })

  it('bandwidth paces the bytes (lower bound only)', async () => {
    proxy = new FaultProxy()
    const port = await proxy.addRoute('r', {target: echoAddr})
    proxy.setFaults('r', {bytesPerSec: 100_000, direction: 'up'})
    const c = await dial(port)
    expect(await roundTrip(c, 'x'.repeat(20_000))).toBeGreaterThanOrEqual(150)
  })

  it('drop resets live connections and every new one until healed', async () => {
    proxy = new FaultProxy()
    const port = await proxy.addRoute('r', {target: echoAddr})
    const c = await dial(port)
    await roundTrip(c, 'a')
    const gone = closed(c)
    proxy.setFaults('r', {drop: true})
    expect(await gone).toBe('ECONNRESET')
    const c2 = net.connect(port, '127.0.0.1')
    clients.push(c2)
    expect(await closed(c2)).toBe('ECONNRESET')
    proxy.setFaults('r', {})
    expect(await roundTrip(await dial(port), 'b')).toBeDefined()
    expect(proxy.info()[0]!.resets).toBeGreaterThanOrEqual(2)
  })

  it('blackhole accepts and forwards nothing; its connections are reset at heal', async () => {
    proxy = new FaultProxy()
    const port = await proxy.addRoute('r', {target: echoAddr})
    proxy.setFaults('r', {blackhole: true})
    const c = await dial(port)
    expect(await roundTrip(c, 'lost', 200)).toBeUndefined()
    const gone = closed(c)
    proxy.setFaults('r', {})
    expect(await gone).toBe('ECONNRESET')
    expect(await roundTrip(await dial(port), 'ok')).toBeDefined()
  })

  it('partition holds bytes on live and new connections; at heal they flow on the same connections', async () => {
    proxy = new FaultProxy()
    const port = await proxy.addRoute('r', {target: echoAddr})
    const c = await dial(port)
    await roundTrip(c, 'before')
    proxy.setFaults('r', {partition: true})
    const held = roundTrip(c, 'during', 2000)
    const c2 = await dial(port)
    const held2 = roundTrip(c2, 'new', 2000)
    await new Promise((r) => setTimeout(r, 200))
    proxy.setFaults('r', {})
    expect(await held).toBeGreaterThanOrEqual(180)
    expect(await held2).toBeGreaterThanOrEqual(180)
  })

  it('slow-close delays the FIN to the other side', async () => {
    proxy = new FaultProxy()
    const port = await proxy.addRoute('r', {target: echoAddr})
    proxy.setFaults('r', {slowCloseMs: 150})
    const c = await dial(port)
    await roundTrip(c, 'x')
    const t0 = performance.now()
    const ended = new Promise((r) => c.once('end', r))
    c.end()
    await ended
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140)
  })
})

describe('proxy control channel', () => {
  it('adds routes, sets targets and faults, reports info, and names a bad field', async () => {
    proxy = new FaultProxy()
    const control = await serveProxyControl(proxy)
    const client = new ProxyControlClient(`127.0.0.1:${control.port}`)
    try {
      const port = await client.addRoute('r')
      await client.setTarget('r', echoAddr)
      await client.setFaults('r', {latencyMs: 5})
      expect(await roundTrip(await dial(port), 'hi')).toBeDefined()
      expect((await client.info())[0]).toMatchObject({name: 'r', listenPort: port, faults: {latencyMs: 5}})
      await expect(client.setFaults('r', {latencyMs: -1})).rejects.toThrow('proxy setFaults: faults.latencyMs: expected a non-negative number')
      await expect(client.setFaults('nope', {})).rejects.toThrow(/no route named nope/)
    } finally {
      client.close()
      control.server.close()
    }
  })
})
