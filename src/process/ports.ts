/**
 * Loopback port allocation. Ports are drawn at random from below the kernel's ephemeral range and
 * probed, so several runs and test files can share one machine. Ports inside the ephemeral range are
 * avoided on purpose: while a broker is down (kill -9, restart, power loss) any outgoing connection
 * on the machine may be given its port as a local port, and the broker then cannot bind it again
 * (seen: a real RocketMQ broker exiting 255 on restart under a busy test suite). There is an
 * unavoidable window between probing and the broker binding; ports already handed out by this
 * process are remembered so two allocations here never overlap.
 */
import {readFileSync} from 'node:fs'
import {createServer} from 'node:net'

import {RunBrokenError} from '../errors.js'

export interface BrokerPorts {
  /** broker.conf listenPort: the remoting port clients and namesrv use. */
  listenPort: number
  /** listenPort - 2: RocketMQ's fast/VIP remoting server, always started alongside. */
  fastListenPort: number
  /** listenPort + 1: HA port slaves connect to (4.x forces it; 5.x defaults to it). */
  haListenPort: number
}

const handedOut = new Set<number>()
const MAX_BROKER_ATTEMPTS = 50

const LOWEST_PORT = 10_000

/** [lowest, highest] of the ports no outgoing connection is given; undefined where that cannot be known. */
export function nonEphemeralRange(rangeText?: string): [number, number] | undefined {
  let text = rangeText
  if (text === undefined) {
    try {
      text = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
    } catch {
      return undefined
    }
  }
  const low = Number(text.trim().split(/\s+/)[0])
  // Too narrow a range below the ephemeral one would make collisions between parallel runs likely.
  return Number.isInteger(low) && low - 1 - LOWEST_PORT >= 2_000 ? [LOWEST_PORT, low - 1] : undefined
}

const range = nonEphemeralRange()

/**
 * A candidate port: random below the ephemeral range (leaving room for port-below and port+above
 * neighbours inside it), or OS-picked where that range is unknown.
 */
async function candidatePort(below = 0, above = 0): Promise<number> {
  if (range === undefined) return osPickedPort()
  const low = range[0] + below
  const high = range[1] - above
  return low + Math.floor(Math.random() * (high - low + 1))
}

/** A free port on 127.0.0.1. */
export async function allocatePort(): Promise<number> {
  for (let attempt = 0; attempt < MAX_BROKER_ATTEMPTS; attempt++) {
    const port = await candidatePort()
    if (handedOut.has(port) || !(await isPortFree(port))) continue
    handedOut.add(port)
    return port
  }
  throw new RunBrokenError('could not allocate a free loopback port')
}

/**
 * A port triple a RocketMQ broker can bind: listenPort, listenPort-2 and listenPort+1. The last two are
 * bound on all interfaces by the broker, so they are probed on the wildcard address, which also fails
 * when someone holds the port on 127.0.0.1 only.
 */
export async function allocateBrokerPorts(): Promise<BrokerPorts> {
  for (let attempt = 0; attempt < MAX_BROKER_ATTEMPTS; attempt++) {
    const listenPort = await candidatePort(2, 1)
    const triple = [listenPort - 2, listenPort, listenPort + 1]
    if (triple[0]! < 1024 || triple[2]! > 65535 || triple.some((p) => handedOut.has(p))) continue
    const free = await Promise.all(triple.map((p) => isPortFree(p)))
    if (free.every(Boolean)) {
      for (const p of triple) handedOut.add(p)
      return {listenPort, fastListenPort: listenPort - 2, haListenPort: listenPort + 1}
    }
  }
  throw new RunBrokenError(`could not find a free broker port triple (port, port-2, port+1) in ${MAX_BROKER_ATTEMPTS} attempts`)
}

/** True when `port` can be bound on the wildcard address (and hence on loopback) right now. */
export function isPortFree(port: number, host?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once('error', () => resolve(false))
    server.listen({port, host, exclusive: true}, () => server.close(() => resolve(true)))
  })
}

/** Lets a long-lived process give ports back after a cluster is gone. */
export function releasePorts(ports: Iterable<number>): void {
  for (const p of ports) handedOut.delete(p)
}

function osPickedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen({port: 0, host: '127.0.0.1', exclusive: true}, () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => (port > 0 ? resolve(port) : reject(new RunBrokenError('OS returned no port for 127.0.0.1:0'))))
    })
  })
}
