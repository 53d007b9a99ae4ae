import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {checkStoredOrder} from '../../../src/audit/order-checker.js'
import type {DeliveryEntry} from '../../../src/recorder/ledger/delivery-ledger.js'
import {NOT_OURS} from '../../../src/recorder/ledger/delivery-ledger.js'
import {checkQueue} from '../../../src/audit/queue-checker.js'
import {History} from './history-builder.js'
import {DeliveryLog} from '../../../src/recorder/ledger/delivery-log.js'

const storedOrder = (drained: DeliveryEntry[]) => checkStoredOrder(DeliveryLog.of(drained))

/** One queue copy as the drain returns it: consecutive offsets from `from`. */
function queueRun(queueId: number, items: Array<[pid: number, seq: number]>, extra: Partial<DeliveryEntry> = {}, from = 0): DeliveryEntry[] {
  return items.map(([producerId, seq], i) => ({
    producerId, seq, queueId, queueOffset: from + i, brokerId: 0, reconsumeTimes: 0, crcOk: true, deliveredMs: 0, bornMs: 0, storeMs: 0, topic: 0, ...extra,
  }))
}

describe('checkStoredOrder', () => {
  it('counts each copy stored after a later message of its producer in its queue', () => {
    const r = storedOrder(queueRun(0, [[0, 0], [0, 2], [0, 1], [0, 3], [0, 5], [0, 4]]))
    expect(r).toEqual({reordered: 2, samples: ['0:1', '0:4']})
  })

  it('keeps producers apart, and a back-to-back duplicate is not out of order', () => {
    expect(storedOrder(queueRun(1, [[0, 5], [1, 0], [0, 6], [1, 1], [1, 1], [0, 7]])).reordered).toBe(0)
  })

  it('judges each queue and each replica on its own, and only the main topic', () => {
    const drained = [
      ...queueRun(0, [[0, 10], [0, 11]]),
      ...queueRun(1, [[0, 1], [0, 2]]), // lower seqs in another queue: not a reorder
      ...queueRun(1, [[0, 1], [0, 2]], {brokerId: 1}), // the slave's copy of queue 1
      ...queueRun(0, [[0, 9], [0, 3]], {topic: 1}), // %RETRY% copies carry no order
    ]
    expect(storedOrder(drained).reordered).toBe(0)
  })

  it('a new queue read starts where the offset stops growing, even with the same replica and queue id', () => {
    // Two broker names may both have queue 0 on brokerId 0; the second read starts again at its min offset.
    expect(storedOrder([...queueRun(0, [[0, 8], [0, 9]]), ...queueRun(0, [[0, 1], [0, 2]])]).reordered).toBe(0)
  })

  it('ignores foreign messages and caps samples at 10', () => {
    const items: Array<[number, number]> = [[0, 100]]
    for (let s = 0; s < 15; s++) items.push([0, s], [NOT_OURS, 0])
    const r = storedOrder(queueRun(2, items))
    expect(r.reordered).toBe(15)
    expect(r.samples).toHaveLength(10)
  })

  it('property: a queue in send order has nothing reordered; one copy moved back past a later one is exactly one', () => {
    fc.assert(fc.property(fc.integer({min: 2, max: 200}), fc.nat(), (n, k) => {
      const inOrder = Array.from({length: n}, (_, i): [number, number] => [0, i])
      expect(storedOrder(queueRun(0, inOrder)).reordered).toBe(0)
      const i = k % (n - 1)
      const swapped = [...inOrder]
      ;[swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!]
      expect(storedOrder(queueRun(0, swapped)).reordered).toBe(1)
    }), {seed: 4242})
  })

  it('the queue checker reports it beside the classes, with samples', () => {
    const h = new History()
    for (const seq of [0, 1, 2]) h.sent(0, seq).deliver(0, seq)
    h.drain(0, 0, {queueId: 0, queueOffset: 0}).drain(0, 2, {queueId: 0, queueOffset: 1}).drain(0, 1, {queueId: 0, queueOffset: 2})
    const r = checkQueue(h.input())
    expect(r.counts.reordered).toBe(1)
    expect(r.counts.ok).toBe(3)
    expect(r.samples.reordered).toEqual(['0:1'])
  })
})
