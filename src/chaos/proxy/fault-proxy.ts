/**
 * A loopback TCP proxy with switchable faults (issue 7), placed between clients and brokers and on the
 * master↔slave HA link. Each route listens on its own port and forwards to one target; the target may
 * be set after the route exists, because the orchestrator must hand the proxy's port to a broker's
 * config before the broker (and so the target port) exists. Connections accepted before the target is
 * known wait, paused, exactly like connections behind a partition.
 */
import net, {type Socket} from 'node:net'
import {seededRandom} from '../../seeded-random.js'
import type {NetFaults} from './net-faults.js'
import {ProxyPipe} from './proxy-pipe.js'

export interface RouteInfo {
  name: string
  listenPort: number
  target?: string
  faults: NetFaults
  open: number
  accepted: number
  resets: number
  bytesUp: number
  bytesDown: number
}

interface Pair {
  client: Socket
  server?: Socket
  up?: ProxyPipe
  down?: ProxyPipe
  /** Accepted under blackhole: never connected upstream, reset at heal. */
  blackholed: boolean
  closed: boolean
}

class Route {
  faults: NetFaults = {}
  target?: {host: string; port: number}
  readonly pairs = new Set<Pair>()
  accepted = 0
  resets = 0
  bytesUp = 0
  bytesDown = 0
  listenPort = 0

  constructor(readonly name: string, readonly server: net.Server, private readonly random: () => number) {
    server.on('connection', (s) => this.accept(s))
  }

  info(): RouteInfo {
    let up = this.bytesUp
    let down = this.bytesDown
    for (const p of this.pairs) {
      up += p.up?.bytes ?? 0
      down += p.down?.bytes ?? 0
    }
    const target = this.target ? `${this.target.host}:${this.target.port}` : undefined
    return {name: this.name, listenPort: this.listenPort, ...(target && {target}), faults: this.faults, open: this.pairs.size, accepted: this.accepted, resets: this.resets, bytesUp: up, bytesDown: down}
  }

  private accept(client: Socket): void {
    this.accepted++
    client.setNoDelay(true)
    if (this.faults.drop) {
      this.reset(client)
      return
    }
    const pair: Pair = {client, blackholed: false, closed: false}
    this.pairs.add(pair)
    client.on('error', () => this.close(pair))
    client.on('close', () => this.close(pair))
    client.once('end', () => {
      if (!pair.server) client.end()
    })
    if (this.faults.blackhole) {
      pair.blackholed = true
      client.on('data', () => undefined)
      return
    }
    client.pause()
    this.dial(pair)
  }

  /** Connects upstream unless the route cannot yet (no target, partition); retried when that changes. */
  dial(pair: Pair): void {
    if (pair.server || pair.closed || pair.blackholed || !this.target || this.faults.partition) return
    const server = net.connect({port: this.target.port, host: this.target.host, allowHalfOpen: true})
    server.setNoDelay(true)
    pair.server = server
    const {client} = pair
    const faults = (): NetFaults => this.faults
    pair.up = new ProxyPipe(server, 'up', faults, this.random)
    pair.down = new ProxyPipe(client, 'down', faults, this.random)
    client.on('data', (c: Buffer) => pair.up!.push(c))
    server.on('data', (c: Buffer) => pair.down!.push(c))
    client.on('end', () => this.halfClose(pair.up!, server))
    server.on('end', () => this.halfClose(pair.down!, client))
    server.on('error', () => this.close(pair))
    server.on('close', () => this.close(pair))
    client.resume()
  }

  /** A FIN goes on after the queued bytes (TCP order), and slowCloseMs later under slow-close. */
  private halfClose(pipe: ProxyPipe, to: Socket): void {
    const send = (): void => {
      const wait = this.faults.slowCloseMs ?? 0
      if (wait > 0) setTimeout(() => to.end(), wait)
      else to.end()
    }
    if (pipe.pending === 0) send()
    else pipe.onDrained = send
  }

  private close(pair: Pair): void {
    if (pair.closed) return
    pair.closed = true
    this.bytesUp += pair.up?.bytes ?? 0
    this.bytesDown += pair.down?.bytes ?? 0
    this.pairs.delete(pair)
    const finish = (): void => {
      pair.up?.stop()
      pair.down?.stop()
      pair.client.destroy()
      pair.server?.destroy()
    }
    const wait = this.faults.slowCloseMs ?? 0
    if (wait > 0) setTimeout(finish, wait)
    else finish()
  }

  reset(s: Socket | undefined): void {
    if (!s || s.destroyed) return
    this.resets++
    s.resetAndDestroy()
  }

  resetPair(pair: Pair): void {
    pair.closed = true
    this.pairs.delete(pair)
    pair.up?.stop()
    pair.down?.stop()
    this.reset(pair.client)
    this.reset(pair.server)
  }

  /** Applies a new fault set, healing whatever the previous one did that the new one does not. */
  setFaults(next: NetFaults): void {
    const prev = this.faults
    this.faults = next
    if (next.drop) for (const p of [...this.pairs]) this.resetPair(p)
    if (next.partition && !prev.partition) {
      for (const p of this.pairs) {
        p.client.pause()
        p.server?.pause()
      }
    }
    if (prev.blackhole && !next.blackhole) {
      for (const p of [...this.pairs]) if (p.blackholed || p.up?.tainted || p.down?.tainted) this.resetPair(p)
    }
    if (!next.partition) {
      for (const p of this.pairs) {
        if (p.server) {
          p.client.resume()
          p.server.resume()
        } else {
          this.dial(p)
        }
      }
    }
  }

  setTarget(host: string, port: number): void {
    this.target = {host, port}
    for (const p of this.pairs) this.dial(p)
  }
}

export class FaultProxy {
  private readonly routes = new Map<string, Route>()
  private readonly random: () => number

  constructor(opts: {seed?: number} = {}) {
    this.random = seededRandom(opts.seed ?? 1)
  }

  /** Listens on 127.0.0.1:listenPort (0 = any free port); resolves with the bound port. */
  /** listenHost: another loopback address (127.0.0.2) to take a real broker's own port, which it binds on 127.0.0.1 only. */
  async addRoute(name: string, opts: {listenPort?: number; listenHost?: string; target?: string} = {}): Promise<number> {
    if (this.routes.has(name)) throw new Error(`route ${name} exists`)
    // Half-open on both sides: a FIN is forwarded by us (after queued bytes, and late under slow-close).
    const server = net.createServer({allowHalfOpen: true})
    const route = new Route(name, server, this.random)
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(opts.listenPort ?? 0, opts.listenHost ?? '127.0.0.1', () => resolve())
    })
    route.listenPort = (server.address() as net.AddressInfo).port
    this.routes.set(name, route)
    if (opts.target) this.setTarget(name, opts.target)
    return route.listenPort
  }

  setTarget(name: string, target: string): void {
    const m = /^([^:\s]+):(\d{1,5})$/.exec(target)
    if (!m) throw new Error(`target: expected host:port, got ${JSON.stringify(target)}`)
    this.route(name).setTarget(m[1]!, Number(m[2]))
  }

  /** Replaces the route's faults ({} heals it); name '*' means every route. */
  setFaults(name: string, faults: NetFaults): void {
    for (const r of name === '*' ? this.routes.values() : [this.route(name)]) r.setFaults(faults)
  }

  info(): RouteInfo[] {
    return [...this.routes.values()].map((r) => r.info())
  }

  async close(): Promise<void> {
    for (const r of this.routes.values()) {
      for (const p of [...r.pairs]) r.resetPair(p)
      await new Promise<void>((resolve) => r.server.close(() => resolve()))
    }
    this.routes.clear()
  }

  private route(name: string): Route {
    const r = this.routes.get(name)
    if (!r) throw new Error(`no route named ${name} (have: ${[...this.routes.keys()].join(', ') || 'none'})`)
    return r
  }
}
