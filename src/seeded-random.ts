/**
 * mulberry32: a tiny seedable generator shared by every room that must replay a run from its seed
 * (workload bodies, fault schedules, page-cache loss, disk/network fault jitter, randomised tests).
 * It is not cryptographic; reproducibility is the only requirement. Lives beside units.ts because
 * broker/ (store I/O faults) and level-3 rooms both need it and neither may import the other's way.
 */

/** Uniform unsigned 32-bit integers from `seed`. */
export function seededU32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
}

/** Uniform floats in [0, 1) from `seed`. */
export function seededRandom(seed: number): () => number {
  const nextU32 = seededU32(seed)
  return () => nextU32() / 0x1_0000_0000
}
