/** What every *.bench.ts exports: named figures, each measured by one run() call. */
export interface BenchResult {
  value: number
  unit: string
  [condition: string]: unknown
}

export interface Bench {
  name: string
  run: () => Promise<BenchResult>
}

/** Runs fn repeatedly for about durationMs and returns operations per second. */
export async function opsPerSecond(fn: () => void, durationMs = 1000, batch = 1000): Promise<number> {
  for (let i = 0; i < batch; i++) fn() // warm-up
  const start = process.hrtime.bigint()
  let ops = 0
  let elapsedNs = 0n
  do {
    for (let i = 0; i < batch; i++) fn()
    ops += batch
    elapsedNs = process.hrtime.bigint() - start
  } while (elapsedNs < BigInt(durationMs) * 1_000_000n)
  return Math.round(ops / (Number(elapsedNs) / 1e9))
}
