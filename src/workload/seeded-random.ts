/**
 * Deterministic pseudo-random numbers for workloads: the same seed gives the same bodies, so a run can
 * be reproduced byte for byte. The generator is the shared mulberry32 of src/seeded-random.ts.
 *
 * Payload bytes come from a pool filled once from the seed and copied from a random position per
 * message, so building a 1 KiB body costs one memcpy instead of 256 generator calls.
 */
import {seededU32} from '../seeded-random.js'

export interface SeededRandom {
  readonly seed: number
  /** Uniform unsigned 32-bit integer. */
  nextU32(): number
  /** Uniform float in [0, 1). */
  next(): number
  /** Fills target[start, end) with pseudo-random bytes. */
  fill(target: Buffer, start: number, end: number): void
}

const POOL_BYTES = 64 * 1024

export function createSeededRandom(seed: number): SeededRandom {
  const nextU32 = seededU32(seed)
  const pool = Buffer.allocUnsafe(POOL_BYTES)
  for (let i = 0; i < POOL_BYTES; i += 4) pool.writeUInt32LE(nextU32(), i)
  return {
    seed: seed >>> 0,
    nextU32,
    next: () => nextU32() / 0x1_0000_0000,
    fill(target, start, end) {
      let pos = start
      while (pos < end) {
        const from = nextU32() % POOL_BYTES
        const n = Math.min(end - pos, POOL_BYTES - from)
        pool.copy(target, pos, from, from + n)
        pos += n
      }
    },
  }
}
