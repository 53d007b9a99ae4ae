/**
 * A slave serves pulls only for topics in its own table, but it gets no topic configs from the master
 * (RocketMQ's slave copies them with GET_ALL_TOPIC_CONFIG every 10 s; our brokers have no such call).
 * Instead it learns them from the replicated records: every dispatched queue makes sure its topic
 * exists here with at least that many queues — enough for consumers that fall back to the slave.
 */
import {type TopicConfigManager} from '../topic-config-manager.js'
import {newTopicConfig} from '../../protocol/common/topic-config.js'

export interface DispatchSource {
  onDispatch(cb: (topic: string, queueId: number, maxOffset: number) => void): void
}

export function learnTopicsFromDispatch(store: DispatchSource, topics: TopicConfigManager, defaultQueueNums: number): void {
  store.onDispatch((topic, queueId) => {
    const tc = topics.get(topic)
    if (tc && tc.readQueueNums > queueId) return
    const queueNums = Math.max(queueId + 1, tc?.readQueueNums ?? defaultQueueNums)
    topics.createOrUpdate(tc ? {...tc, readQueueNums: queueNums, writeQueueNums: queueNums} : newTopicConfig(topic, queueNums))
  })
}
