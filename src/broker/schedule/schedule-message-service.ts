/**
 * Moves delayed messages back to their real topic when due (RocketMQ ScheduleMessageService,
 * rocketmq-protocol.md §9.2). One timer chain per level: first scan after firstDelayMs, then every
 * scanIntervalMs. Each scan reads SCHEDULE_TOPIC_XXXX queue level-1 from the level's offset and
 * re-stores every record whose storeTimestamp + delay has passed, as a new record (new commit-log
 * offset and queue offset, same body, properties minus DELAY, same UNIQ_KEY, WAIT=false).
 *
 * Progress per level lives in config/delayOffset.json, written every flushDelayOffsetInterval and at
 * stop. A kill -9 therefore re-delivers the scheduled messages moved since the last write
 * (duplicates, never loss) — RocketMQ's own trade-off; the parked records themselves are in the
 * CommitLog and ConsumeQueue, so scheduled messages survive any restart.
 */
import {join} from 'node:path'
import {decodeMessageExt, type MessageExt} from '../../protocol/message/index.js'
import {MessageProperty} from '../../protocol/message/properties.js'
import {persistAtomically, readIfExists} from '../config-file.js'
import type {GetMessageResult, MessageToStore, PutMessageResult} from '../store/message-store.js'
import {SCHEDULE_TOPIC} from './delay-levels.js'

export interface ScheduleStore {
  getMessage(topic: string, queueId: number, offset: number, maxMsgNums: number): GetMessageResult
  putMessage(msg: MessageToStore): Promise<PutMessageResult>
}

export interface ScheduleMessageServiceOptions {
  store: ScheduleStore
  /** ms per level, index 0 = level 1 (parseMessageDelayLevel). */
  levelsMs: number[]
  /** Directory of delayOffset.json (the broker's storePathRootDir/config). */
  configDir: string
  /** RocketMQ FIRST_DELAY_TIME = 1000 ms. */
  firstDelayMs?: number
  /** RocketMQ DELAY_FOR_A_WHILE = 100 ms. */
  scanIntervalMs?: number
  /** RocketMQ flushDelayOffsetInterval = 10000 ms. */
  flushDelayOffsetInterval?: number
  now?: () => number
  log?: (line: string) => void
}

const PULL_BATCH = 32
/** Messages moved per level per scan; the rest wait for the next scan so one level cannot starve the loop. */
const MAX_MOVED_PER_SCAN = 1024
/** After a failed re-store the level pauses this long (RocketMQ DELAY_FOR_A_PERIOD is 10 s). */
const RETRY_AFTER_FAILURE_MS = 1000

export class ScheduleMessageService {
  private readonly offsetTable = new Map<number, number>()
  private readonly timers = new Map<number, NodeJS.Timeout>()
  private readonly running = new Map<number, Promise<void>>()
  private flushTimer: NodeJS.Timeout | undefined
  private dirty = false
  private writing: Promise<void> = Promise.resolve()
  private stopped = false
  private readonly now: () => number
  private readonly log: (line: string) => void
  private readonly path: string

  private constructor(private readonly opts: ScheduleMessageServiceOptions) {
    this.now = opts.now ?? Date.now
    this.log = opts.log ?? (() => undefined)
    this.path = join(opts.configDir, 'delayOffset.json')
  }

  /** Reads delayOffset.json (if any); levels it does not mention start at offset 0. */
  static async load(opts: ScheduleMessageServiceOptions): Promise<ScheduleMessageService> {
    const svc = new ScheduleMessageService(opts)
    const text = await readIfExists(svc.path)
    if (text !== undefined) {
      const data = JSON.parse(text) as {offsetTable?: Record<string, number>}
      for (const [level, offset] of Object.entries(data.offsetTable ?? {})) svc.offsetTable.set(Number(level), offset)
    }
    return svc
  }

  start(): void {
    const first = this.opts.firstDelayMs ?? 1000
    for (let level = 1; level <= this.opts.levelsMs.length; level++) this.schedule(level, first)
    const every = this.opts.flushDelayOffsetInterval ?? 10_000
    this.flushTimer = setInterval(() => {
      this.persist().catch((err: unknown) => this.log(`schedule: persisting delayOffset.json failed: ${(err as Error).message}`))
    }, every)
    this.flushTimer.unref()
  }

  /** Level → next SCHEDULE_TOPIC_XXXX queue offset to move (GET_ALL_DELAY_OFFSET's table). */
  offsets(): Record<number, number> {
    return Object.fromEntries(this.offsetTable)
  }

  /** Stops the timers, lets a scan in progress finish (its re-store is not cut in half), then persists. */
  async stop(): Promise<void> {
    this.stopped = true
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
    clearInterval(this.flushTimer)
    await Promise.all(this.running.values())
    await this.persist()
  }

  /** Writes delayOffset.json when anything moved; serialised like the other config files. */
  persist(): Promise<void> {
    if (!this.dirty) return this.writing
    this.dirty = false
    const text = JSON.stringify({offsetTable: this.offsets()}, null, 2)
    this.writing = this.writing.catch(() => {}).then(() => persistAtomically(this.path, text))
    return this.writing
  }

  private schedule(level: number, delayMs: number): void {
    if (this.stopped) return
    const t = setTimeout(() => {
      const run = this.scanLevel(level)
        .catch((err: unknown) => {
          this.log(`schedule: level ${level} scan failed: ${(err as Error).message}`)
          return RETRY_AFTER_FAILURE_MS
        })
        .then((next) => {
          this.running.delete(level)
          this.schedule(level, next)
        })
      this.running.set(level, run.then(() => undefined))
    }, delayMs)
    t.unref()
    this.timers.set(level, t)
  }

  /** Moves every due message of one level; returns the pause before the next scan. */
  private async scanLevel(level: number): Promise<number> {
    const interval = this.opts.scanIntervalMs ?? 100
    const delayMs = this.opts.levelsMs[level - 1]!
    let offset = this.offsetTable.get(level) ?? 0
    let moved = 0
    while (moved < MAX_MOVED_PER_SCAN && !this.stopped) {
      const got = this.opts.store.getMessage(SCHEDULE_TOPIC, level - 1, offset, PULL_BATCH)
      if (got.status !== 'FOUND') {
        // Offsets below the queue's minimum were deleted by retention: nothing to move there.
        if (got.status === 'OFFSET_TOO_SMALL' || got.status === 'OFFSET_OVERFLOW_BADLY') this.advance(level, (offset = got.nextBeginOffset))
        return interval
      }
      for (const record of got.records) {
        const msg = decodeMessageExt(record)
        const dueMs = msg.storeTimestamp + delayMs
        const now = this.now()
        // Sleep until the head is due, but never longer than one interval: the clock may jump.
        if (dueMs > now) return Math.min(interval, dueMs - now)
        const real = realMessageOf(msg)
        if (real === undefined) {
          // Skipped, not retried: a record without its real address would block the level forever.
          this.log(`schedule: level ${level} offset ${offset}: record at ${msg.commitLogOffset} has no REAL_TOPIC/REAL_QID, skipped`)
          this.advance(level, ++offset)
          continue
        }
        const result = await this.opts.store.putMessage(real)
        if (result.status !== 'PUT_OK') {
          this.log(`schedule: level ${level} offset ${offset}: re-store into ${msg.properties.REAL_TOPIC} failed: ${result.status}`)
          return RETRY_AFTER_FAILURE_MS
        }
        this.advance(level, ++offset)
        moved++
      }
    }
    return interval
  }

  private advance(level: number, offset: number): void {
    this.offsetTable.set(level, offset)
    this.dirty = true
  }
}

/** The record as its real topic will hold it (ScheduleMessageService.messageTimeup). */
export function realMessageOf(msg: MessageExt): MessageToStore | undefined {
  const properties = {...msg.properties}
  delete properties[MessageProperty.DELAY]
  const realTopic = properties[MessageProperty.REAL_TOPIC]
  const realQid = Number(properties[MessageProperty.REAL_QID])
  if (realTopic === undefined || !Number.isInteger(realQid)) return undefined
  return {
    topic: realTopic, queueId: realQid, flag: msg.flag, sysFlag: msg.sysFlag, bornTimestamp: msg.bornTimestamp,
    bornHost: msg.bornHost, body: msg.body, properties, reconsumeTimes: msg.reconsumeTimes, waitStoreMsgOK: false,
  }
}
