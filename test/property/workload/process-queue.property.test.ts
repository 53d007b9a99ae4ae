/**
 * ProcessQueue against a model: whatever order batches arrive and messages are acknowledged in, the
 * commit candidate never passes an unacknowledged offset (a consumer resuming there loses nothing)
 * and never falls behind the first unacknowledged one (it redelivers no more than it must).
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {ProcessQueue} from '../../../src/workload/consumer-behaviours/process-queue.js'

const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31)

const opArb = fc.oneof(
  fc.record({kind: fc.constant('pull' as const), n: fc.integer({min: 1, max: 8})}),
  fc.record({kind: fc.constant('ack' as const), pick: fc.nat()}),
)

describe('ProcessQueue (property)', () => {
  it(`commit candidate = smallest unacknowledged offset, or one past the last pulled (seed ${seed})`, () => {
    console.log(`process-queue property seed: ${seed} (FC_SEED to replay)`)
    fc.assert(fc.property(fc.array(opArb, {maxLength: 200}), (ops) => {
      const pq = new ProcessQueue()
      const acked = new Set<number>()
      let next = 0
      for (const op of ops) {
        if (op.kind === 'pull') {
          const offsets = Array.from({length: op.n}, (_, i) => next + i)
          next += op.n
          pq.add(offsets)
        } else {
          const unacked = Array.from({length: next}, (_, i) => i).filter((o) => !acked.has(o))
          if (unacked.length === 0) continue
          const o = unacked[op.pick % unacked.length]!
          acked.add(o)
          pq.remove(o)
        }
        const candidate = pq.commitCandidate()
        if (next === 0) {
          expect(candidate).toBeUndefined()
          continue
        }
        let firstUnacked = 0
        while (firstUnacked < next && acked.has(firstUnacked)) firstUnacked++
        expect(candidate).toBe(firstUnacked)
      }
    }), {seed, numRuns: 300})
  })
})
