/**
 * Topic routes from the namesrv (GET_ROUTEINFO_BY_TOPIC), cached per topic and refreshed every
 * 30 s like Java's MQClientInstance, plus on demand after a failure. It also keeps the broker
 * address table (brokerName → brokerId → addr) every fetched route contributes to, since sends go
 * to a broker name's master and pulls to whichever of its addresses is alive.
 */
import {ConnectionError, RemotingError} from '../errors.js'
import {type BrokerData, decodeTopicRouteData, type QueueData, type TopicRouteData} from '../protocol/bodies/topic-route-data.js'
import {MASTER_ID} from '../protocol/common/mix-all.js'
import {encodeGetRouteInfoRequestHeader} from '../protocol/headers/namesrv.js'
import {newRequest, type RemotingCommand} from '../protocol/remoting-command.js'
import {RequestCode} from '../protocol/request-code.js'
import {ResponseCode, responseCodeName} from '../protocol/response-code.js'
import type {RemotingClient} from '../remoting/remoting-client.js'
import type {MessageQueue} from './message.js'
import {PermName} from '../protocol/common/perm-name.js'

export const DEFAULT_ROUTE_REFRESH_MS = 30_000

export interface RouteCacheOptions {
  remoting: RemotingClient
  /** One or more namesrv addresses, ';'-separated as in NAMESRV_ADDR. */
  namesrvAddr: string
  timeoutMs?: number
  refreshIntervalMs?: number
  log?: (line: string) => void
}

/** Java's topicRouteData2TopicPublishInfo: writable queues of broker names that have a master. */
export function publishQueues(topic: string, route: TopicRouteData): MessageQueue[] {
  const brokers = new Map(route.brokerDatas.map((b) => [b.brokerName, b]))
  const sorted = [...route.queueDatas].sort((a, b) => (a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0))
  const out: MessageQueue[] = []
  for (const qd of sorted) {
    if ((qd.perm & PermName.WRITE) === 0) continue
    if (brokers.get(qd.brokerName)?.brokerAddrs[MASTER_ID] === undefined) continue
    for (let queueId = 0; queueId < qd.writeQueueNums; queueId++) out.push({topic, brokerName: qd.brokerName, queueId})
  }
  return out
}

/** Java's topicRouteData2TopicSubscribeInfo: readable queues, whatever brokers are alive. */
export function subscribeQueues(topic: string, route: TopicRouteData): MessageQueue[] {
  const out: MessageQueue[] = []
  for (const qd of route.queueDatas) {
    if ((qd.perm & PermName.READ) === 0) continue
    for (let queueId = 0; queueId < qd.readQueueNums; queueId++) out.push({topic, brokerName: qd.brokerName, queueId})
  }
  return out
}

/**
 * The route a producer borrows for a topic the namesrv does not know yet: the default topic's
 * brokers with min(defaultTopicQueueNums, writeQueueNums) queues, so the broker auto-creates it
 * (Java's tryToFindTopicPublishInfo with TBW102).
 */
export function borrowDefaultRoute(route: TopicRouteData, defaultTopicQueueNums: number): TopicRouteData {
  const queueDatas: QueueData[] = route.queueDatas.map((qd) => {
    const n = Math.min(defaultTopicQueueNums, qd.writeQueueNums)
    return {...qd, readQueueNums: n, writeQueueNums: n}
  })
  return {...route, queueDatas}
}

interface CachedRoute {
  route: TopicRouteData
  fetchedAtMs: number
}

export class RouteCache {
  private readonly routes = new Map<string, CachedRoute>()
  private readonly inflight = new Map<string, Promise<TopicRouteData>>()
  private readonly brokers = new Map<string, BrokerData>()
  private readonly namesrvAddrs: string[]
  private namesrvIndex = 0
  private timer: NodeJS.Timeout | undefined
  private readonly timeoutMs: number
  private readonly log: (line: string) => void

  constructor(private readonly opts: RouteCacheOptions) {
    this.namesrvAddrs = opts.namesrvAddr.split(';').map((a) => a.trim()).filter((a) => a !== '')
    if (this.namesrvAddrs.length === 0) throw new ConnectionError(`namesrvAddr "${opts.namesrvAddr}" names no address`)
    this.timeoutMs = opts.timeoutMs ?? 3000
    this.log = opts.log ?? (() => {})
  }

  /** Starts the periodic refresh of every topic asked for so far. */
  start(): void {
    if (this.timer !== undefined) return
    this.timer = setInterval(() => this.refreshAll(), this.opts.refreshIntervalMs ?? DEFAULT_ROUTE_REFRESH_MS)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
  }

  /** Cached route, or a fetch; concurrent callers share one request. TOPIC_NOT_EXIST → RemotingError(17). */
  async getRoute(topic: string, opts: {refresh?: boolean} = {}): Promise<TopicRouteData> {
    const cached = this.routes.get(topic)
    if (cached !== undefined && opts.refresh !== true) return cached.route
    return this.fetch(topic)
  }

  cachedRoute(topic: string): TopicRouteData | undefined {
    return this.routes.get(topic)?.route
  }

  /** Refetches in the background (after a failed send); errors only reach the log. */
  refreshSoon(topic: string): void {
    if (this.inflight.has(topic)) return
    this.fetch(topic).catch((err: Error) => this.log(`route refresh of ${topic} failed: ${err.message}`))
  }

  /** brokerId → addr for a broker name, from every route fetched so far. */
  brokerAddrs(brokerName: string): Record<string, string> | undefined {
    return this.brokers.get(brokerName)?.brokerAddrs
  }

  masterAddr(brokerName: string): string | undefined {
    return this.brokerAddrs(brokerName)?.[MASTER_ID]
  }

  /** Every known broker address (masters and slaves), for heartbeats. */
  allBrokerAddrs(): string[] {
    const out = new Set<string>()
    for (const b of this.brokers.values()) for (const addr of Object.values(b.brokerAddrs)) out.add(addr)
    return [...out]
  }

  private fetch(topic: string): Promise<TopicRouteData> {
    const running = this.inflight.get(topic)
    if (running !== undefined) return running
    const p = this.request(topic).finally(() => this.inflight.delete(topic))
    this.inflight.set(topic, p)
    return p
  }

  private async request(topic: string): Promise<TopicRouteData> {
    // acceptStandardJsonOnly: a 4.9.4+ namesrv then quotes the numeric brokerAddrs keys (§4.4).
    const req = newRequest(RequestCode.GET_ROUTEINFO_BY_TOPIC, encodeGetRouteInfoRequestHeader({topic, acceptStandardJsonOnly: true}))
    const response = await this.invokeNamesrv(req)
    if (response.code !== ResponseCode.SUCCESS) {
      throw new RemotingError(
        response.code,
        `no route for topic ${topic}: ${responseCodeName(response.code)}${response.remark ? ` (${response.remark})` : ''}`,
        {topic, remark: response.remark},
      )
    }
    const route = decodeTopicRouteData(response.body)
    this.routes.set(topic, {route, fetchedAtMs: Date.now()})
    for (const b of route.brokerDatas) this.brokers.set(b.brokerName, b)
    return route
  }

  /** Tries each namesrv in turn, starting with the last one that answered. */
  async invokeNamesrv(req: RemotingCommand): Promise<RemotingCommand> {
    let lastError: unknown
    for (let i = 0; i < this.namesrvAddrs.length; i++) {
      const idx = (this.namesrvIndex + i) % this.namesrvAddrs.length
      try {
        const response = await this.opts.remoting.invoke(this.namesrvAddrs[idx]!, req, this.timeoutMs)
        this.namesrvIndex = idx
        return response
      } catch (err) {
        lastError = err
      }
    }
    throw lastError
  }

  private refreshAll(): void {
    for (const topic of this.routes.keys()) this.refreshSoon(topic)
  }
}
