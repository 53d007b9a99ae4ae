/**
 * Which clients of each consumer group are connected here (RocketMQ ConsumerManager), learned from
 * HEART_BEAT and forgotten on UNREGISTER_CLIENT, channel close or 120 s without heartbeat. When a
 * group's membership changes every remaining member gets a oneway NOTIFY_CONSUMER_IDS_CHANGED so it
 * rebalances at once instead of within 20 s.
 */
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
}

interface ClientEntry {
  channel: ClientChannel
  lastUpdateMs: number
}

interface GroupEntry {
  clients: Map<string, ClientEntry>
  subscriptions: Map<string, Subscription>
}

/** RocketMQ's channelExpiredTimeout. */
export const CHANNEL_EXPIRED_TIMEOUT_MS = 120_000

export class ConsumerManager {
  private readonly groups = new Map<string, GroupEntry>()

  /** HEART_BEAT for one consumer group; returns true when the client is new to the group. */
  register(group: string, clientId: string, channel: ClientChannel, subscriptions: Subscription[], nowMs = Date.now()): boolean {
    let entry = this.groups.get(group)
    if (!entry) this.groups.set(group, (entry = {clients: new Map(), subscriptions: new Map()}))
    for (const s of subscriptions) entry.subscriptions.set(s.topic, s)
    const known = entry.clients.get(clientId)
    entry.clients.set(clientId, {channel, lastUpdateMs: nowMs})
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
