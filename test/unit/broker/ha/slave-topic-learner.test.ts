import * as path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {learnTopicsFromDispatch} from '../../../../src/broker/ha/slave-topic-learner.js'
import {TopicConfigManager} from '../../../../src/broker/topic-config-manager.js'
import {newTopicConfig} from '../../../../src/protocol/common/topic-config.js'
import {tempDir} from '../store/helpers.js'

const tmp = tempDir('mqbench-topic-learner-')
afterAll(() => tmp.cleanup())

async function setup(name: string) {
  const topics = await TopicConfigManager.load(path.join(tmp.dir, name), {autoCreateTopicEnable: false, defaultTopicQueueNums: 8})
  let dispatch: (topic: string, queueId: number, maxOffset: number) => void = () => undefined
  learnTopicsFromDispatch({onDispatch: (cb) => (dispatch = cb)}, topics, 4)
  return {topics, dispatch: (t: string, q: number) => dispatch(t, q, 1)}
}

describe('learnTopicsFromDispatch (slave)', () => {
  it('creates an unknown topic with the default queue count, or more when a higher queue shows up', async () => {
    const {topics, dispatch} = await setup('a')
    dispatch('T', 1)
    expect(topics.get('T')).toMatchObject({readQueueNums: 4, writeQueueNums: 4, perm: 6})
    dispatch('U', 9)
    expect(topics.get('U')).toMatchObject({readQueueNums: 10, writeQueueNums: 10})
  })

  it('grows a known topic only when a queue beyond it appears, keeping its other settings', async () => {
    const {topics, dispatch} = await setup('b')
    topics.createOrUpdate({...newTopicConfig('K', 2), order: true})
    const before = topics.dataVersion().counter
    dispatch('K', 1)
    expect(topics.dataVersion().counter).toBe(before)
    dispatch('K', 5)
    expect(topics.get('K')).toMatchObject({readQueueNums: 6, writeQueueNums: 6, order: true})
  })
})
