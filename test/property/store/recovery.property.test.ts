/**
 * Random histories of appends, flushes, torn write-backs, clean restarts and power cuts against a
 * store over the volatile page cache. After every restart:
 * - every message acknowledged before the last flush survives;
 * - what survives is a prefix of what was written (no holes, no reordering, no stale records);
 * - offsets continue: the next append starts at the recovered end and at the next queue offset.
 * Timers are long except the ConsumeQueue/checkpoint flusher (10 ms), which `wait` lets run, so
 * the checkpoint-driven path is exercised; a seed reproduces the history (timing may vary).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import fc from 'fast-check'
import {afterAll, describe, expect, it} from 'vitest'
import {decodeMessageExt} from '../../../src/protocol/message/index.js'
import {NodeFileIO} from '../../../src/broker/store/io/node-file-io.js'
import {VolatilePageCache} from '../../../src/broker/store/io/volatile-page-cache.js'
import {MessageStore} from '../../../src/broker/store/message-store.js'
import {fileNameOf} from '../../../src/broker/store/mapped-file.js'
import {message, smallConfig, tempDir} from '../../unit/broker/store/helpers.js'

const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31)
const tmp = tempDir('mqbench-store-prop-')
afterAll(() => tmp.cleanup())

type Op =
  | {kind: 'put'; count: number; bodyBytes: number}
  | {kind: 'flush'}
  | {kind: 'tear'; at: number; len: number; garbage: boolean}
  | {kind: 'wait'}
  | {kind: 'restart'}
  | {kind: 'crash'}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {weight: 5, arbitrary: fc.record({kind: fc.constant('put' as const), count: fc.integer({min: 1, max: 6}), bodyBytes: fc.integer({min: 0, max: 700})})},
  {weight: 2, arbitrary: fc.constant({kind: 'flush' as const})},
  {weight: 2, arbitrary: fc.record({kind: fc.constant('tear' as const), at: fc.double({min: 0, max: 1, noNaN: true}), len: fc.integer({min: 1, max: 6000}), garbage: fc.boolean()})},
  {weight: 1, arbitrary: fc.constant({kind: 'wait' as const})},
  {weight: 1, arbitrary: fc.constant({kind: 'restart' as const})},
  {weight: 2, arbitrary: fc.constant({kind: 'crash' as const})},
)

let runNo = 0

async function runHistory(ops: Op[]): Promise<void> {
  const config = smallConfig(path.join(tmp.dir, `run${runNo++}`), {
    mappedFileSizeCommitLog: 8192, flushIntervalCommitLog: 60_000, flushCommitLogThoroughInterval: 60_000, flushIntervalConsumeQueue: 10,
  })
  let cache = new VolatilePageCache(new NodeFileIO())
  let store = await MessageStore.open(config, {io: cache})
  let written: string[] = []
  let durable = 0
  let serial = 0
  const reopen = async (crash: boolean): Promise<void> => {
    if (crash) {
      cache.powerCut()
      await store.halt()
    } else await store.shutdown()
    cache = new VolatilePageCache(new NodeFileIO())
    store = await MessageStore.open(config, {io: cache})
    const recovered = readAll(store)
    expect(recovered.length).toBeGreaterThanOrEqual(durable)
    expect(recovered).toEqual(written.slice(0, recovered.length))
    if (!crash) expect(recovered.length).toBe(written.length)
    written = recovered
    durable = recovered.length
    const next = await store.putMessage(message('T', 0, `after-${serial++}`))
    // Offsets continue at the recovered end — or at the next file when the record (+ the 8-byte blank marker) no
    // longer fits in the current one (seed 292535640: end 8065 in an 8192-byte file).
    const end = store.recoveryReport.validEndOffset
    const fileSize = config.mappedFileSizeCommitLog
    const fits = (end % fileSize) + next.append!.wroteBytes + 8 <= fileSize
    expect(next.append).toMatchObject({wroteOffset: fits ? end : end - (end % fileSize) + fileSize, queueOffset: recovered.length})
    written.push(`after-${serial - 1}`)
  }
  try {
    for (const op of ops) {
      if (op.kind === 'put') {
        for (let i = 0; i < op.count; i++) {
          const body = `m${serial++}:` + 'x'.repeat(op.bodyBytes)
          expect((await store.putMessage(message('T', 0, body))).status).toBe('PUT_OK')
          written.push(body)
        }
      } else if (op.kind === 'flush') {
        await store.commitLog.flush()
        durable = written.length
      } else if (op.kind === 'tear') {
        tearUnflushed(store, config.storePathCommitLog, config.mappedFileSizeCommitLog, op)
      } else if (op.kind === 'wait') {
        await new Promise((r) => setTimeout(r, 15))
      } else await reopen(op.kind === 'crash')
    }
    await reopen(true)
  } finally {
    await store.shutdown()
  }
}

function readAll(store: MessageStore): string[] {
  const out: string[] = []
  for (;;) {
    const got = store.getMessage('T', 0, out.length, 32)
    if (got.status !== 'FOUND') return out
    for (const r of got.records) out.push(decodeMessageExt(r).body.toString())
  }
}

/**
 * A page written back early, or garbage: bytes land on the underlying disk somewhere in the
 * unflushed region — only ever where a power cut could put them.
 */
function tearUnflushed(store: MessageStore, dir: string, fileSize: number, op: {at: number; len: number; garbage: boolean}): void {
  const flushed = store.getFlushedPhyOffset()
  const max = store.getMaxPhyOffset()
  if (max <= flushed) return
  const from = flushed + Math.floor(op.at * (max - flushed))
  const fileStart = from - (from % fileSize)
  const file = path.join(dir, fileNameOf(fileStart))
  if (!fs.existsSync(file)) return
  const len = Math.min(op.len, fileStart + fileSize - from)
  const data = op.garbage ? Buffer.from(Array.from({length: len}, (_, i) => (i * 131 + from) & 0xff)) : store.readCommitLog(from, len)
  if (!data) return
  const fd = fs.openSync(file, 'r+')
  fs.writeSync(fd, data, 0, data.length, from - fileStart)
  fs.closeSync(fd)
}

describe('store recovery properties', () => {
  it('flushed messages survive, recovery yields a prefix, offsets continue', async () => {
    console.log('recovery.property seed', seed)
    await fc.assert(fc.asyncProperty(fc.array(opArb, {minLength: 1, maxLength: 25}), runHistory), {seed, numRuns: 30})
  })
})
