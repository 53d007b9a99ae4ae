/**
 * Which clients of each consumer group are connected here (RocketMQ ConsumerManager), learned from
 * HEART_BEAT and forgotten on UNREGISTER_CLIENT, channel close or 120 s without heartbeat. When a
 * group's membership changes every remaining member gets a oneway NOTIFY_CONSUMER_IDS_CHANGED so it
 * rebalances at once instead of within 20 s.
 */
import type {ConsumeType, MessageModel} from '../protocol/bodies/heartbeat-data.js'
import {newRequest, RemotingFlag, type RemotingCommand} from '../protocol/remoting-command.js'
import {RequestCode} from '../protocol/request-code.js'

/** The part of a connection the manager needs: the remoting server's ConnectionContext fits. */
export interface ClientChannel {
  readonly id: number
  readonly remoteAddr: string
  send(cmd: RemotingCommand): void
}

export interface Subscription {
  topic: string
  subString: string
  expressionType: string
  subVersion: number
  /** The rest of the heartbeat's SubscriptionData, echoed by GET_CONSUMER_CONNECTION_LIST. */
  tagsSet?: string[]
  codeSet?: number[]
  classFilterMode?: boolean
}

/** What a heartbeat tells about the client and its group (RocketMQ ClientChannelInfo + ConsumerGroupInfo). */
export interface ConsumerMeta {
  language: string
  version: number
  consumeType: ConsumeType
  messageModel: MessageModel
  consumeFromWhere: string
}

interface ClientEntry {
  channel: ClientChannel
  lastUpdateMs: number
  language: string
  version: number
}

interface GroupEntry {
  clients: Map<string, ClientEntry>
  subscriptions: Map<string, Subscription>
  meta?: Omit<ConsumerMeta, 'language' | 'version'>
}

export interface ConsumerGroupInfo {
  consumeType: ConsumeType
  messageModel: MessageModel
  consumeFromWhere: string
  clients: Array<{clientId: string; clientAddr: string; language: string; version: number}>
  subscriptions: Subscription[]
}

/** A client registered without heartbeat data (tests): RocketMQ's defaults for a pull consumer. */
const UNKNOWN_META: Omit<ConsumerMeta, 'language' | 'version'> = {
  consumeType: 'CONSUME_ACTIVELY', messageModel: 'CLUSTERING', consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
}

/** RocketMQ's channelExpiredTimeout. */
export const CHANNEL_EXPIRED_TIMEOUT_MS = 120_000

export class ConsumerManager {
  private readonly groups = new Map<string, GroupEntry>()

  /** HEART_BEAT for one consumer group; returns true when the client is new to the group. */
  register(
    group: string, clientId: string, channel: ClientChannel, subscriptions: Subscription[], nowMs = Date.now(), meta?: ConsumerMeta,
  ): boolean {
    let entry = this.groups.get(group)
    if (!entry) this.groups.set(group, (entry = {clients: new Map(), subscriptions: new Map()}))
    for (const s of subscriptions) entry.subscriptions.set(s.topic, s)
    if (meta) entry.meta = {consumeType: meta.consumeType, messageModel: meta.messageModel, consumeFromWhere: meta.consumeFromWhere}
    const known = entry.clients.get(clientId)
    entry.clients.set(clientId, {channel, lastUpdateMs: nowMs, language: meta?.language ?? 'JAVA', version: meta?.version ?? 0})
    const added = known === undefined || known.channel.id !== channel.id
    if (added) this.notifyIdsChanged(group)
    return added
  }

  unregister(group: string, clientId: string): boolean {
    const entry = this.groups.get(group)
    if (!entry?.clients.delete(clientId)) return false
    this.notifyIdsChanged(group)
    return true
  }

  /** Channel closed: drop that client from every group it was in. */
  removeChannel(channelId: number): void {
    for (const [group, entry] of this.groups) {
      let removed = false
      for (const [clientId, c] of entry.clients) {
        if (c.channel.id === channelId) removed = entry.clients.delete(clientId) || removed
      }
      if (removed) this.notifyIdsChanged(group)
    }
  }

  /** Periodic scan: clients silent for CHANNEL_EXPIRED_TIMEOUT_MS are dropped. */
  scanNotActive(nowMs = Date.now()): void {
    for (const [group, entry] of this.groups) {
      let removed = false
      for (const [clientId, c] of entry.clients) {
        if (nowMs - c.lastUpdateMs > CHANNEL_EXPIRED_TIMEOUT_MS) removed = entry.clients.delete(clientId) || removed
      }
      if (removed) this.notifyIdsChanged(group)
    }
  }

  clientIds(group: string): string[] {
    return [...(this.groups.get(group)?.clients.keys() ?? [])].sort()
  }

  subscription(group: string, topic: string): Subscription | undefined {
    return this.groups.get(group)?.subscriptions.get(topic)
  }

  /** GET_CONSUMER_CONNECTION_LIST: undefined when no client of the group is connected (CONSUMER_NOT_ONLINE). */
  groupInfo(group: string): ConsumerGroupInfo | undefined {
    const entry = this.groups.get(group)
    if (!entry || entry.clients.size === 0) return undefined
    return {
      ...(entry.meta ?? UNKNOWN_META),
      clients: [...entry.clients].map(([clientId, c]) => ({clientId, clientAddr: c.channel.remoteAddr, language: c.language, version: c.version})),
      subscriptions: [...entry.subscriptions.values()],
    }
  }

  /** Groups with a connected client subscribed to the topic (ConsumerManager.queryTopicConsumeByWho). */
  groupsConsuming(topic: string): string[] {
    return [...this.groups].filter(([, e]) => e.clients.size > 0 && e.subscriptions.has(topic)).map(([g]) => g)
  }

  subscriptionCount(group: string): number {
    return this.groups.get(group)?.subscriptions.size ?? 0
  }

  private notifyIdsChanged(group: string): void {
    const entry = this.groups.get(group)
    if (!entry) return
    for (const c of entry.clients.values()) {
      const req = newRequest(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, {consumerGroup: group})
      req.flag |= RemotingFlag.ONEWAY
      try {
        c.channel.send(req)
      } catch {
        // A dying channel: its close handler removes it; the others still get notified.
      }
    }
  }
}
