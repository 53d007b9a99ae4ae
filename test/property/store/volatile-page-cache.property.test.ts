/**
 * The volatile page cache against a disk that lands writes in any order the generator picks: random
 * writes, syncs, random write-backs (as the writeback=random timer does) and landings interleave, then
 * everything lands and the power goes. Every byte on disk must hold the value of the last write before
 * a sync that resolved, or of a later write (one that a write-back may have carried) — never an older
 * value, which is what a synced write taken back looks like.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {PAGE_BYTES, VolatilePageCache} from '../../../src/broker/store/io/volatile-page-cache.js'
import {DeferredDisk, settle} from '../../unit/broker/store/io/deferred-disk.js'

const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31)
const PAGES = 2
const SIZE = PAGES * PAGE_BYTES

type Op =
  | {kind: 'write'; pos: number; len: number}
  | {kind: 'sync'}
  | {kind: 'writeBack'; page: number}
  | {kind: 'land'; pick: number}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({kind: fc.constant('write' as const), pos: fc.integer({min: 0, max: SIZE - 1}), len: fc.integer({min: 1, max: 300})}),
  fc.record({kind: fc.constant('sync' as const)}),
  fc.record({kind: fc.constant('writeBack' as const), page: fc.integer({min: 0, max: PAGES - 1})}),
  fc.record({kind: fc.constant('land' as const), pick: fc.nat()}),
)

describe('VolatilePageCache under out-of-order landings (fast-check)', () => {
  it('a byte never goes back to a value older than its last synced write', async () => {
    console.log('volatile-page-cache.property seed', seed)
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, {minLength: 1, maxLength: 40}), async (ops) => {
        const disk = new DeferredDisk(SIZE)
        const cache = new VolatilePageCache(disk.io())
        const h = await cache.open('f', {create: true})
        await h.truncate(SIZE) // preallocated, as the CommitLog's files are
        // Per byte: every value written in order (index 0 = the initial zero), and the index a resolved sync covers.
        const history: number[][] = Array.from({length: SIZE}, () => [0])
        const syncedUpTo = new Int32Array(SIZE)
        const syncs: Promise<void>[] = []
        let value = 0
        for (const op of ops) {
          if (op.kind === 'write') {
            value = (value % 250) + 1
            const end = Math.min(SIZE, op.pos + op.len)
            await h.write([Buffer.alloc(end - op.pos, value)], op.pos)
            for (let b = op.pos; b < end; b++) history[b]!.push(value)
          } else if (op.kind === 'sync') {
            const covered = history.map((vs) => vs.length - 1)
            syncs.push(h.sync().then(() => covered.forEach((k, b) => (syncedUpTo[b] = Math.max(syncedUpTo[b]!, k)))))
          } else if (op.kind === 'writeBack') {
            // What the random write-back timer does, on a page of the generator's choosing.
            void (h as unknown as {writeBack(pages: number[]): Promise<void>}).writeBack([op.page]).catch(() => undefined)
          } else if (disk.pending.length > 0) {
            disk.land(op.pick % disk.pending.length)
          }
          await settle()
        }
        while (disk.pending.length > 0) {
          disk.land(-1) // newest first: the order that lets an old write land on top of a newer one
          await settle()
        }
        await Promise.all(syncs)
        cache.powerCut()
        for (let b = 0; b < SIZE; b++) {
          const allowed = history[b]!.slice(syncedUpTo[b])
          if (!allowed.includes(disk.bytes[b]!)) {
            expect.fail(`byte ${b} is ${disk.bytes[b]} on disk; after its last synced write it may only be one of ${allowed.join(',')}`)
          }
        }
      }),
      {seed, numRuns: 300},
    )
  })
})
