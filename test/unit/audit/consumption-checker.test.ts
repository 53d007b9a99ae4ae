import {describe, expect, it} from 'vitest'
import {checkConsumption} from '../../../src/audit/consumption-checker.js'
import type {DeliveryEntry} from '../../../src/recorder/ledger/delivery-ledger.js'
import {type ProducerLedgerEntry, SendOutcome} from '../../../src/recorder/ledger/producer-ledger.js'
import {DeliveryLog} from '../../../src/recorder/ledger/delivery-log.js'
import {ProducerLog} from '../../../src/recorder/ledger/producer-log.js'

const ack = (seq: number, outcome: number = SendOutcome.SEND_OK): ProducerLedgerEntry =>
  ({kind: 'outcome', producerId: 0, seq, outcome, intendedMs: 0})
const seen = (seq: number, reconsumeTimes = 0, topic = 0): DeliveryEntry => ({
  producerId: 0, seq, queueId: 0, queueOffset: seq, brokerId: 0, reconsumeTimes, crcOk: true, deliveredMs: 0, bornMs: 0, storeMs: 0, topic,
})

describe('checkConsumption', () => {
  it('an acked message stored but never processed is unprocessed, one parked in %DLQ% is dead-lettered', () => {
    const r = checkConsumption({
      producers: [ProducerLog.of([ack(0), ack(1), ack(2), ack(3, SendOutcome.ERROR_TIMEOUT)])],
      deliveries: [DeliveryLog.of([seen(0)])],
      drained: DeliveryLog.of([seen(0), seen(1), seen(2), seen(2, 17, 2)]),
    })
    expect(r.valid).toBe(false)
    expect(r.counts).toMatchObject({acked: 3, processed: 1, unprocessed: 1, deadLettered: 1})
    expect(r.samples).toEqual({unprocessed: ['0:1'], deadLettered: ['0:2']})
  })

  it('splits duplicates: the same copy twice is broker-caused, a copy from %RETRY% after another is retry-caused', () => {
    const r = checkConsumption({
      producers: [ProducerLog.of([ack(0), ack(1), ack(2)])],
      deliveries: [DeliveryLog.of([seen(0), seen(1), seen(2, 2, 1)]), DeliveryLog.of([seen(0), seen(1, 1, 1)])],
      drained: DeliveryLog.of([]),
    })
    expect(r.valid).toBe(true)
    expect(r.counts).toMatchObject({processed: 3, duplicated: 2, duplicatedBrokerCaused: 1, duplicatedRetryCaused: 1, retriedProcessings: 2, processings: 5})
    expect(r.samples.duplicated).toEqual(['0:0', '0:1'])
  })
})
