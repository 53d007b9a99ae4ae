import {describe, expect, it} from 'vitest'
import {emptyCounts} from '../../../src/audit/checker.js'
import {NOT_OURS} from '../../../src/recorder/ledger/delivery-ledger.js'
import {SendOutcome} from '../../../src/recorder/ledger/producer-ledger.js'
import {checkQueue} from '../../../src/audit/queue-checker.js'
import {History} from './history-builder.js'
import {DeliveryLog} from '../../../src/recorder/ledger/delivery-log.js'

/** Ten healthy messages from two producers; each test then breaks something. */
function baseline(): History {
  const h = new History()
  for (let seq = 0; seq < 5; seq++) h.healthy(0, seq).healthy(1, seq)
  return h
}

const clean = {attempted: 10, acked: 10, delivered: 10, ok: 10, deliveries: 10}

describe('checkQueue', () => {
  it('a clean history is valid and all ok', () => {
    const r = checkQueue(baseline().input())
    expect(r.valid).toBe(true)
    expect(r.counts).toEqual({...emptyCounts(), ...clean})
    expect(r.samples.ok).toHaveLength(10)
    expect(r.error).toBeUndefined()
  })

  it('a SEND_OK message neither delivered nor drained is lost, with its id sampled', () => {
    const h = baseline()
    h.sent(1, 42)
    const r = checkQueue(h.input())
    expect(r.valid).toBe(false)
    expect(r.counts).toEqual({...emptyCounts(), ...clean, attempted: 11, acked: 11, lost: 1, lostFromStore: 1})
    expect(r.samples.lost).toEqual(['1:42'])
    expect(r.samples.lostFromStore).toEqual(['1:42'])
  })

  it('dropping the only drained copy of an undelivered message makes it lost', () => {
    const h = new History().sent(0, 0).sent(0, 1).drain(0, 0).drain(0, 1)
    expect(checkQueue(h.input()).counts.lost).toBe(0)
    h.drained.pop()
    const r = checkQueue(h.input())
    expect(r.counts).toMatchObject({lost: 1, ok: 1, attempted: 2, acked: 2})
    expect(r.samples.lost).toEqual(['0:1'])
  })

  it('a message delivered only (no drained copy) is not lost, but is lost from the store', () => {
    const h = new History().sent(0, 0).deliver(0, 0)
    const r = checkQueue(h.input())
    expect(r.counts).toMatchObject({ok: 1, lost: 0, lostFromStore: 1, delivered: 1})
    expect(r.samples.lostFromStore).toEqual(['0:0'])
  })

  it('lostFromStore counts SEND_OK only: a failed send absent from the drain is not lost from the store', () => {
    const h = new History().sent(0, 0, SendOutcome.ERROR_TIMEOUT).deliver(0, 0).sent(0, 1).deliver(0, 1).drain(0, 1, {topic: 1})
    // 0:1's only stored copy is on %RETRY%: still in the store.
    expect(checkQueue(h.input()).counts).toMatchObject({recovered: 1, ok: 1, lostFromStore: 0})
  })

  it('a delivery twice (same or another worker of the group) is duplicated, and still valid', () => {
    const h = baseline()
    h.deliver(0, 3).deliver(1, 4, {}, 1)
    const r = checkQueue(h.input())
    expect(r.valid).toBe(true)
    expect(r.counts).toEqual({...emptyCounts(), ...clean, ok: 8, duplicated: 2, deliveries: 12})
    expect(r.samples.duplicated).toEqual(['0:3', '1:4'])
  })

  it('two stored copies on one replica are duplicated; one copy each on master and slave is not', () => {
    const h = baseline()
    h.drain(0, 0, {brokerId: 1}).drain(0, 1, {queueOffset: 99})
    const r = checkQueue(h.input())
    expect(r.counts).toMatchObject({ok: 9, duplicated: 1})
    expect(r.samples.duplicated).toEqual(['0:1'])
  })

  it('a copy in %RETRY% or %DLQ% is not a stored duplicate', () => {
    const h = baseline()
    h.drain(0, 0, {topic: 1}).drain(0, 1, {topic: 2})
    expect(checkQueue(h.input()).counts).toMatchObject({ok: 10, duplicated: 0})
  })

  it('a bad body CRC in a delivery or a drained copy is corrupt and invalid', () => {
    const h = baseline()
    h.deliver(0, 2, {crcOk: false}).drain(1, 3, {crcOk: false, brokerId: 1})
    const r = checkQueue(h.input())
    expect(r.valid).toBe(false)
    expect(r.counts).toEqual({...emptyCounts(), ...clean, ok: 8, corrupt: 2, deliveries: 11})
    expect(r.samples.corrupt).toEqual(['0:2', '1:3'])
  })

  it('a drained message nobody attempted is unexpected and invalid', () => {
    const h = baseline()
    h.drain(7, 0)
    const r = checkQueue(h.input())
    expect(r.valid).toBe(false)
    expect(r.counts).toEqual({...emptyCounts(), ...clean, unexpected: 1})
    expect(r.samples.unexpected).toEqual(['7:0'])
  })

  it('a DROPPED send proves no attempt: found anyway, it is unexpected', () => {
    const h = new History().outcome(0, 0, SendOutcome.DROPPED).outcome(0, 1, SendOutcome.DROPPED).drain(0, 1)
    expect(checkQueue(h.input()).counts).toEqual({...emptyCounts(), unexpected: 1})
  })

  it('failed or unknown sends that were found anyway are recovered', () => {
    const h = baseline()
    h.sent(0, 10, SendOutcome.ERROR_TIMEOUT).drain(0, 10)
    h.sent(0, 11, SendOutcome.FLUSH_DISK_TIMEOUT).deliver(0, 11)
    h.start(1, 12).drain(1, 12) // producer killed mid-send: START, no OUTCOME
    const r = checkQueue(h.input())
    expect(r.valid).toBe(true)
    expect(r.counts).toEqual({...emptyCounts(), ...clean, attempted: 13, recovered: 3, delivered: 11, deliveries: 11})
    expect(r.samples.recovered).toEqual(['0:10', '0:11', '1:12'])
  })

  it('failed or unknown sends that are absent are missingUnconfirmed, not lost', () => {
    const h = baseline()
    h.sent(0, 10, SendOutcome.SLAVE_NOT_AVAILABLE).sent(1, 11, SendOutcome.ERROR_CONNECTION).start(1, 12)
    const r = checkQueue(h.input())
    expect(r.valid).toBe(true)
    expect(r.counts).toEqual({...emptyCounts(), ...clean, attempted: 13, missingUnconfirmed: 3})
  })

  it('a retry that finally got SEND_OK counts as acked even after a failed outcome record', () => {
    const h = new History().sent(0, 0, SendOutcome.ERROR_TIMEOUT).outcome(0, 0, SendOutcome.SEND_OK)
    expect(checkQueue(h.input()).counts).toMatchObject({attempted: 1, acked: 1, lost: 1})
  })

  it('an OUTCOME whose START was torn off still counts as attempted', () => {
    const h = new History().outcome(0, 0).drain(0, 0)
    expect(checkQueue(h.input()).counts).toMatchObject({attempted: 1, acked: 1, ok: 1})
  })

  it('messages that are not ours are ignored everywhere', () => {
    const h = baseline()
    h.deliver(NOT_OURS, 0).drain(NOT_OURS, 1, {crcOk: false})
    expect(checkQueue(h.input()).counts).toEqual({...emptyCounts(), ...clean})
  })

  it('precedence: an unattempted corrupt copy is unexpected; a duplicated corrupt one is corrupt', () => {
    const h = new History().drain(0, 0, {crcOk: false}).sent(0, 1).deliver(0, 1).deliver(0, 1, {crcOk: false})
    const r = checkQueue(h.input())
    expect(r.counts).toMatchObject({unexpected: 1, corrupt: 1, duplicated: 0})
  })

  it('samples stop at ten per class', () => {
    const h = new History()
    for (let seq = 0; seq < 25; seq++) h.sent(3, seq)
    const r = checkQueue(h.input())
    expect(r.counts.lost).toBe(25)
    expect(r.samples.lost).toEqual(['3:0', '3:1', '3:2', '3:3', '3:4', '3:5', '3:6', '3:7', '3:8', '3:9'])
  })

  it('large producer ids and sequences survive the identity key', () => {
    const h = new History().sent(2 ** 21 - 1, 0xffffffff).sent(2 ** 21 - 2, 0xffffffff)
    expect(checkQueue(h.input()).samples.lost).toEqual(['2097150:4294967295', '2097151:4294967295'])
  })

  it('dense, grown and far-out sequences of one producer are all tracked exactly', () => {
    const h = new History()
    for (let seq = 0; seq < 5000; seq += 7) h.healthy(2, seq)
    h.sent(2, 10_000_000).drain(2, 10_000_000).deliver(2, 10_000_000).deliver(2, 10_000_000)
    h.sent(2, 3_000_000_000).sent(2, 4999)
    const r = checkQueue(h.input())
    expect(r.counts).toMatchObject({attempted: 718, ok: 715, duplicated: 1, lost: 2})
    expect(r.samples.duplicated).toEqual(['2:10000000'])
    expect(r.samples.lost).toEqual(['2:3000000000', '2:4999'])
  })

  it('a producer id too large for an exact identity key makes the answer unknown, not wrong', () => {
    const r = checkQueue(new History().sent(2 ** 21, 0).input())
    expect(r.valid).toBe('unknown')
    expect(r.error).toMatch(/producerId 2097152 exceeds/)
  })

  it('a malformed input yields unknown with the error instead of throwing', () => {
    const r = checkQueue({producers: [null as never], deliveries: [], drained: DeliveryLog.of([])})
    expect(r.valid).toBe('unknown')
    expect(r.error).toMatch(/^queue: /)
    expect(r.counts).toEqual(emptyCounts())
  })

  it('is re-runnable: the same input gives the same answer and is not modified', () => {
    const h = baseline()
    h.sent(0, 9).drain(5, 5)
    const input = h.input()
    // The logs' contents (a log's read position moves as it is read; its records must not).
    const contents = () => JSON.stringify([input.producers.map((p) => p.toArray()), input.deliveries.map((d) => d.toArray()), input.drained.toArray()])
    const before = contents()
    expect(checkQueue(input)).toEqual(checkQueue(input))
    expect(contents()).toBe(before)
  })
})
