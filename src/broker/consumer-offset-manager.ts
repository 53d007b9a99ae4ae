/**
 * Committed consumer offsets (RocketMQ ConsumerOffsetManager), keyed `topic@group` → queueId →
 * offset, persisted as config/consumerOffset.json every flushConsumerOffsetInterval and at stop.
 * A kill -9 loses the commits since the last persist, exactly as in RocketMQ: redelivery, not loss.
 */
import {join} from 'node:path'
import {persistAtomically, readIfExists} from './config-file.js'

const TOPIC_GROUP_SEPARATOR = '@'

export class ConsumerOffsetManager {
  private readonly table = new Map<string, Map<number, number>>()
  /** Where each group's last pull ended (RocketMQ's pullOffsetTable): memory only, for consume stats' in-flight. */
  private readonly pullTable = new Map<string, Map<number, number>>()
  private dirty = false
  private writing: Promise<void> = Promise.resolve()

  private constructor(private readonly path: string) {}

  static async load(configDir: string): Promise<ConsumerOffsetManager> {
    const mgr = new ConsumerOffsetManager(join(configDir, 'consumerOffset.json'))
    const text = await readIfExists(mgr.path)
    if (text !== undefined) {
      const data = JSON.parse(text) as {offsetTable?: Record<string, Record<string, number>>}
      for (const [key, queues] of Object.entries(data.offsetTable ?? {})) {
        mgr.table.set(key, new Map(Object.entries(queues).map(([q, off]) => [Number(q), off])))
      }
    }
    return mgr
  }

  commitOffset(group: string, topic: string, queueId: number, offset: number): void {
    const key = topic + TOPIC_GROUP_SEPARATOR + group
    let queues = this.table.get(key)
    if (!queues) this.table.set(key, (queues = new Map()))
    if (queues.get(queueId) === offset) return
    queues.set(queueId, offset)
    this.dirty = true
  }

  commitPullOffset(group: string, topic: string, queueId: number, nextBeginOffset: number): void {
    const key = topic + TOPIC_GROUP_SEPARATOR + group
    let queues = this.pullTable.get(key)
    if (!queues) this.pullTable.set(key, (queues = new Map()))
    queues.set(queueId, nextBeginOffset)
  }

  queryPullOffset(group: string, topic: string, queueId: number): number | undefined {
    return this.pullTable.get(topic + TOPIC_GROUP_SEPARATOR + group)?.get(queueId)
  }

  /** undefined = this group never committed for the queue (QUERY_NOT_FOUND territory). */
  queryOffset(group: string, topic: string, queueId: number): number | undefined {
    return this.table.get(topic + TOPIC_GROUP_SEPARATOR + group)?.get(queueId)
  }

  /** Topics this group has committed offsets for (ConsumerOffsetManager.whichTopicByConsumer). */
  whichTopicByConsumer(group: string): string[] {
    return this.keysMatching((topic, g) => (g === group ? topic : undefined))
  }

  /** Groups that have committed offsets for this topic (whichGroupByTopic). */
  whichGroupByTopic(topic: string): string[] {
    return this.keysMatching((t, group) => (t === topic ? group : undefined))
  }

  /** Keys are topic@group; topics never contain '@', groups may not either (RocketMQ's validation). */
  private keysMatching(pick: (topic: string, group: string) => string | undefined): string[] {
    const out: string[] = []
    for (const key of this.table.keys()) {
      const at = key.indexOf(TOPIC_GROUP_SEPARATOR)
      const v = pick(key.slice(0, at), key.slice(at + 1))
      if (v !== undefined) out.push(v)
    }
    return out.sort()
  }

  /** Serialised writes of one temp file; see TopicConfigManager.persist. */
  persist(): Promise<void> {
    if (!this.dirty) return this.writing
    this.dirty = false
    const offsetTable: Record<string, Record<string, number>> = {}
    for (const [key, queues] of this.table) offsetTable[key] = Object.fromEntries(queues)
    const text = JSON.stringify({offsetTable}, null, 2)
    this.writing = this.writing.catch(() => {}).then(() => persistAtomically(this.path, text))
    return this.writing
  }
}
