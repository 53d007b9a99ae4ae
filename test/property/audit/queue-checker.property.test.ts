import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {AUDIT_CLASSES, type AuditClass, type AuditCounts, emptyCounts} from '../../../src/audit/checker.js'
import {SendOutcome} from '../../../src/recorder/ledger/producer-ledger.js'
import {checkQueue} from '../../../src/audit/queue-checker.js'
import {History} from '../../unit/audit/history-builder.js'

const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31)

/** What happened to one identity; the generator picks it, the oracle below says what the checker must answer. */
const fateArb = fc.record({
  send: fc.constantFrom('ok', 'failed', 'unknown', 'dropped', 'never'),
  failedOutcome: fc.integer({min: 1, max: 6}),
  consumed: fc.nat(2),
  consumerWorker: fc.nat(1),
  storedMain: fc.nat(2),
  slaveCopy: fc.boolean(),
  retryCopy: fc.boolean(),
  corrupt: fc.boolean(),
})
type Fate = typeof fateArb extends fc.Arbitrary<infer T> ? T : never

function build(fates: Fate[], shuffleSeed: number): {history: History; expected: AuditCounts; classOf: Map<string, AuditClass | 'missingUnconfirmed'>} {
  const h = new History()
  const expected = emptyCounts()
  const classOf = new Map<string, AuditClass | 'missingUnconfirmed'>()
  fates.forEach((f, i) => {
    const pid = i % 4
    const seq = i
    if (f.send === 'ok') h.sent(pid, seq)
    if (f.send === 'failed') h.sent(pid, seq, f.failedOutcome)
    if (f.send === 'unknown') h.start(pid, seq)
    if (f.send === 'dropped') h.outcome(pid, seq, SendOutcome.DROPPED)
    const copies = f.consumed + f.storedMain + (f.slaveCopy ? 1 : 0) + (f.retryCopy ? 1 : 0)
    let corruptLeft = f.corrupt && copies > 0 ? 1 : 0
    const crc = () => (corruptLeft-- > 0 ? {crcOk: false} : {})
    for (let k = 0; k < f.consumed; k++) h.deliver(pid, seq, crc(), f.consumerWorker)
    for (let k = 0; k < f.storedMain; k++) h.drain(pid, seq, {queueOffset: k, ...crc()})
    if (f.slaveCopy) h.drain(pid, seq, {brokerId: 1, ...crc()})
    if (f.retryCopy) h.drain(pid, seq, {topic: 1, ...crc()})
    const attempted = f.send === 'ok' || f.send === 'failed' || f.send === 'unknown'
    const acked = f.send === 'ok'
    const found = copies > 0
    if (attempted) expected.attempted++
    if (acked) expected.acked++
    if (f.consumed > 0) expected.delivered++
    if (acked && f.storedMain === 0 && !f.slaveCopy && !f.retryCopy) expected.lostFromStore++
    expected.deliveries += f.consumed
    let cls: AuditClass | 'missingUnconfirmed' | undefined
    if (!found) cls = attempted ? (acked ? 'lost' : 'missingUnconfirmed') : undefined
    else if (!attempted) cls = 'unexpected'
    else if (f.corrupt) cls = 'corrupt'
    else if (f.consumed > 1 || f.storedMain > 1) cls = 'duplicated'
    else cls = acked ? 'ok' : 'recovered'
    if (cls !== undefined) {
      expected[cls]++
      classOf.set(`${pid}:${seq}`, cls)
    }
  })
  // The checker must not depend on the order entries were written or drained in.
  let x = shuffleSeed >>> 0
  const shuffle = <T>(a: T[]) => {
    for (let i = a.length - 1; i > 0; i--) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0
      const j = x % (i + 1)
      ;[a[i], a[j]] = [a[j]!, a[i]!]
    }
  }
  shuffle(h.drained)
  h.producers.forEach(shuffle)
  h.deliveries.forEach(shuffle)
  return {history: h, expected, classOf}
}

describe('queue checker properties', () => {
  it('counts match the oracle and add up; samples name identities of their class', () => {
    console.log('queue-checker.property seed', seed)
    fc.assert(
      fc.property(fc.array(fateArb, {maxLength: 60}), fc.nat(), (fates, shuffleSeed) => {
        const {history, expected, classOf} = build(fates, shuffleSeed)
        const r = checkQueue(history.input())
        // The drain is shuffled here, which breaks its queue runs: reordered (order-checker.test.ts) is left out,
        // every class must come out the same whatever the order.
        expect({...r.counts, reordered: 0}).toEqual(expected)
        const c = r.counts
        expect(c.ok + c.lost + c.duplicated + c.recovered + c.corrupt + c.missingUnconfirmed).toBe(c.attempted)
        expect(c.lost).toBeLessThanOrEqual(c.acked)
        expect(r.valid).toBe(c.lost + c.corrupt + c.unexpected === 0)
        for (const cls of AUDIT_CLASSES) {
          const ids = r.samples[cls] ?? []
          expect(ids.length).toBe(Math.min(10, c[cls]))
          for (const id of ids) expect(classOf.get(id)).toBe(cls)
        }
      }),
      {seed, numRuns: 300},
    )
  })

  it('removing every copy of an ok message makes exactly it lost; adding a second delivery makes it duplicated', () => {
    fc.assert(
      fc.property(fc.array(fateArb, {minLength: 1, maxLength: 40}), fc.nat(), (fates, pick) => {
        const victim = pick % fates.length
        fates[victim] = {send: 'ok', failedOutcome: 1, consumed: 1, consumerWorker: 0, storedMain: 1, slaveCopy: false, retryCopy: false, corrupt: false}
        const label = `${victim % 4}:${victim}`
        const before = checkQueue(build(fates, 0).history.input())
        const isVictim = (e: {producerId: number; seq: number}) => e.producerId === victim % 4 && e.seq === victim
        const dropped = build(fates, 0).history
        dropped.deliveries.forEach((l, i) => (dropped.deliveries[i] = l.filter((e) => !isVictim(e))))
        dropped.drained.splice(0, dropped.drained.length, ...dropped.drained.filter((e) => !isVictim(e)))
        const lost = checkQueue(dropped.input())
        expect(lost.counts.lost).toBe(before.counts.lost + 1)
        expect(lost.counts.ok).toBe(before.counts.ok - 1)
        expect(lost.valid).toBe(false)
        if (before.counts.lost < 10) expect(lost.samples.lost).toContain(label)
        const twice = build(fates, 0).history.deliver(victim % 4, victim, {}, 1)
        const dup = checkQueue(twice.input())
        expect(dup.counts.duplicated).toBe(before.counts.duplicated + 1)
        expect(dup.counts.ok).toBe(before.counts.ok - 1)
        expect(dup.valid).toBe(before.valid)
      }),
      {seed, numRuns: 200},
    )
  })
})
