/**
 * The proxy's control channel: newline-delimited JSON over a loopback TCP port, one request per line,
 * one answer per line, in order. Small on purpose: the orchestrator adds routes before the cluster
 * starts, points them at brokers once their ports exist, and switches faults during the load.
 *   {"op":"addRoute","name":"ha-broker-a","listenPort":0,"target":"127.0.0.1:10912"} → {"ok":true,"port":41234}
 *     (optional "listenHost", default 127.0.0.1)
 *   {"op":"setTarget","name":"...","target":"host:port"}                             → {"ok":true}
 *   {"op":"setFaults","name":"..."|"*","faults":{...NetFaults}}                        → {"ok":true}
 *   {"op":"info"}                                                                      → {"ok":true,"routes":[...]}
 *   any failure                                                                        → {"ok":false,"error":"..."}
 */
import net, {type Socket} from 'node:net'
import type {FaultProxy, RouteInfo} from './fault-proxy.js'
import {parseNetFaults, type NetFaults} from './net-faults.js'

type Answer = {ok: true; port?: number; routes?: RouteInfo[]} | {ok: false; error: string}

async function handle(proxy: FaultProxy, line: string): Promise<Answer> {
  let req: Record<string, unknown>
  try {
    req = JSON.parse(line) as Record<string, unknown>
  } catch {
    return {ok: false, error: 'expected one JSON object per line'}
  }
  const name = String(req['name'] ?? '')
  try {
    switch (req['op']) {
      case 'addRoute':
        return {ok: true, port: await proxy.addRoute(name, {
          listenPort: Number(req['listenPort'] ?? 0), listenHost: req['listenHost'] as string | undefined, target: req['target'] as string | undefined,
        })}
      case 'setTarget':
        proxy.setTarget(name, String(req['target']))
        return {ok: true}
      case 'setFaults': {
        const faults = parseNetFaults(req['faults'])
        if (typeof faults === 'string') return {ok: false, error: faults}
        proxy.setFaults(name, faults)
        return {ok: true}
      }
      case 'info':
        return {ok: true, routes: proxy.info()}
      default:
        return {ok: false, error: `op: expected addRoute, setTarget, setFaults or info, got ${JSON.stringify(req['op'])}`}
    }
  } catch (err) {
    return {ok: false, error: (err as Error).message}
  }
}

/** Serves the control channel; resolves with the bound port. */
export async function serveProxyControl(proxy: FaultProxy, port = 0): Promise<{port: number; server: net.Server}> {
  const server = net.createServer((sock) => {
    let buf = ''
    let chain = Promise.resolve()
    sock.setEncoding('utf8')
    sock.on('error', () => sock.destroy())
    sock.on('data', (text: string) => {
      buf += text
      let nl: number
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl)
        buf = buf.slice(nl + 1)
        chain = chain.then(async () => {
          if (!sock.destroyed) sock.write(`${JSON.stringify(await handle(proxy, line))}\n`)
        })
      }
      if (buf.length > 1024 * 1024) sock.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  return {port: (server.address() as net.AddressInfo).port, server}
}

/** The orchestrator's side: one connection, requests answered in order. */
export class ProxyControlClient {
  private sock?: Socket
  private buf = ''
  private readonly waiting: Array<{resolve: (a: Answer) => void; reject: (e: Error) => void}> = []

  constructor(private readonly addr: string) {}

  private async connect(): Promise<Socket> {
    if (this.sock && !this.sock.destroyed) return this.sock
    const [host, port] = [this.addr.slice(0, this.addr.lastIndexOf(':')), Number(this.addr.slice(this.addr.lastIndexOf(':') + 1))]
    const sock = net.connect(port, host)
    sock.setEncoding('utf8')
    await new Promise<void>((resolve, reject) => {
      sock.once('connect', resolve)
      sock.once('error', reject)
    })
    sock.on('data', (t: string) => this.onData(t))
    const fail = (): void => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`proxy control ${this.addr} closed`))
    }
    sock.on('error', fail)
    sock.on('close', fail)
    this.sock = sock
    return sock
  }

  private onData(text: string): void {
    this.buf += text
    let nl: number
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl)
      this.buf = this.buf.slice(nl + 1)
      this.waiting.shift()?.resolve(JSON.parse(line) as Answer)
    }
  }

  private async call(req: Record<string, unknown>): Promise<Answer & {ok: true}> {
    const sock = await this.connect()
    const answer = await new Promise<Answer>((resolve, reject) => {
      this.waiting.push({resolve, reject})
      sock.write(`${JSON.stringify(req)}\n`)
    })
    if (!answer.ok) throw new Error(`proxy ${String(req['op'])}: ${answer.error}`)
    return answer
  }

  async addRoute(name: string, opts: {listenPort?: number; listenHost?: string; target?: string} = {}): Promise<number> {
    return (await this.call({op: 'addRoute', name, ...opts})).port!
  }

  async setTarget(name: string, target: string): Promise<void> {
    await this.call({op: 'setTarget', name, target})
  }

  async setFaults(name: string, faults: NetFaults): Promise<void> {
    await this.call({op: 'setFaults', name, faults})
  }

  async info(): Promise<RouteInfo[]> {
    return (await this.call({op: 'info'})).routes!
  }

  close(): void {
    this.sock?.destroy()
  }
}
