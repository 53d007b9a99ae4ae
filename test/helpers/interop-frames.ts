/**
 * Raw frame capture from a live broker or namesrv, for golden fixtures in test/fixtures/frames/.
 * A plain socket (no RemotingClient) so the bytes recorded are exactly what the peer wrote.
 * Captures are written only when MQBENCH_CAPTURE_FRAMES is set; otherwise the caller just checks
 * that today's live frames still decode (and re-encode) like the committed fixtures say they must.
 */
import {writeFileSync} from 'node:fs'
import net from 'node:net'
import {join} from 'node:path'
import {decodeFrame, encodeFrame} from '../../src/protocol/frame.js'
import type {RemotingCommand} from '../../src/protocol/remoting-command.js'

export const FRAMES_DIR = join(import.meta.dirname, '..', 'fixtures', 'frames')

/** Fixture file shape, as test/unit/protocol/golden-frames.test.ts reads it. */
export interface FrameFixture {
  name: string
  source: string
  serializeType: 0 | 1
  decodeOnly?: boolean
  hex: string
  decoded: Omit<RemotingCommand, 'body'> & {bodyHex?: string}
}

/** Sends one request frame and returns the first whole frame the peer answers with. */
export function exchangeFrame(addr: string, request: RemotingCommand, serializeType: 0 | 1, timeoutMs = 10_000): Promise<Buffer> {
  const colon = addr.lastIndexOf(':')
  return new Promise((resolve, reject) => {
    const socket = net.connect({host: addr.slice(0, colon), port: Number(addr.slice(colon + 1))})
    const chunks: Buffer[] = []
    let received = 0
    const timer = setTimeout(() => socket.destroy(new Error(`no whole frame from ${addr} within ${timeoutMs} ms`)), timeoutMs)
    socket.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      received += chunk.length
      const all = Buffer.concat(chunks, received)
      if (all.length < 4) return
      const total = 4 + all.readInt32BE(0)
      if (all.length < total) return
      clearTimeout(timer)
      socket.destroy()
      resolve(all.subarray(0, total))
    })
    socket.write(encodeFrame({...request, opaque: 1, flag: 0}, serializeType))
  })
}

/** Fixture for a captured frame; decodeOnly when our encoder would not reproduce the peer's bytes. */
export function toFixture(name: string, source: string, frame: Buffer): FrameFixture {
  const serializeType = (frame.readUInt32BE(4) >>> 24) as 0 | 1
  const cmd = decodeFrame(frame)
  const {body, ...rest} = cmd
  const decoded: FrameFixture['decoded'] = body === undefined ? rest : {...rest, bodyHex: body.toString('hex')}
  const reproducible = encodeFrame(cmd, serializeType).equals(frame)
  return {name, source, serializeType, ...(reproducible ? {} : {decodeOnly: true}), hex: frame.toString('hex'), decoded}
}

export function captureRequested(): boolean {
  return process.env.MQBENCH_CAPTURE_FRAMES === '1'
}

export function writeFixture(file: string, fixture: FrameFixture): void {
  writeFileSync(join(FRAMES_DIR, file), JSON.stringify(fixture, null, 2) + '\n')
}

/** 'json' / 'rocketmq': a fixture file name's suffix, from the header type the peer actually wrote. */
export function headerTypeName(frame: Buffer): 'json' | 'rocketmq' {
  return frame.readUInt32BE(4) >>> 24 === 0 ? 'json' : 'rocketmq'
}
