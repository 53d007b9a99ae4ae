/**
 * Issue 19 item 8: one create-topic request must not be able to break the broker. A topic with 100M
 * queues was accepted (any producer of it then ran out of memory), and one UPDATE_AND_CREATE_TOPIC on
 * TBW102 disabled auto-creation for good. Queue counts are capped and built-in topics protected, as
 * RocketMQ's TopicValidator does.
 */
import {afterEach, describe, expect, it} from 'vitest'
import {MAX_QUEUE_NUMS_PER_TOPIC} from '../../../../src/broker/topic-validator.js'
import {PermName} from '../../../../src/protocol/common/perm-name.js'
import {newRequest} from '../../../../src/protocol/remoting-command.js'
import {RequestCode} from '../../../../src/protocol/request-code.js'
import {ResponseCode} from '../../../../src/protocol/response-code.js'
import {type Harness, harness} from './harness.js'

let h: Harness
afterEach(() => h.dispose())

const create = (topic: string, queues: number, perm = 6) => newRequest(RequestCode.UPDATE_AND_CREATE_TOPIC, {
  topic, defaultTopic: 'TBW102', readQueueNums: String(queues), writeQueueNums: String(queues), perm: String(perm), topicFilterType: 'SINGLE_TAG', order: 'false',
})

describe('topic limits', () => {
  it(`queue counts above ${MAX_QUEUE_NUMS_PER_TOPIC} are refused; the cap itself is accepted`, async () => {
    h = await harness()
    const huge = await h.call(create('Huge', 100_000_000))
    expect(huge.code).toBe(ResponseCode.INVALID_PARAMETER)
    expect(huge.remark).toContain(`<= ${MAX_QUEUE_NUMS_PER_TOPIC}`)
    expect(h.ctx.topics.get('Huge')).toBeUndefined()
    expect((await h.call(create('Capped', MAX_QUEUE_NUMS_PER_TOPIC))).code).toBe(ResponseCode.SUCCESS)
  })

  it.each(['TBW102', 'SCHEDULE_TOPIC_XXXX', 'RMQ_SYS_TRACE_TOPIC', 'rmq_sys_anything'])('a create/update of built-in %s is refused', async (topic) => {
    h = await harness()
    const before = h.ctx.topics.get(topic)
    const r = await h.call(create(topic, 4, PermName.READ | PermName.WRITE))
    expect(r.code).toBe(ResponseCode.SYSTEM_ERROR)
    expect(r.remark).toContain('system topic')
    expect(h.ctx.topics.get(topic)).toEqual(before)
  })

  it('TBW102 keeps its INHERIT bit, so auto-creation keeps working', async () => {
    h = await harness()
    await h.call(create('TBW102', 4, PermName.READ | PermName.WRITE))
    expect(h.ctx.topics.get('TBW102')!.perm & PermName.INHERIT).toBe(PermName.INHERIT)
    expect(h.ctx.topics.createFromDefault('Auto', 'TBW102', 4)).toMatchObject({topicName: 'Auto', writeQueueNums: 4})
  })
})
