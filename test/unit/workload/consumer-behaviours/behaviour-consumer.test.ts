import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import type {MessageQueue} from '../../../../src/client/message.js'
import type {MessageExt} from '../../../../src/protocol/message/message-ext.js'
import {BehaviourConsumer, type BehaviourEffects} from '../../../../src/workload/consumer-behaviours/behaviour-consumer.js'
import type {ConsumerBehaviourConfig} from '../../../../src/workload/consumer-behaviours/consumer-behaviour.js'
import {IdempotencyStore} from '../../../../src/workload/consumer-behaviours/idempotency-store.js'

const mq: MessageQueue = {topic: 'T', brokerName: 'b', queueId: 0}

function msgs(from: number, n: number): MessageExt[] {
  return Array.from({length: n}, (_, i) => ({queueOffset: from + i, properties: {}, reconsumeTimes: 0} as unknown as MessageExt))
}

/** Records every call in order; `fails` decides per call of random() whether processing fails. */
function effects(fails: (call: number) => boolean, opts: {sendBackFails?: number} = {}) {
  const log: string[] = []
  let calls = 0
  let sendBackFails = opts.sendBackFails ?? 0
  const fx: BehaviourEffects = {
    process: (m) => void log.push(`process ${m.queueOffset}`),
    flush: () => undefined,
    commit: async (_q, o) => void log.push(`commit ${o}`),
    sendBack: async (_q, m, max) => {
      if (sendBackFails-- > 0) throw new Error('broker down')
      log.push(`sendBack ${m.queueOffset} max=${max}`)
    },
    keyOf: (m) => m.queueOffset,
    random: () => (fails(calls++) ? 0 : 0.99),
    sleep: async () => undefined,
    stopping: () => false,
  }
  return {fx, log}
}

const consumer = (cfg: ConsumerBehaviourConfig, fx: BehaviourEffects, store?: IdempotencyStore) => new BehaviourConsumer(cfg, fx, store)

describe('BehaviourConsumer', () => {
  it('ack-after-process: processes in order, then may commit one past the batch', async () => {
    const {fx, log} = effects(() => false)
    const c = consumer({name: 'ack-after-process'}, fx)
    expect(await c.consumeBatch(mq, msgs(5, 3), 8)).toBe(8)
    expect(log).toEqual(['process 5', 'process 6', 'process 7'])
  })

  it('ack-before-process: commits the next offset before any work', async () => {
    const {fx, log} = effects(() => false)
    const c = consumer({name: 'ack-before-process'}, fx)
    await c.consumeBatch(mq, msgs(0, 2), 2)
    expect(log).toEqual(['commit 2', 'process 0', 'process 1'])
  })

  it('swallow-errors: a failure is acknowledged without its effect', async () => {
    const {fx, log} = effects((i) => i === 1)
    const c = consumer({name: 'swallow-errors', failureRate: 0.5}, fx)
    expect(await c.consumeBatch(mq, msgs(0, 3), 3)).toBe(3)
    expect(log).toEqual(['process 0', 'process 2'])
    expect(c.counts).toMatchObject({processed: 2, failed: 1, swallowed: 1})
  })

  it('reconsume-later: a failure goes back to the broker with maxReconsumeTimes; a failed send-back is retried locally and holds the commit', async () => {
    const {fx, log} = effects((i) => i === 0, {sendBackFails: 0})
    const c = consumer({name: 'reconsume-later', failureRate: 0.5, maxReconsumeTimes: 3}, fx)
    expect(await c.consumeBatch(mq, msgs(0, 2), 2)).toBe(2)
    expect(log).toEqual(['sendBack 0 max=3', 'process 1'])

    const second = effects((i) => i === 0, {sendBackFails: 1})
    const c2 = consumer({name: 'reconsume-later', failureRate: 0.5}, second.fx)
    await c2.consumeBatch(mq, msgs(0, 1), 1)
    // First try fails, send-back fails, local re-consume succeeds.
    expect(second.log).toEqual(['process 0'])
    expect(c2.counts).toMatchObject({failed: 1, sendBackFailed: 1, processed: 1})
  })

  it('a message still owed at stop stays uncommitted', async () => {
    const {fx} = effects(() => true, {sendBackFails: 99})
    fx.stopping = () => true
    const c = consumer({name: 'reconsume-later', failureRate: 1}, fx)
    expect(await c.consumeBatch(mq, msgs(4, 2), 6)).toBe(4)
  })

  it('idempotent: a redelivered key is skipped, also by a restarted consumer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mqbench-idem-'))
    try {
      const path = join(dir, 'keys.bin')
      const first = effects(() => false)
      const s1 = new IdempotencyStore(path)
      await consumer({name: 'idempotent'}, first.fx, s1).consumeBatch(mq, msgs(0, 3), 3)
      s1.close()
      const again = effects(() => false)
      const s2 = new IdempotencyStore(path)
      const c = consumer({name: 'idempotent'}, again.fx, s2)
      await c.consumeBatch(mq, msgs(1, 4), 5)
      s2.close()
      expect(again.log).toEqual(['process 3', 'process 4'])
      expect(c.counts.skippedDuplicates).toBe(2)
      expect(() => consumer({name: 'idempotent'}, again.fx)).toThrow(/idempotency store/)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
