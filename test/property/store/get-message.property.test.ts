/**
 * The batched pull read against the per-record read it replaced: random appends over a few queues
 * (so a queue's records are interleaved with the others'), small CommitLog files (batches cross
 * them), writes out at random points (records are read from the file, from staging, or from both),
 * blanks and ConsumeQueue units pointing anywhere; then pulls with random offsets and limits must
 * return the same status, offsets and records byte for byte, and a body that is those records.
 */
import fc from 'fast-check'
import {describe, it} from 'vitest'
import {expectSameAsPerRecord, LogUnderTest} from '../../unit/broker/store/get-message-fixture.js'

const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31)
const QUEUES = 3

type Op =
  | {kind: 'append'; q: number; body: number}
  | {kind: 'writeOut'}
  | {kind: 'skip'; q: number}
  | {kind: 'stray'; q: number; at: number; size: number}

const q = fc.integer({min: 0, max: QUEUES - 1})
// Mostly small bodies (long spans of many records), sometimes up to 24 KiB (gaps past the 16 KiB span-gap bound).
const bodyArb = fc.oneof({weight: 6, arbitrary: fc.integer({min: 0, max: 1500})}, {weight: 1, arbitrary: fc.integer({min: 0, max: 24 * 1024})})
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {weight: 8, arbitrary: fc.record({kind: fc.constant('append' as const), q, body: bodyArb})},
  {weight: 1, arbitrary: fc.record({kind: fc.constant('writeOut' as const)})},
  {weight: 1, arbitrary: fc.record({kind: fc.constant('skip' as const), q})},
  {weight: 1, arbitrary: fc.record({kind: fc.constant('stray' as const), q, at: fc.nat(), size: fc.integer({min: 1, max: 3000})})},
)
const pullArb = fc.record({
  q, offset: fc.nat(), maxMsgNums: fc.integer({min: 1, max: 64}),
  maxCount: fc.integer({min: 1, max: 64}), maxBytes: fc.constantFrom(1, 2000, 64 * 1024, 2 ** 30),
})

async function apply(log: LogUnderTest, fileSize: number, op: Op): Promise<void> {
  if (op.kind === 'append') {
    log.append(op.q, Math.min(op.body, fileSize - 400))
  } else if (op.kind === 'writeOut') {
    await log.writeOut()
  } else if (op.kind === 'skip') {
    log.skipQueueOffset(op.q)
  } else {
    log.strayUnit(op.q, op.at % (log.commitLog.maxOffset() + 2 * fileSize), op.size)
  }
}

describe('batched getMessage = per-record getMessage (fast-check)', () => {
  it('same statuses, offsets and bytes for any layout, write-out point and limits', async () => {
    console.log('get-message.property seed', seed)
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(4096, 16 * 1024, 256 * 1024),
        // size 'max': the default sizing keeps arrays to a few ops, too few for spans of many records.
        fc.array(opArb, {minLength: 1, maxLength: 150, size: 'max'}),
        fc.array(pullArb, {minLength: 1, maxLength: 20}),
        async (fileSize, ops, pulls) => {
          const log = new LogUnderTest(fileSize, QUEUES)
          try {
            for (const op of ops) await apply(log, fileSize, op)
            for (const p of pulls) {
              // From just below the queue's start to just past its end: every row of the decision table.
              const offset = (p.offset % (log.cqs[p.q]!.maxOffset() + 3)) - 1
              expectSameAsPerRecord(log, p.q, offset, p.maxMsgNums, {maxCount: p.maxCount, maxBytes: p.maxBytes})
            }
          } finally {
            await log.dispose()
          }
        },
      ),
      {seed, numRuns: 200},
    )
  })
})
