/**
 * Rates and daily totals for GET_BROKER_RUNTIME_INFO (RocketMQ StoreStatsService sampling and
 * BrokerStats' morning snapshots): once a second the broker's counters are copied into a ring of
 * the last 10 minutes, so putTps and friends are real 10 s / 60 s / 600 s averages, and at each local
 * midnight the totals are remembered, so clusterList's yesterday/today columns are real too.
 */
import {monitorEventLoopDelay, type IntervalHistogram} from 'node:perf_hooks'

/** Counters for GET_BROKER_RUNTIME_INFO; plain numbers, bumped on the hot path without allocation. */
export interface BrokerStats {
  putMessageTimes: number
  putMessageFailedTimes: number
  getMessageFoundTimes: number
  getMessageMissTimes: number
  pullsHeld: number
  /** Messages handed to consumers (getTransferredTps; msgGetTotal* in clusterList). */
  getMessageTransferredMsgs: number
  /** Messages pulled per `topic@group` (the consume TPS of GET_CONSUME_STATS). */
  groupGetNums: Map<string, number>
  /** Messages stored per topic (topicPutTps of GET_TOPIC_STATS_INFO). */
  topicPutNums: Map<string, number>
}

export function newBrokerStats(): BrokerStats {
  return {
    putMessageTimes: 0, putMessageFailedTimes: 0, getMessageFoundTimes: 0, getMessageMissTimes: 0, pullsHeld: 0,
    getMessageTransferredMsgs: 0, groupGetNums: new Map(), topicPutNums: new Map(),
  }
}

export const SAMPLE_INTERVAL_MS = 1000
/** RocketMQ's longest TPS window is 600 s; one more sample spans it. */
const MAX_SAMPLES = 601

type Counter = 'putMessageTimes' | 'getMessageFoundTimes' | 'getMessageMissTimes' | 'getMessageTransferredMsgs'

interface Sample {
  atMs: number
  counters: Record<Counter, number>
  groupGets: Map<string, number>
  topicPuts: Map<string, number>
}

const COUNTERS: Counter[] = ['putMessageTimes', 'getMessageFoundTimes', 'getMessageMissTimes', 'getMessageTransferredMsgs']

function dayOf(ms: number): string {
  return new Date(ms).toDateString()
}

export class RuntimeStats {
  private readonly ring: Sample[] = []
  private day: string
  private loopDelay: IntervalHistogram | undefined
  private lastLoopDelayMs = 0
  readonly bootMs: number
  putTodayMorning = 0
  putYesterdayMorning = 0
  getTodayMorning = 0
  getYesterdayMorning = 0

  constructor(private readonly stats: BrokerStats, nowMs = Date.now()) {
    this.bootMs = nowMs
    this.day = dayOf(nowMs)
    this.sample(nowMs)
  }

  /** Starts measuring event-loop delay (the wait a request has before its handler runs). */
  watchEventLoop(): void {
    this.loopDelay ??= monitorEventLoopDelay({resolution: 10})
    this.loopDelay.enable()
  }

  unwatchEventLoop(): void {
    this.loopDelay?.disable()
  }

  /** Mean event-loop delay over the last sample interval, ms (0 when not watched). */
  eventLoopDelayMs(): number {
    return this.lastLoopDelayMs
  }

  sample(nowMs = Date.now()): void {
    if (this.loopDelay) {
      const mean = this.loopDelay.mean
      this.lastLoopDelayMs = Number.isFinite(mean) ? Math.max(0, mean / 1e6 - 10) : 0
      this.loopDelay.reset()
    }
    const counters = {} as Record<Counter, number>
    for (const c of COUNTERS) counters[c] = this.stats[c]
    this.ring.push({atMs: nowMs, counters, groupGets: new Map(this.stats.groupGetNums), topicPuts: new Map(this.stats.topicPutNums)})
    if (this.ring.length > MAX_SAMPLES) this.ring.shift()
    const day = dayOf(nowMs)
    if (day !== this.day) {
      this.day = day
      this.putYesterdayMorning = this.putTodayMorning
      this.getYesterdayMorning = this.getTodayMorning
      this.putTodayMorning = this.stats.putMessageTimes
      this.getTodayMorning = this.stats.getMessageTransferredMsgs
    }
  }

  /** Average per second over the last `seconds` (or as much history as there is), 0 without history. */
  tps(counter: Counter, seconds: number): number {
    return this.rate(seconds, (s) => s.counters[counter])
  }

  /** RocketMQ's "10 s 60 s 600 s" triple, each "%.2f" (StoreStatsService.getPutTps and siblings). */
  tpsTriple(counter: Counter): string {
    return [10, 60, 600].map((s) => this.tps(counter, s).toFixed(2)).join(' ')
  }

  /** getTotalTps: found + missed pulls, per window. */
  totalGetTpsTriple(): string {
    return [10, 60, 600]
      .map((s) => (this.tps('getMessageFoundTimes', s) + this.tps('getMessageMissTimes', s)).toFixed(2))
      .join(' ')
  }

  /** Messages per second pulled by group@topic over the last minute (tpsGroupGetNums). */
  groupGetTps(group: string, topic: string): number {
    const key = `${topic}@${group}`
    return this.rate(60, (s) => s.groupGets.get(key) ?? 0)
  }

  /** Messages per second stored into a topic over the last minute (tpsTopicPutNums). */
  topicPutTps(topic: string): number {
    return this.rate(60, (s) => s.topicPuts.get(topic) ?? 0)
  }

  private rate(seconds: number, value: (s: Sample) => number): number {
    const last = this.ring[this.ring.length - 1]!
    let first = last
    for (let i = this.ring.length - 2; i >= 0; i--) {
      first = this.ring[i]!
      if (last.atMs - first.atMs >= seconds * 1000) break
    }
    const dtMs = last.atMs - first.atMs
    return dtMs > 0 ? ((value(last) - value(first)) * 1000) / dtMs : 0
  }
}
