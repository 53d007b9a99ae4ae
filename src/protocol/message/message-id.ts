/**
 * The two message ids RocketMQ hands out:
 * - UNIQ_KEY, chosen by the producer: IPv4 (4) + pid (2) + per-process random (4) + ms since the
 *   start of the month (4) + counter (2), as 32 upper-case hex chars (MessageClientIDSetter).
 * - the offset msgId, computed by the broker: store IP (4) + store port (4) + physical offset (8).
 */
import {ProtocolError} from '../protocol-error.js'

const HEX = '0123456789ABCDEF'

function hexInto(out: string[], value: number, bytes: number): void {
  for (let i = bytes - 1; i >= 0; i--) {
    const b = Math.floor(value / 2 ** (8 * i)) & 0xff
    out.push(HEX[b >> 4]!, HEX[b & 0xf]!)
  }
}

function ipv4Bytes(ip: string): number[] {
  const parts = ip.split('.').map(Number)
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new ProtocolError('BAD_FIELD', `host ${JSON.stringify(ip)}: expected an IPv4 address`)
  }
  return parts
}

export interface UniqIdGenerator {
  next(): string
}

/** One generator per producer process; the fixed 10-byte prefix is computed once. */
export function createUniqIdGenerator(opts: {ip?: string; pid?: number; random?: number} = {}): UniqIdGenerator {
  const prefix: string[] = []
  for (const b of ipv4Bytes(opts.ip ?? '127.0.0.1')) hexInto(prefix, b, 1)
  hexInto(prefix, (opts.pid ?? process.pid) & 0xffff, 2)
  hexInto(prefix, (opts.random ?? Math.floor(Math.random() * 2 ** 32)) >>> 0, 4)
  const prefixText = prefix.join('')
  let counter = 0
  let monthStartMs = 0
  let nextMonthStartMs = 0
  return {
    next(): string {
      const now = Date.now()
      if (now >= nextMonthStartMs) {
        const d = new Date(now)
        monthStartMs = new Date(d.getFullYear(), d.getMonth(), 1).getTime()
        nextMonthStartMs = new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime()
      }
      const out: string[] = [prefixText]
      hexInto(out, (now - monthStartMs) >>> 0, 4)
      counter = (counter + 1) & 0xffff
      hexInto(out, counter, 2)
      return out.join('')
    },
  }
}

export function encodeOffsetMsgId(storeHost: string, physicalOffset: number): string {
  const {ip, port} = splitHost(storeHost)
  const out: string[] = []
  for (const b of ipv4Bytes(ip)) hexInto(out, b, 1)
  hexInto(out, port, 4)
  hexInto(out, physicalOffset, 8)
  return out.join('')
}

export function decodeOffsetMsgId(msgId: string): {storeHost: string; physicalOffset: number} {
  if (!/^[0-9A-Fa-f]{32}$/.test(msgId)) {
    throw new ProtocolError('BAD_FIELD', `msgId ${JSON.stringify(msgId)}: expected 32 hex chars (IPv4 offset id)`)
  }
  const ip = [0, 2, 4, 6].map((i) => parseInt(msgId.slice(i, i + 2), 16)).join('.')
  const port = parseInt(msgId.slice(8, 16), 16)
  const physicalOffset = parseInt(msgId.slice(16, 32), 16)
  return {storeHost: `${ip}:${port}`, physicalOffset}
}

export function splitHost(host: string): {ip: string; port: number} {
  const i = host.lastIndexOf(':')
  const port = Number(host.slice(i + 1))
  if (i <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ProtocolError('BAD_FIELD', `host ${JSON.stringify(host)}: expected ip:port`)
  }
  return {ip: host.slice(0, i), port}
}
