/**
 * Remoting round trips over loopback TCP against an echo server in a worker thread (its own event
 * loop, like a broker process): a 1 KiB request body with a send-sized header, answered by a
 * header-only response, as a SEND_MESSAGE_V2 exchange looks on the wire.
 *   remoting.invoke_rtt_p50_us  sequential invokes, one in flight
 *   remoting.invoke_tps         256 in flight, sustained
 */
import {fileURLToPath} from 'node:url'
import {isMainThread, parentPort, Worker} from 'node:worker_threads'
import {newRequest, newResponse} from '../../src/protocol/remoting-command.js'
import {RemotingClient} from '../../src/remoting/remoting-client.js'
import {RemotingServer} from '../../src/remoting/remoting-server.js'
import type {Bench, BenchResult} from './bench.js'

const ECHO = 9001
const BODY = Buffer.alloc(1024, 0x61)
const EXT = {a: 'bench-producer', b: 'BenchTopic', c: 'TBW102', d: '4', e: '0', f: '0', g: '1700000000000', h: '0'}

async function startEchoServer(): Promise<{port: number; stop: () => Promise<void>}> {
  const server = new RemotingServer({port: 0})
  server.registerHandler(ECHO, (req) =>
    newResponse(req, 0, {extFields: {msgId: '7F00000100002A9F0000000000000000', queueId: '0', queueOffset: '1'}}),
  )
  const port = await server.start()
  return {port, stop: () => server.stop()}
}

async function withEchoServer<T>(fn: (addr: string) => Promise<T>): Promise<T> {
  const file = fileURLToPath(import.meta.url)
  if (file.endsWith('.ts')) {
    // Run as TypeScript (no compiled worker entry): same event loop, so figures are pessimistic.
    const {port, stop} = await startEchoServer()
    try {
      return await fn(`127.0.0.1:${port}`)
    } finally {
      await stop()
    }
  }
  const worker = new Worker(file)
  try {
    const port = await new Promise<number>((resolve, reject) => {
      worker.once('message', resolve)
      worker.once('error', reject)
    })
    return await fn(`127.0.0.1:${port}`)
  } finally {
    worker.postMessage('stop')
    await worker.terminate()
  }
}

if (!isMainThread && parentPort !== null) {
  const port = parentPort
  const {port: bound, stop} = await startEchoServer()
  port.postMessage(bound)
  port.once('message', () => void stop())
}

async function rttP50(): Promise<BenchResult> {
  return withEchoServer(async (addr) => {
    const client = new RemotingClient()
    try {
      for (let i = 0; i < 2000; i++) await client.invoke(addr, newRequest(ECHO, EXT, BODY), 5000)
      const samples: number[] = []
      for (let i = 0; i < 20_000; i++) {
        const start = process.hrtime.bigint()
        await client.invoke(addr, newRequest(ECHO, EXT, BODY), 5000)
        samples.push(Number(process.hrtime.bigint() - start) / 1000)
      }
      samples.sort((x, y) => x - y)
      const at = (q: number) => Math.round(samples[Math.floor(q * (samples.length - 1))]!)
      return {value: at(0.5), unit: 'us', p99_us: at(0.99), samples: samples.length, bodyBytes: BODY.length}
    } finally {
      client.close()
    }
  })
}

async function tps(): Promise<BenchResult> {
  const inFlight = 256
  const durationMs = 3000
  return withEchoServer(async (addr) => {
    const client = new RemotingClient()
    try {
      let done = 0
      let stopAt = Date.now() + 500 // warm-up, then the measured window
      const lane = async (): Promise<void> => {
        while (Date.now() < stopAt) {
          await client.invoke(addr, newRequest(ECHO, EXT, BODY), 5000)
          done++
        }
      }
      await Promise.all(Array.from({length: inFlight}, lane))
      done = 0
      const start = process.hrtime.bigint()
      stopAt = Date.now() + durationMs
      await Promise.all(Array.from({length: inFlight}, lane))
      const seconds = Number(process.hrtime.bigint() - start) / 1e9
      return {value: Math.round(done / seconds), unit: 'req/s', inFlight, bodyBytes: BODY.length, seconds}
    } finally {
      client.close()
    }
  })
}

export const benches: Bench[] = [
  {name: 'remoting.invoke_rtt_p50_us', run: rttP50},
  {name: 'remoting.invoke_tps', run: tps},
]
