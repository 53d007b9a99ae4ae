import {mkdtempSync, rmSync, appendFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {IdempotencyStore} from '../../../../src/workload/consumer-behaviours/idempotency-store.js'
import {ProcessQueue} from '../../../../src/workload/consumer-behaviours/process-queue.js'

describe('ProcessQueue', () => {
  it('commits the smallest unacknowledged offset, or one past the highest when all are done', () => {
    const pq = new ProcessQueue()
    expect(pq.commitCandidate()).toBeUndefined()
    pq.add([10, 11, 12, 13])
    expect(pq.commitCandidate()).toBe(10)
    pq.remove(11)
    pq.remove(12)
    expect(pq.commitCandidate()).toBe(10) // one slow message holds the whole queue back
    pq.remove(10)
    expect(pq.commitCandidate()).toBe(13)
    pq.remove(13)
    expect(pq.commitCandidate()).toBe(14)
    expect(pq.size).toBe(0)
  })
})

describe('IdempotencyStore', () => {
  it('survives a restart and ignores a torn last key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mqbench-idem-'))
    try {
      const path = join(dir, 'keys.bin')
      const a = new IdempotencyStore(path)
      a.add(2 ** 32 * 3 + 7)
      a.add(5)
      a.add(5)
      a.close()
      appendFileSync(path, Buffer.from([1, 2, 3]))
      const b = new IdempotencyStore(path)
      expect(b.size).toBe(2)
      expect(b.has(2 ** 32 * 3 + 7)).toBe(true)
      expect(b.has(5)).toBe(true)
      expect(b.has(6)).toBe(false)
      b.close()
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
