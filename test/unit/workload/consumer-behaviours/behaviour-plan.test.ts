import {describe, expect, it} from 'vitest'
import {behaviourGroups} from '../../../../src/workload/consumer-behaviours/behaviour-plan.js'

const spec = {failureRate: 0.1, processTime: 5, maxReconsumeTimes: 3}

describe('behaviourGroups', () => {
  it('no behaviour: the one plain group', () => {
    expect(behaviourGroups('g', undefined, '/s')).toEqual([{consumerGroup: 'g'}])
  })

  it('one behaviour keeps the group name; a list makes one group per behaviour', () => {
    expect(behaviourGroups('g', {...spec, behaviour: 'reconsume-later'}, '/s')).toEqual([
      {consumerGroup: 'g', behaviour: {name: 'reconsume-later', failureRate: 0.1, processMs: 5, maxReconsumeTimes: 3}},
    ])
    const side = behaviourGroups('g', {...spec, behaviour: ['ack-before-process', 'idempotent']}, '/s')
    expect(side.map((p) => p.consumerGroup)).toEqual(['g-ack-before-process', 'g-idempotent'])
    expect(side[1]!.behaviour!.idempotencyStorePath).toBe('/s/g-idempotent.idempotency')
    expect(side[0]!.behaviour!.idempotencyStorePath).toBeUndefined()
  })
})
