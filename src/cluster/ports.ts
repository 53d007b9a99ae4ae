/**
 * Loopback port allocation. Ports come from the OS (bind :0) rather than a fixed range so that several
 * runs and test files can share one machine. There is an unavoidable window between probing and the
 * broker binding; ports already handed out by this process are remembered so two allocations here
 * never overlap.
 */
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

/** A free port on 127.0.0.1, picked by the OS. */
export async function allocatePort(): Promise<number> {
  for (let attempt = 0; attempt < MAX_BROKER_ATTEMPTS; attempt++) {
    const port = await osPickedPort()
    if (!handedOut.has(port)) {
      handedOut.add(port)
      return port
    }
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
    const listenPort = await osPickedPort()
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
