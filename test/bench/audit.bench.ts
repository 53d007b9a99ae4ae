/**
 * audit.check_rate: identities classified per second by checkQueue on 1M synthetic messages
 * (START + SEND_OK outcome, one delivery, one drained copy each; 0.1% lost, 0.1% duplicated).
 * audit.ledger_write: producer ledger records per second (START/OUTCOME alternating, flushSync
 * every 256 records as a producer does before issuing a batch of sends) into a temp file.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {AuditInput} from '../../src/audit/checker.js'
import type {DeliveryEntry} from '../../src/recorder/ledger/delivery-ledger.js'
import {DeliveryLog} from '../../src/recorder/ledger/delivery-log.js'
import {ProducerLog} from '../../src/recorder/ledger/producer-log.js'
import {type ProducerLedgerEntry, ProducerLedgerWriter, SendOutcome} from '../../src/recorder/ledger/producer-ledger.js'
import {checkQueue} from '../../src/audit/queue-checker.js'
import {type Bench, opsPerSecond} from './bench.js'

const MESSAGES = 1_000_000
const PRODUCERS = 4

function syntheticInput(): AuditInput {
  const producers: ProducerLedgerEntry[][] = Array.from({length: PRODUCERS}, () => [])
  const consumed: DeliveryEntry[] = []
  const drained: DeliveryEntry[] = []
  for (let i = 0; i < MESSAGES; i++) {
    const producerId = i % PRODUCERS
    const seq = Math.floor(i / PRODUCERS)
    producers[producerId]!.push({kind: 'start', producerId, seq, intendedMs: i})
    producers[producerId]!.push({kind: 'outcome', producerId, seq, outcome: SendOutcome.SEND_OK, intendedMs: i, ackMs: i + 1, queueId: i % 8, queueOffset: seq})
    if (i % 1000 === 7) continue // lost
    const e: DeliveryEntry = {producerId, seq, queueId: i % 8, queueOffset: seq, brokerId: 0, reconsumeTimes: 0, crcOk: true,
      deliveredMs: i + 2, bornMs: i, storeMs: i + 1, topic: 0}
    consumed.push(e)
    if (i % 1000 === 3) consumed.push(e) // duplicated
    drained.push(e)
  }
  return {producers: producers.map((p) => ProducerLog.of(p)), deliveries: [DeliveryLog.of(consumed)], drained: DeliveryLog.of(drained)}
}

export const benches: Bench[] = [
  {
    name: 'audit.check_rate',
    run: async () => {
      const input = syntheticInput()
      checkQueue(input) // warm-up
      const runs = 3
      const start = process.hrtime.bigint()
      for (let i = 0; i < runs; i++) {
        const r = checkQueue(input)
        if (r.counts.attempted !== MESSAGES || r.counts.lost !== MESSAGES / 1000) throw new Error(`bad audit: ${JSON.stringify(r.counts)}`)
      }
      const seconds = Number(process.hrtime.bigint() - start) / 1e9
      return {value: Math.round((runs * MESSAGES) / seconds), unit: 'identities/s', messages: MESSAGES, entries: 4 * MESSAGES}
    },
  },
  {
    name: 'audit.ledger_write',
    run: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mqb-bench-ledger-'))
      try {
        const w = new ProducerLedgerWriter(join(dir, 'p.ledger'))
        let seq = 0
        const outcome = {producerId: 1, seq: 0, outcome: SendOutcome.SEND_OK, intendedMs: 0, ackMs: 0, queueId: 3, queueOffset: 0}
        const value = await opsPerSecond(() => {
          if ((seq & 1) === 0) {
            w.start(1, seq, seq)
          } else {
            outcome.seq = seq
            outcome.intendedMs = seq
            outcome.ackMs = seq + 1
            outcome.queueOffset = seq
            w.outcome(outcome)
          }
          if ((++seq & 255) === 0) w.flushSync()
        }, 1000, 1024)
        w.close()
        return {value, unit: 'records/s', recordBytes: 48, flushEveryRecords: 256}
      } finally {
        rmSync(dir, {recursive: true, force: true})
      }
    },
  },
]
