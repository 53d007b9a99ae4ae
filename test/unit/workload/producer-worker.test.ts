import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {readProducerLedger, SendOutcome} from '../../../src/recorder/ledger/index.js'
import type {Message, SendResult} from '../../../src/client/index.js'
import {ConnectionError, RemotingError, TimeoutError} from '../../../src/errors.js'
import {decodeHistogram, initHistograms} from '../../../src/metrics/index.js'
import {crc32} from '../../../src/protocol/crc32.js'
import {ResponseCode} from '../../../src/protocol/response-code.js'
import {readIdentity} from '../../../src/workload/message-identity.js'
import {ProducerWorker, type ProducerLike} from '../../../src/workload/producer-worker.js'
import type {DoneMessage, ProducerWorkerConfig, TickMessage} from '../../../src/workload/worker-messages.js'

let dir: string
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mqb-producer-worker-'))
  await initHistograms()
})
afterAll(() => rmSync(dir, {recursive: true, force: true}))

/** Answers by seq: %5==1 timeout, %5==2 connection, %5==3 SYSTEM_BUSY, else SEND_OK (after one retry when %7==0). */
function fakeProducer(ledgerPath: string, sent: Message[], startsOnFileAtSend: number[]): ProducerLike {
  const answer = async (msg: Message): Promise<SendResult> => {
    sent.push(msg)
    // the START record of this seq must already be on file when the send is issued
    startsOnFileAtSend.push(readProducerLedger(ledgerPath).filter((e) => e.kind === 'start').length)
    const id = readIdentity({properties: msg.properties!})!
    await new Promise((r) => setTimeout(r, 1))
    if (id.seq % 5 === 1) throw Object.assign(new TimeoutError('t'), {attempts: 3})
    if (id.seq % 5 === 2) throw new ConnectionError('c')
    if (id.seq % 5 === 3) throw new RemotingError(ResponseCode.SYSTEM_BUSY, 'busy')
    return {status: 'SEND_OK', msgId: 'u', offsetMsgId: 'o', queue: {topic: msg.topic, brokerName: 'b1', queueId: id.seq % 4}, queueOffset: id.seq, attempts: id.seq % 7 === 0 ? 2 : 1}
  }
  return {start: async () => {}, shutdown: async () => {}, send: answer, sendAsync: answer, sendOneway: async () => {}}
}

describe('ProducerWorker with a fake producer', () => {
  it('ledgers START before each send, one OUTCOME per send, and counts statuses and error kinds', async () => {
    const ledgerPath = join(dir, 'p0.ledger')
    const sent: Message[] = []
    const startsOnFile: number[] = []
    const ticks: TickMessage[] = []
    const config: ProducerWorkerConfig = {
      role: 'producer', workerId: 0, producerId: 7, runId: 'run1', namesrvAddr: 'unused', producerGroup: 'g', topic: 'T',
      sendMode: 'sync', ratePerSec: 200, durationMs: 300, warmupMs: 0, bodySizeBytes: 64, maxInFlight: 8, seed: 1, ledgerPath,
    }
    const worker = new ProducerWorker(config, {emit: (m) => m.type === 'tick' && ticks.push(m), producer: fakeProducer(ledgerPath, sent, startsOnFile)})
    await worker.start()
    const done: DoneMessage = await worker.run()

    expect(done.attempted).toBe(60)
    expect(sent).toHaveLength(60)
    const ledger = readProducerLedger(ledgerPath)
    const starts = ledger.filter((e) => e.kind === 'start')
    const outcomes = ledger.filter((e) => e.kind === 'outcome')
    expect(starts.map((e) => e.seq)).toEqual([...Array(60).keys()])
    expect(outcomes.map((e) => e.seq).sort((a, b) => a - b)).toEqual([...Array(60).keys()])
    sent.forEach((msg, i) => {
      const id = readIdentity({properties: msg.properties!})!
      expect(startsOnFile[i]).toBeGreaterThan(id.seq)
      expect(crc32(msg.body)).toBe(id.bodyCrc)
      expect(id.producerId).toBe(7)
    })
    const bySeq = new Map(outcomes.map((e) => [e.seq, e]))
    expect(bySeq.get(1)).toMatchObject({outcome: SendOutcome.ERROR_TIMEOUT, retries: 2})
    expect(bySeq.get(2)).toMatchObject({outcome: SendOutcome.ERROR_CONNECTION})
    expect(bySeq.get(3)).toMatchObject({outcome: SendOutcome.ERROR_BROKER, brokerCode: ResponseCode.SYSTEM_BUSY})
    expect(bySeq.get(14)).toMatchObject({outcome: SendOutcome.SEND_OK, retries: 1, queueId: 2, queueOffset: 14, brokerName: 0})
    expect(done.brokerNames).toEqual(['b1'])

    const c = done.counts as import('../../../src/metrics/index.js').SendCounters
    expect(c.SEND_OK).toBe(24)
    expect(c.errors.timeout).toBe(12)
    expect(c.errors.connection).toBe(12)
    expect(c.errors.broker).toEqual({SYSTEM_BUSY: 12})
    // retries: 2 per timeout (attempts 3) + 1 per SEND_OK with seq % 7 == 0
    const okSevens = [...Array(60).keys()].filter((s) => s % 5 !== 1 && s % 5 !== 2 && s % 5 !== 3 && s % 7 === 0).length
    expect(c.retries).toBe(12 * 2 + okSevens)
    expect(c.dropped).toBe(0)
    expect(decodeHistogram(done.sendHist!).totalCount).toBe(24)
    expect(decodeHistogram(done.byStatus!.SEND_OK!).totalCount).toBe(24)
    // every tick's interval counts add up to the totals
    const tickOk = ticks.reduce((n, t) => n + (t.counts as typeof c).SEND_OK, 0)
    expect(tickOk).toBe(24)
  })

  it('keeps warm-up sends out of counts and histograms but ledgers them', async () => {
    const ledgerPath = join(dir, 'p1.ledger')
    const config: ProducerWorkerConfig = {
      role: 'producer', workerId: 1, producerId: 1, runId: 'run1', namesrvAddr: 'unused', producerGroup: 'g', topic: 'T',
      sendMode: 'async', ratePerSec: 100, durationMs: 200, warmupMs: 200, bodySizeBytes: 16, maxInFlight: 4, seed: 2, ledgerPath,
    }
    const worker = new ProducerWorker(config, {emit: () => {}, producer: fakeProducer(ledgerPath, [], [])})
    await worker.start()
    const done = await worker.run()
    expect(done.attempted).toBe(40)
    const total = (c: unknown) => {
      const s = c as import('../../../src/metrics/index.js').SendCounters
      return s.SEND_OK + s.errors.timeout + s.errors.connection + Object.values(s.errors.broker).reduce((a, b) => a + b, 0)
    }
    expect(total(done.counts)).toBe(20)
    expect(total(done.warmupCounts)).toBe(20)
    expect(readProducerLedger(ledgerPath).filter((e) => e.kind === 'start')).toHaveLength(40)
  })
})

describe('validateProducerConfig', () => {
  it('names every bad field at once', async () => {
    const {validateProducerConfig} = await import('../../../src/workload/producer-worker.js')
    const bad = {
      role: 'producer', workerId: 3, producerId: -1, runId: 'r', namesrvAddr: 'x', producerGroup: 'g', topic: 'T', sendMode: 'sync',
      ratePerSec: -5, durationMs: 1000, warmupMs: 0, bodySizeBytes: 8, maxInFlight: 0, seed: 1, ledgerPath: '/dev/null',
    } as const
    expect(() => validateProducerConfig(bad)).toThrow(/ratePerSec.*maxInFlight.*bodySizeBytes.*producerId/)
    expect(() => validateProducerConfig({...bad, producerId: 0, ratePerSec: 5, bodySizeBytes: 16, maxInFlight: 1})).not.toThrow()
  })
})
