import {describe, expect, it} from 'vitest'
import {ackedQueueEnds, queueEndKey} from '../../../src/workload/acked-ends.js'
import {SendOutcome, type ProducerLedgerEntry} from '../../../src/recorder/ledger/producer-ledger.js'
import {ProducerLog} from '../../../src/recorder/ledger/producer-log.js'

const outcome = (o: Partial<ProducerLedgerEntry>): ProducerLedgerEntry =>
  ({kind: 'outcome', producerId: 0, seq: 0, intendedMs: 0, outcome: SendOutcome.SEND_OK, ...o}) as ProducerLedgerEntry

describe('ackedQueueEnds', () => {
  it('takes the highest SEND_OK queue offset + 1 per broker name and queue, ignoring other outcomes', () => {
    const ends = ackedQueueEnds([
      {brokerNames: ['broker-a', 'broker-b'], log: ProducerLog.of([
        outcome({queueId: 0, queueOffset: 4, brokerName: 0}),
        outcome({queueId: 0, queueOffset: 9, brokerName: 0}),
        outcome({queueId: 0, queueOffset: 2, brokerName: 1}),
        outcome({queueId: 1, queueOffset: 50, brokerName: 0, outcome: SendOutcome.FLUSH_DISK_TIMEOUT}),
        outcome({queueId: 1, queueOffset: 7, brokerName: 5}),
        {kind: 'start', producerId: 0, seq: 1, intendedMs: 0},
      ])},
      {brokerNames: ['broker-b'], log: ProducerLog.of([outcome({queueId: 0, queueOffset: 6, brokerName: 0})])},
    ])
    expect(Object.fromEntries(ends)).toEqual({[queueEndKey('broker-a', 0)]: 10, [queueEndKey('broker-b', 0)]: 7})
  })
})
