/**
 * Round-robin queue choice per topic, steering a retry away from the broker name that just failed
 * (Java's TopicPublishInfo.selectOneMessageQueue(lastBrokerName), latency fault tolerance off).
 * Each topic's counter starts at a random point so several producers do not march in lockstep.
 */
import type {MessageQueue} from './message.js'

export class QueueSelector {
  private readonly counters = new Map<string, number>()

  select(topic: string, queues: readonly MessageQueue[], lastBrokerName?: string): MessageQueue {
    if (queues.length === 0) throw new RangeError(`topic ${topic} has no writable queue`)
    if (lastBrokerName !== undefined) {
      for (let i = 0; i < queues.length; i++) {
        const mq = queues[this.next(topic) % queues.length]!
        if (mq.brokerName !== lastBrokerName) return mq
      }
    }
    return queues[this.next(topic) % queues.length]!
  }

  private next(topic: string): number {
    const n = (this.counters.get(topic) ?? Math.floor(Math.random() * 1024)) + 1
    this.counters.set(topic, n & 0x3fffffff)
    return n & 0x3fffffff
  }
}
