/**
 * A stopped broker's CommitLog is damaged at its tail — bytes flipped inside the last record, or the
 * file cut in the middle of it — and the broker must come back at the last valid record: everything
 * before it readable, the damaged record gone, the file and offset named in its log, sends working.
 * A file left shorter than mappedFileSizeCommitLog is refused (by name) until it is re-extended.
 */
import {openSync, closeSync, ftruncateSync, readSync, writeSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {Producer} from '../../../src/client/producer.js'
import {PullConsumer} from '../../../src/client/pull-consumer.js'
import {fileNameOf} from '../../../src/broker/store/mapped-file.js'
import {RecordField} from '../../../src/protocol/message/message-ext.js'
import {CrashBroker} from '../../helpers/crash-broker.js'
import {type Ack, drainTopic, queuesOf, SendLoad} from '../../helpers/crash-load.js'
import {auditAcks, queueHoles} from '../../helpers/crash-verdict.js'

const TOPIC = 'Damaged'
const QUEUES = 2
const BODY = 1024
// Small files: ~2.5 MB of records spans three of them, so the damage sits in a later file.
const FILE_SIZE = 1024 * 1024
const broker = new CrashBroker({name: 'crash-damage', flushDiskType: 'ASYNC_FLUSH', extraConf: {mappedFileSizeCommitLog: FILE_SIZE}})
let producer: Producer
let consumer: PullConsumer
const acked = new Map<string, Ack>()
/** messages sent after a repair (not load messages): expected in the drain too */
const repairs = new Set<string>()

beforeAll(async () => {
  await broker.start(TOPIC, QUEUES)
  producer = new Producer({namesrvAddr: broker.namesrvAddr, producerGroup: 'crash-damage-p', maxInFlight: 16})
  consumer = new PullConsumer({namesrvAddr: broker.namesrvAddr, consumerGroup: 'crash-damage-c'})
  await producer.start()
  await consumer.start()
})

afterAll(async () => {
  await producer?.shutdown()
  await consumer?.shutdown()
  expect(await broker.teardown(), 'processes still alive after teardown').toEqual([])
})

/** Sends n more messages and returns the one stored last in the CommitLog. */
async function sendBatch(n: number): Promise<Ack> {
  const load = new SendLoad(producer, TOPIC, {concurrency: 16, bodyBytes: BODY})
  load.start()
  await load.waitForAcks(n)
  await load.stop()
  expect(load.failures).toBe(0)
  for (const a of load.acks.values()) acked.set(a.uniqKey, a)
  return [...load.acks.values()].reduce((x, y) => (y.commitLogOffset > x.commitLogOffset ? y : x))
}

function commitLogFile(offset: number): string {
  return join(broker.storeDir, 'commitlog', fileNameOf(offset - (offset % FILE_SIZE)))
}

function recordSize(file: string, pos: number): number {
  const fd = openSync(file, 'r')
  try {
    const head = Buffer.alloc(4)
    readSync(fd, head, 0, 4, pos)
    return head.readInt32BE(0)
  } finally {
    closeSync(fd)
  }
}

/** After restart: the victim is gone, every other ack is intact, the log names file and offset. */
async function expectRecoveredBefore(victim: Ack, logBefore: number): Promise<void> {
  const file = commitLogFile(victim.commitLogOffset)
  const log = broker.log().slice(logBefore)
  const line = log.split('\n').find((l) => /^store: (clean|abnormal) recovery/.test(l))
  console.log(line)
  expect(line).toContain(`at ${victim.commitLogOffset}`)
  expect(line).toContain(file)
  const drained = await drainTopic(consumer, TOPIC, QUEUES)
  acked.delete(victim.uniqKey)
  const audit = auditAcks(acked.values(), drained, BODY)
  expect(audit.lost.map((a) => a.seq)).toEqual([])
  expect(audit.changed).toEqual([])
  expect(drained.messages.has(victim.uniqKey)).toBe(false)
  expect(drained.messages.size).toBe(acked.size + repairs.size)
  expect(queueHoles(drained)).toEqual([])
  // The damaged record's queue slot is free again: the next send takes it.
  const mq = queuesOf(TOPIC, QUEUES)[victim.queueId]!
  const next = await producer.send({topic: TOPIC, body: Buffer.from('after repair')}, {queue: mq})
  expect(next.status).toBe('SEND_OK')
  expect(next.queueOffset).toBe(victim.queueOffset)
  const back = await consumer.pull(mq, next.queueOffset, 1, {suspendTimeoutMillis: 0})
  expect(back.messages[0]?.body.toString()).toBe('after repair')
  repairs.add(next.msgId)
}

describe('damaged CommitLog tail of a stopped broker', () => {
  it('bytes flipped inside the last record: recovery stops before it (body CRC)', async () => {
    const victim = await sendBatch(2500)
    await broker.stopClean()
    const file = commitLogFile(victim.commitLogOffset)
    const pos = victim.commitLogOffset % FILE_SIZE
    const fd = openSync(file, 'r+')
    try {
      const bytes = Buffer.alloc(8)
      readSync(fd, bytes, 0, 8, pos + RecordField.BODYLENGTH + 4 + 100)
      for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i]! ^ 0xff
      writeSync(fd, bytes, 0, 8, pos + RecordField.BODYLENGTH + 4 + 100)
    } finally {
      closeSync(fd)
    }
    const logBefore = broker.log().length
    await broker.restart()
    await expectRecoveredBefore(victim, logBefore)
  })

  it('file cut in the middle of the last record: refused while short, recovered once re-extended', async () => {
    const victim = await sendBatch(300)
    await broker.stopClean()
    const file = commitLogFile(victim.commitLogOffset)
    const pos = victim.commitLogOffset % FILE_SIZE
    const cut = pos + Math.floor(recordSize(file, pos) / 2)
    resize(file, cut)
    // A short file is not something a crash leaves (files are preallocated): the store refuses it by name.
    let logBefore = broker.log().length
    await expect(broker.restart()).rejects.toThrow(/exited/)
    expect(broker.log().slice(logBefore)).toContain(file)
    // Re-extended, it is what a lost tail write leaves: the record's second half reads as zeros.
    resize(file, FILE_SIZE)
    logBefore = broker.log().length
    await broker.restart()
    await expectRecoveredBefore(victim, logBefore)
  })
})

function resize(file: string, length: number): void {
  const fd = openSync(file, 'r+')
  try {
    ftruncateSync(fd, length)
  } finally {
    closeSync(fd)
  }
}
