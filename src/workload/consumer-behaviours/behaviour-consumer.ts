/**
 * Push-style consumption of one pulled batch under a ConsumerBehaviour (see consumer-behaviour.ts).
 * The worker supplies the side effects (ledger, commit, send-back); this class decides, in the order
 * the practice implies, what happens to each message and which offset may be committed next.
 */
import type {MessageQueue} from '../../client/message.js'
import type {MessageExt} from '../../protocol/message/message-ext.js'
import type {ConsumerBehaviourConfig} from './consumer-behaviour.js'
import type {IdempotencyStore} from './idempotency-store.js'
import {ProcessQueue} from './process-queue.js'
import type {BehaviourCounts} from '../../recorder/audit-record.js'

export type {BehaviourCounts}

export interface BehaviourEffects {
  /** The effect of processing m (the worker ledgers it); flush() makes it durable. */
  process(m: MessageExt, mq: MessageQueue): void
  flush(): void
  /** Synchronous commit to the broker (ack-before-process). */
  commit(mq: MessageQueue, offset: number): Promise<void>
  sendBack(mq: MessageQueue, m: MessageExt, maxReconsumeTimes: number): Promise<void>
  /** Identity key of one of our messages, undefined for foreign ones (never deduplicated). */
  keyOf(m: MessageExt): number | undefined
  random(): number
  sleep(ms: number): Promise<void>
  stopping(): boolean
}

export function emptyBehaviourCounts(): BehaviourCounts {
  return {processed: 0, failed: 0, swallowed: 0, sentBack: 0, sendBackFailed: 0, skippedDuplicates: 0}
}

/** Java re-consumes locally 5 s after a failed send-back; scaled down, the idea holds. */
const LOCAL_RETRY_PAUSE_MS = 500

export class BehaviourConsumer {
  readonly counts = emptyBehaviourCounts()
  private readonly queues = new Map<string, ProcessQueue>()

  constructor(
    private readonly config: ConsumerBehaviourConfig,
    private readonly fx: BehaviourEffects,
    private readonly idempotency?: IdempotencyStore,
  ) {
    if (config.name === 'idempotent' && idempotency === undefined) throw new RangeError('idempotent consumer needs an idempotency store')
  }

  /** The offset this queue may commit now (undefined: nothing consumed yet). */
  commitCandidate(mq: MessageQueue): number | undefined {
    return this.queue(mq).commitCandidate()
  }

  /** Consumes one batch; resolves with the offset that may be committed afterwards. */
  async consumeBatch(mq: MessageQueue, messages: MessageExt[], nextBeginOffset: number): Promise<number | undefined> {
    const pq = this.queue(mq)
    pq.add(messages.map((m) => m.queueOffset))
    if (this.config.name === 'ack-before-process') {
      // The anti-pattern itself: the broker hears "done" before any of the work is.
      await this.fx.commit(mq, nextBeginOffset)
      for (const m of messages) pq.remove(m.queueOffset)
    }
    for (const m of messages) {
      if (await this.consumeOne(mq, m)) pq.remove(m.queueOffset)
    }
    return pq.commitCandidate()
  }

  /** true = acknowledged (processed, swallowed or handed back); false = still owed, keep it uncommitted. */
  private async consumeOne(mq: MessageQueue, m: MessageExt): Promise<boolean> {
    for (;;) {
      if (this.config.processMs) await this.fx.sleep(this.config.processMs)
      if (this.fx.random() >= (this.config.failureRate ?? 0)) {
        this.succeed(mq, m)
        return true
      }
      this.counts.failed++
      if (this.config.name === 'swallow-errors') {
        this.counts.swallowed++
        return true
      }
      try {
        await this.fx.sendBack(mq, m, this.config.maxReconsumeTimes ?? 16)
        this.counts.sentBack++
        return true
      } catch {
        // Not handed back: it stays in the process queue (holding the commit) and is consumed again here.
        this.counts.sendBackFailed++
        if (this.fx.stopping()) return false
        await this.fx.sleep(LOCAL_RETRY_PAUSE_MS)
      }
    }
  }

  private succeed(mq: MessageQueue, m: MessageExt): void {
    const key = this.idempotency ? this.fx.keyOf(m) : undefined
    if (key !== undefined && this.idempotency!.has(key)) {
      this.counts.skippedDuplicates++
      return
    }
    this.fx.process(m, mq)
    this.fx.flush()
    if (key !== undefined) this.idempotency!.add(key)
    this.counts.processed++
  }

  private queue(mq: MessageQueue): ProcessQueue {
    const k = `${mq.topic}@${mq.brokerName}@${mq.queueId}`
    let pq = this.queues.get(k)
    if (pq === undefined) this.queues.set(k, (pq = new ProcessQueue()))
    return pq
  }
}
