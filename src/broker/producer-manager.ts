/**
 * Which producer clients of each group are connected here (RocketMQ ProducerManager), learned from
 * the producerDataSet of HEART_BEAT and forgotten on UNREGISTER_CLIENT, channel close or 120 s
 * without heartbeat. Only GET_PRODUCER_CONNECTION_LIST (mqadmin producerConnection) reads it.
 */
import {CHANNEL_EXPIRED_TIMEOUT_MS, type ClientChannel} from './consumer-manager.js'

export interface ProducerClient {
  clientId: string
  clientAddr: string
  language: string
  version: number
}

interface Entry {
  channel: ClientChannel
  language: string
  version: number
  lastUpdateMs: number
}

export class ProducerManager {
  private readonly groups = new Map<string, Map<string, Entry>>()

  register(group: string, clientId: string, channel: ClientChannel, client: {language: string; version: number}, nowMs = Date.now()): void {
    let clients = this.groups.get(group)
    if (!clients) this.groups.set(group, (clients = new Map()))
    clients.set(clientId, {channel, language: client.language, version: client.version, lastUpdateMs: nowMs})
  }

  unregister(group: string, clientId: string): void {
    const clients = this.groups.get(group)
    if (clients?.delete(clientId) && clients.size === 0) this.groups.delete(group)
  }

  removeChannel(channelId: number): void {
    this.removeWhere((e) => e.channel.id === channelId)
  }

  scanNotActive(nowMs = Date.now()): void {
    this.removeWhere((e) => nowMs - e.lastUpdateMs > CHANNEL_EXPIRED_TIMEOUT_MS)
  }

  /** undefined when the group has no live client (RocketMQ answers "the producer group[…] not exist"). */
  connections(group: string): ProducerClient[] | undefined {
    const clients = this.groups.get(group)
    if (!clients) return undefined
    return [...clients].map(([clientId, e]) => ({clientId, clientAddr: e.channel.remoteAddr, language: e.language, version: e.version}))
  }

  private removeWhere(dead: (e: Entry) => boolean): void {
    for (const [group, clients] of this.groups) {
      for (const [id, e] of clients) if (dead(e)) clients.delete(id)
      if (clients.size === 0) this.groups.delete(group)
    }
  }
}
