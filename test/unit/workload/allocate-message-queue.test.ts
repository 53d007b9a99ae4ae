import {describe, expect, it} from 'vitest'

import {allocateMessageQueueAveragely} from '../../../src/workload/allocate-message-queue.js'

const queues = (brokers: string[], perBroker: number) =>
  brokers.flatMap((brokerName) => Array.from({length: perBroker}, (_, queueId) => ({topic: 'T', brokerName, queueId})))
const ids = (q: {brokerName: string; queueId: number}[]) => q.map((x) => `${x.brokerName}/${x.queueId}`)

describe('allocateMessageQueueAveragely', () => {
  it('splits 8 queues over 3 clients as 3/3/2 contiguous blocks in sorted order', () => {
    const qs = queues(['b', 'a'], 4).reverse()
    const clients = ['c2', 'c0', 'c1']
    expect(ids(allocateMessageQueueAveragely(qs, clients, 'c0'))).toEqual(['a/0', 'a/1', 'a/2'])
    expect(ids(allocateMessageQueueAveragely(qs, clients, 'c1'))).toEqual(['a/3', 'b/0', 'b/1'])
    expect(ids(allocateMessageQueueAveragely(qs, clients, 'c2'))).toEqual(['b/2', 'b/3'])
  })

  it('gives every queue to exactly one client for many shapes', () => {
    for (let n = 1; n <= 12; n++) {
      for (let m = 1; m <= 6; m++) {
        const qs = queues(['x'], n)
        const clients = Array.from({length: m}, (_, i) => `id-${i}`)
        const all = clients.flatMap((c) => ids(allocateMessageQueueAveragely(qs, clients, c)))
        expect(all.sort()).toEqual(ids(qs).sort())
      }
    }
  })

  it('more clients than queues: the extra clients get nothing; unknown client gets nothing', () => {
    const qs = queues(['x'], 2)
    expect(allocateMessageQueueAveragely(qs, ['a', 'b', 'c'], 'c')).toEqual([])
    expect(allocateMessageQueueAveragely(qs, ['a', 'b'], 'z')).toEqual([])
  })
})
