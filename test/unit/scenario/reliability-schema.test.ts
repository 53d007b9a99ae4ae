import {describe, expect, it} from 'vitest'
import {resolveScenario} from '../../../src/scenario/builtin.js'
import {ScenarioSchema} from '../../../src/scenario/schema.js'

const base = {name: 'x', description: 'x', cluster: {brokers: [{brokerName: 'a', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: 'ASYNC_FLUSH'}]}}

describe('workload.consumer and workload.outbox', () => {
  it('normalises units and defaults', () => {
    const s = ScenarioSchema.parse({...base, workload: {consumer: {behaviour: 'idempotent', processTime: '5ms'}}})
    expect(s.workload.consumer).toEqual({behaviour: 'idempotent', failureRate: 0, processTime: 5, maxReconsumeTimes: 16})
    expect(s.workload.outbox).toBe(false)
  })

  it('refuses unknown behaviours, rates outside 0..1 and an outbox with oneway sends, naming the field', () => {
    const bad = (workload: unknown) => ScenarioSchema.safeParse({...base, workload})
    const r1 = bad({consumer: {behaviour: 'yolo'}})
    expect(r1.success).toBe(false)
    expect(JSON.stringify(r1.error!.issues[0])).toMatch(/ack-after-process/)
    expect(bad({consumer: {behaviour: ['idempotent'], failureRate: 2}}).success).toBe(false)
    const r3 = bad({sendMode: 'oneway', outbox: true})
    expect(r3.success).toBe(false)
    expect(r3.error!.issues[0]!.path).toEqual(['workload', 'outbox'])
  })

  it('the four reliability scenarios load', () => {
    expect(resolveScenario('consumer-anti-patterns').scenario.workload.consumer!.behaviour).toHaveLength(4)
    expect(resolveScenario('retry-dlq').scenario.workload.consumer!.behaviour).toBe('reconsume-later')
    expect(resolveScenario('producer-outbox').scenario.workload.outbox).toBe(true)
    expect(resolveScenario('oneway-loss').scenario.workload.sendMode).toBe('oneway')
  })
})
