/**
 * CRC-32 as zlib computes it (RocketMQ's UtilAll.crc32). Node ≥ 20.15 has a native one; the
 * table fallback keeps the codec working on older 20.x builds.
 */
import * as zlib from 'node:zlib'

type NativeCrc = (data: Uint8Array, value?: number) => number
const nativeCrc32 = (zlib as unknown as {crc32?: NativeCrc}).crc32

const TABLE = (() => {
  const t = new Int32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c
  }
  return t
})()

function tableCrc32(buf: Uint8Array, start: number, end: number): number {
  let c = -1
  for (let i = start; i < end; i++) c = TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8)
  return (c ^ -1) >>> 0
}

/** Unsigned CRC-32 of buf[start, end). */
export function crc32(buf: Uint8Array, start = 0, end = buf.length): number {
  if (nativeCrc32) return nativeCrc32(start === 0 && end === buf.length ? buf : buf.subarray(start, end))
  return tableCrc32(buf, start, end)
}

/** The BODYCRC RocketMQ stores: CRC-32 with the sign bit cleared (it keeps it in a Java int). */
export function bodyCrc(buf: Uint8Array, start = 0, end = buf.length): number {
  return crc32(buf, start, end) & 0x7fffffff
}
