import {describe, expect, it} from 'vitest'
import type {ConsumptionResult} from '../../../src/audit/consumption-checker.js'
import {consumptionChecks} from '../../../src/audit/consumption-verdict.js'

function result(over: Partial<ConsumptionResult['counts']>): ConsumptionResult {
  const counts = {acked: 10, processed: 10, unprocessed: 0, deadLettered: 0, retriedProcessings: 0, duplicated: 0, duplicatedBrokerCaused: 0, duplicatedRetryCaused: 0, processings: 10, ...over}
  return {valid: counts.unprocessed === 0, counts, samples: counts.unprocessed > 0 ? {unprocessed: ['0:1']} : {}}
}

describe('consumptionChecks', () => {
  it('a correct practice fails on any unprocessed message and names samples', () => {
    const [c] = consumptionChecks('ack-after-process', 'g', result({processed: 8, unprocessed: 2}))
    expect(c).toMatchObject({pass: false, observed: '2 of 10 SEND_OK messages never processed', lostSamples: ['0:1']})
    expect(consumptionChecks('reconsume-later', 'g', result({processed: 9, deadLettered: 1}))[0]!.pass).toBe(true)
  })

  it('an anti-pattern shows its loss without failing the run', () => {
    const [c] = consumptionChecks('ack-before-process', 'g', result({processed: 7, unprocessed: 3}))
    expect(c).toMatchObject({pass: true, observed: '3 of 10 SEND_OK messages never processed'})
  })

  it('idempotent also promises no duplicate effect', () => {
    const checks = consumptionChecks('idempotent', 'g', result({duplicated: 1}))
    expect(checks.map((c) => [c.name, c.pass])).toEqual([['g: no-unprocessed', true], ['g: no-duplicate-effect', false]])
  })
})
