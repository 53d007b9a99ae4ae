import {createServer, type Server} from 'node:net'

import {afterEach, describe, expect, it} from 'vitest'

import {allocateBrokerPorts, allocatePort, isPortFree, nonEphemeralRange} from '../../../src/process/ports.js'

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
})

function hold(port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    servers.push(server)
    server.once('error', reject)
    server.listen({port, host, exclusive: true}, () => resolve())
  })
}

describe('ports', () => {
  it('allocatePort returns distinct ports that can be bound on loopback', async () => {
    const a = await allocatePort()
    const b = await allocatePort()
    expect(a).not.toBe(b)
    await hold(a, '127.0.0.1')
    await hold(b, '127.0.0.1')
  })

  it('isPortFree sees a port held on 127.0.0.1 only (brokers bind HA and fast ports on all interfaces)', async () => {
    const port = await allocatePort()
    expect(await isPortFree(port)).toBe(true)
    await hold(port, '127.0.0.1')
    expect(await isPortFree(port)).toBe(false)
    expect(await isPortFree(port, '127.0.0.1')).toBe(false)
  })

  it('allocateBrokerPorts returns listenPort, listenPort-2, listenPort+1, all bindable, never overlapping', async () => {
    const triples = []
    for (let i = 0; i < 5; i++) triples.push(await allocateBrokerPorts())
    const all = triples.flatMap((t) => [t.fastListenPort, t.listenPort, t.haListenPort])
    expect(new Set(all).size).toBe(all.length)
    for (const t of triples) {
      expect(t.fastListenPort).toBe(t.listenPort - 2)
      expect(t.haListenPort).toBe(t.listenPort + 1)
    }
    const t = triples[0]!
    await hold(t.listenPort, '127.0.0.1')
    await hold(t.fastListenPort, '0.0.0.0')
    await hold(t.haListenPort, '0.0.0.0')
  })

  it('reads the range below the kernel\'s ephemeral ports, and refuses one too narrow to share', () => {
    expect(nonEphemeralRange('32768\t60999\n')).toEqual([10_000, 32_767])
    expect(nonEphemeralRange('11000 60999')).toBeUndefined()
    expect(nonEphemeralRange('garbage')).toBeUndefined()
  })

  it('never hands out a port an outgoing connection could be given (a restarted broker must be able to bind it again)', async () => {
    const range = nonEphemeralRange()
    if (range === undefined) return // no /proc: OS-picked ports, nothing to check
    const ports = [await allocatePort(), ...Object.values(await allocateBrokerPorts())]
    for (const p of ports) {
      expect(p).toBeGreaterThanOrEqual(range[0])
      expect(p).toBeLessThanOrEqual(range[1])
    }
  })
})
