/**
 * Embedded store append throughput, in process: 1 KiB bodies, 256 puts in flight, one topic with
 * 8 queues, 64 MiB CommitLog files under os.tmpdir() (deleted afterwards). SYNC_FLUSH also reports
 * how many messages one fdatasync covered (group commit) and the single-sender latency.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import {MessageStore, type MessageToStore} from '../../src/broker/store/message-store.js'
import {defaultMessageStoreConfig, type FlushDiskType} from '../../src/broker/store/message-store-config.js'
import type {Bench, BenchResult} from './bench.js'

const BODY = Buffer.alloc(1024, 0x61)
const IN_FLIGHT = 256
const DURATION_MS = 3000

function msg(i: number): MessageToStore {
  return {
    topic: 'BenchTopic', queueId: i & 7, flag: 0, sysFlag: 0, bornTimestamp: Date.now(), bornHost: '127.0.0.1:50000', body: BODY,
    properties: {UNIQ_KEY: '7F0000010C6A18B4AAC2590E4F2D0000', WAIT: 'true', TAGS: 'TagA'}, reconsumeTimes: 0, waitStoreMsgOK: true,
  }
}

async function withStore<T>(flushDiskType: FlushDiskType, fn: (store: MessageStore) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mqbench-store-bench-'))
  const config = {...defaultMessageStoreConfig(dir, '127.0.0.1:10911'), flushDiskType, mappedFileSizeCommitLog: 64 * 1024 * 1024}
  const store = await MessageStore.open(config)
  try {
    return await fn(store)
  } finally {
    await store.shutdown()
    fs.rmSync(dir, {recursive: true, force: true})
  }
}

/** Closed loop: IN_FLIGHT senders, each putting again as soon as its last put is answered. */
async function appendTps(store: MessageStore, durationMs: number): Promise<{tps: number; messages: number}> {
  let messages = 0
  let stop = false
  const start = process.hrtime.bigint()
  const sender = async (): Promise<void> => {
    while (!stop) {
      const r = await store.putMessage(msg(messages))
      if (r.status !== 'PUT_OK') throw new Error(`put answered ${r.status}`)
      messages++
    }
  }
  const timer = setTimeout(() => (stop = true), durationMs)
  await Promise.all(Array.from({length: IN_FLIGHT}, sender))
  clearTimeout(timer)
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  return {tps: Math.round(messages / seconds), messages}
}

async function tpsBench(flushDiskType: FlushDiskType): Promise<BenchResult> {
  return withStore(flushDiskType, async (store) => {
    await appendTps(store, 300) // warm-up
    const {tps, messages} = await appendTps(store, DURATION_MS)
    return {value: tps, unit: 'msg/s', flushDiskType, bodyBytes: BODY.length, inFlight: IN_FLIGHT, messages}
  })
}

export const benches: Bench[] = [
  {name: 'store.append.async_flush.tps', run: () => tpsBench('ASYNC_FLUSH')},
  {name: 'store.append.sync_flush.tps', run: () => tpsBench('SYNC_FLUSH')},
  {
    name: 'store.sync_flush.msgs_per_fsync',
    run: () => withStore('SYNC_FLUSH', async (store) => {
      await appendTps(store, 300)
      const before = store.stats().groupCommit!
      const {messages} = await appendTps(store, DURATION_MS)
      const after = store.stats().groupCommit!
      const fsyncs = after.fsyncCount - before.fsyncCount
      return {value: Math.round(((after.flushedMessages - before.flushedMessages) / fsyncs) * 10) / 10, unit: 'msg/fsync', fsyncs, messages, inFlight: IN_FLIGHT, bodyBytes: BODY.length}
    }),
  },
  {
    name: 'store.append.sync_flush.single_sender_p50',
    run: () => withStore('SYNC_FLUSH', async (store) => {
      const samples: number[] = []
      for (let i = 0; i < 3000; i++) {
        const t = process.hrtime.bigint()
        await store.putMessage(msg(i))
        if (i >= 200) samples.push(Number(process.hrtime.bigint() - t) / 1e6)
      }
      samples.sort((a, b) => a - b)
      const at = (q: number): number => Math.round(samples[Math.floor(q * (samples.length - 1))]! * 1000) / 1000
      return {value: at(0.5), unit: 'ms', p99: at(0.99), samples: samples.length, bodyBytes: BODY.length}
    }),
  },
]
