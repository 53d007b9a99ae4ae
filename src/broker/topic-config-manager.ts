/**
 * The broker's topic table (RocketMQ TopicConfigManager): which topics exist here, with how many
 * queues and which permissions; persisted as config/topics.json and sent to namesrv in every
 * REGISTER_BROKER. dataVersion changes whenever the table does, so namesrv re-reads it.
 */
import {join} from 'node:path'
import {AUTO_CREATE_TOPIC_KEY_TOPIC} from '../protocol/common/mix-all.js'
import {PermName} from '../protocol/common/perm-name.js'
import {type DataVersion, newTopicConfig, type TopicConfig} from '../protocol/common/topic-config.js'
import {persistAtomically, readIfExists} from './config-file.js'

const TOPIC_NAME = /^[A-Za-z0-9%_|-]{1,255}$/

export function isValidTopicName(topic: string): boolean {
  return TOPIC_NAME.test(topic) && (topic.length <= 127 || topic.startsWith('%'))
}

export class TopicConfigManager {
  private readonly table = new Map<string, TopicConfig>()
  private version: DataVersion = {counter: 0, timestamp: Date.now()}
  private readonly listeners: Array<(tc: TopicConfig) => void> = []
  private dirty = false
  private writing: Promise<void> = Promise.resolve()

  private constructor(private readonly path: string) {}

  /** Loads config/topics.json if present; creates TBW102 when auto-creation is on (as RocketMQ does). */
  static async load(configDir: string, opts: {autoCreateTopicEnable: boolean; defaultTopicQueueNums: number}): Promise<TopicConfigManager> {
    const mgr = new TopicConfigManager(join(configDir, 'topics.json'))
    const text = await readIfExists(mgr.path)
    if (text !== undefined) {
      const data = JSON.parse(text) as {topicConfigTable?: Record<string, TopicConfig>; dataVersion?: DataVersion}
      for (const tc of Object.values(data.topicConfigTable ?? {})) mgr.table.set(tc.topicName, tc)
      if (data.dataVersion) mgr.version = {...data.dataVersion}
    }
    if (opts.autoCreateTopicEnable && !mgr.table.has(AUTO_CREATE_TOPIC_KEY_TOPIC)) {
      const perm = PermName.INHERIT | PermName.READ | PermName.WRITE
      mgr.put(newTopicConfig(AUTO_CREATE_TOPIC_KEY_TOPIC, opts.defaultTopicQueueNums, perm))
    }
    return mgr
  }

  get(topic: string): TopicConfig | undefined {
    return this.table.get(topic)
  }

  all(): TopicConfig[] {
    return [...this.table.values()]
  }

  dataVersion(): DataVersion {
    return {...this.version}
  }

  /** Called with every created or changed topic (the controller re-registers with namesrv). */
  onChange(cb: (tc: TopicConfig) => void): void {
    this.listeners.push(cb)
  }

  /** UPDATE_AND_CREATE_TOPIC: replaces the config; returns true when anything changed. */
  createOrUpdate(tc: TopicConfig): boolean {
    const old = this.table.get(tc.topicName)
    if (old && JSON.stringify(old) === JSON.stringify(tc)) return false
    this.put(tc)
    return true
  }

  /**
   * SEND to an unknown topic (TopicConfigManager.createTopicInSendMessageMethod): allowed only when the
   * named default topic exists here with the INHERIT bit; queues = min(requested, template's write queues).
   */
  createFromDefault(topic: string, defaultTopic: string, requestedQueueNums: number): TopicConfig | undefined {
    const existing = this.table.get(topic)
    if (existing) return existing
    const template = this.table.get(defaultTopic)
    if (!template || (template.perm & PermName.INHERIT) === 0) return undefined
    const queueNums = Math.max(1, Math.min(requestedQueueNums, template.writeQueueNums))
    const tc = newTopicConfig(topic, queueNums, template.perm & ~PermName.INHERIT)
    this.put(tc)
    return tc
  }

  /** %RETRY%<group> (heartbeat, send-back) and %DLQ%<group>: created on demand, 1 queue, RW. */
  createSystemTopic(topic: string, queueNums = 1): TopicConfig {
    return this.table.get(topic) ?? this.put(newTopicConfig(topic, queueNums))
  }

  /**
   * Writes topics.json if anything changed; writes are serialised (one temp file) and a caller that
   * finds nothing dirty still waits for the write in flight, so "persisted" means on disk.
   */
  persist(): Promise<void> {
    if (!this.dirty) return this.writing
    this.dirty = false
    const text = JSON.stringify({dataVersion: this.version, topicConfigTable: Object.fromEntries(this.table)}, null, 2)
    this.writing = this.writing.catch(() => {}).then(() => persistAtomically(this.path, text))
    return this.writing
  }

  private put(tc: TopicConfig): TopicConfig {
    this.table.set(tc.topicName, tc)
    this.version = {counter: this.version.counter + 1, timestamp: Date.now()}
    this.dirty = true
    for (const l of this.listeners) l(tc)
    return tc
  }
}
