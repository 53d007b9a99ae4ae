/**
 * workload.client / workload.java in the scenario schema: the Java client's settings in RocketMQ's
 * spelling, refused when unknown, misplaced or contradictory; and the client result.json names.
 */
import {describe, expect, it} from 'vitest'

import {clientRef} from '../../../src/scenario/java-client.js'
import {WorkloadSchema} from '../../../src/scenario/schema.js'

function issues(w: Record<string, unknown>): string[] {
  const r = WorkloadSchema.safeParse(w)
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
}

describe('workload.client and workload.java', () => {
  it('defaults to our client, and java settings parse in RocketMQ spelling', () => {
    expect(WorkloadSchema.parse({}).client).toBe('mqbench')
    const w = WorkloadSchema.parse({client: 'java', java: {producer: {retryAnotherBrokerWhenNotStoreOK: true}, consumer: {messageModel: 'CLUSTERING', pullBatchSize: 16}}})
    expect(w.java).toEqual({version: '5.3.3', producer: {retryAnotherBrokerWhenNotStoreOK: true}, consumer: {messageModel: 'CLUSTERING', pullBatchSize: 16}})
  })

  it('refuses an unknown setting, naming it', () => {
    const r = WorkloadSchema.safeParse({client: 'java', java: {consumer: {consumeThreads: 4}}})
    expect(r.success).toBe(false)
    expect(JSON.stringify(r.error!.issues)).toContain('consumeThreads')
  })

  it('refuses java settings without client java, a bad enum and a bad version; takes an outbox like ours', () => {
    expect(issues({java: {}})).toEqual(['java: expected client: java with java settings'])
    expect(issues({client: 'java', outbox: true})).toEqual([])
    expect(issues({client: 'java', outbox: true, sendMode: 'oneway'})[0]).toMatch(/^outbox: expected sendMode sync or async/)
    expect(issues({client: 'java', java: {consumer: {consumeFromWhere: 'CONSUME_FROM_MAX_OFFSET'}}})[0]).toMatch(/^java\.consumer\.consumeFromWhere/)
    expect(issues({client: 'java', java: {version: 'latest'}})).toEqual(['java.version: expected a client version like 5.3.3 or 4.9.7'])
    expect(issues({client: 'java', java: {consumer: {consumeThreadMin: 4, consumeThreadMax: 2}}})).toEqual(['java.consumer.consumeThreadMax: expected at least consumeThreadMin (4)'])
  })

  it('names the client for result.json', () => {
    expect(clientRef(WorkloadSchema.parse({client: 'java', java: {version: '4.9.7'}}), '0.1.0')).toEqual({implementation: 'apache-rocketmq-client-java', version: '4.9.7'})
    expect(clientRef(WorkloadSchema.parse({}), '0.1.0')).toEqual({implementation: 'mqbench', version: '0.1.0'})
  })
})
