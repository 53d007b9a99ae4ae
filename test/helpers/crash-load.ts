/**
 * Load for crash tests: a few send loops on one async Producer that remember every SEND_OK (where
 * the broker put it and when the ack arrived), and a drain that reads every queue of the topic back
 * from its min offset. Together they answer "which acknowledged messages did the crash lose?".
 */
import type {MessageQueue} from '../../src/client/message.js'
import type {Producer} from '../../src/client/producer.js'
import type {PullConsumer} from '../../src/client/pull-consumer.js'
import {decodeOffsetMsgId} from '../../src/protocol/message/message-id.js'
import type {MessageExt} from '../../src/protocol/message/message-ext.js'

export const BROKER_NAME = 'broker-a'
const SEQ_PROPERTY = 'CRASH_SEQ'

export interface Ack {
  seq: number
  uniqKey: string
  queueId: number
  queueOffset: number
  commitLogOffset: number
  /** Date.now() when the SEND_OK arrived (same clock as the broker's flush.log) */
  ackMs: number
}

/** A body that names its message, so a drained body can be checked byte for byte. */
export function bodyOf(seq: number, bytes: number): Buffer {
  const head = Buffer.from(`seq=${seq};`)
  const body = Buffer.alloc(Math.max(bytes, head.length), 0x61 + (seq % 26))
  head.copy(body, 0)
  return body
}

export function queuesOf(topic: string, queueNums: number): MessageQueue[] {
  return Array.from({length: queueNums}, (_, queueId) => ({topic, brokerName: BROKER_NAME, queueId}))
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

export class SendLoad {
  readonly acks = new Map<string, Ack>()
  failures = 0
  private nextSeq = 0
  private running = false
  private loops: Promise<void>[] = []
  private readonly waiters: {n: number; resolve: () => void}[] = []

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly opts: {concurrency: number; bodyBytes: number; pauseMs?: number},
  ) {}

  get attempted(): number {
    return this.nextSeq
  }

  start(): void {
    this.running = true
    this.loops = Array.from({length: this.opts.concurrency}, () => this.loop())
  }

  /** Stops issuing sends and waits for the ones in flight to settle. */
  async stop(): Promise<void> {
    this.running = false
    await Promise.all(this.loops)
  }

  /** Resolves once at least n sends were acknowledged. */
  waitForAcks(n: number, timeoutMs = 30_000): Promise<void> {
    if (this.acks.size >= n) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.acks.size} of ${n} acks in ${timeoutMs} ms (${this.failures} failures)`)), timeoutMs)
      this.waiters.push({n, resolve: () => (clearTimeout(timer), resolve())})
    })
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const seq = this.nextSeq++
      try {
        const r = await this.producer.sendAsync({
          topic: this.topic, body: bodyOf(seq, this.opts.bodyBytes), properties: {[SEQ_PROPERTY]: String(seq)},
        })
        if (r.status === 'SEND_OK') this.record(seq, r.msgId, r.queue.queueId, r.queueOffset, r.offsetMsgId)
        else this.failures++
      } catch {
        this.failures++
        await sleep(20)
      }
      if (this.opts.pauseMs) await sleep(this.opts.pauseMs)
    }
  }

  private record(seq: number, uniqKey: string, queueId: number, queueOffset: number, offsetMsgId: string): void {
    const commitLogOffset = decodeOffsetMsgId(offsetMsgId).physicalOffset
    this.acks.set(uniqKey, {seq, uniqKey, queueId, queueOffset, commitLogOffset, ackMs: Date.now()})
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.acks.size >= this.waiters[i]!.n) this.waiters.splice(i, 1)[0]!.resolve()
    }
  }
}

export interface Drained {
  /** by UNIQ_KEY */
  messages: Map<string, MessageExt>
  duplicates: number
  /** queueId → max offset (the next offset a send would get) */
  maxOffsets: Map<number, number>
}

/** Pulls every queue of the topic from its min offset to its end (no long polling). */
export async function drainTopic(consumer: PullConsumer, topic: string, queueNums: number): Promise<Drained> {
  const out: Drained = {messages: new Map(), duplicates: 0, maxOffsets: new Map()}
  for (const mq of queuesOf(topic, queueNums)) {
    let offset = 0
    for (;;) {
      const r = await consumer.pull(mq, offset, 32, {suspendTimeoutMillis: 0})
      out.maxOffsets.set(mq.queueId, r.maxOffset)
      if (r.status === 'OFFSET_ILLEGAL' && offset < r.minOffset) {
        offset = r.nextBeginOffset
        continue
      }
      if (r.status !== 'FOUND') break
      for (const m of r.messages) {
        const key = m.properties.UNIQ_KEY!
        if (out.messages.has(key)) out.duplicates++
        out.messages.set(key, m)
      }
      offset = r.nextBeginOffset
    }
  }
  return out
}

/** A drained message is the acknowledged one: same place in the queue, same bytes. */
export function mismatch(ack: Ack, m: MessageExt, bodyBytes: number): string | undefined {
  if (m.queueId !== ack.queueId || m.queueOffset !== ack.queueOffset) {
    return `seq ${ack.seq}: acked at ${ack.queueId}/${ack.queueOffset}, found at ${m.queueId}/${m.queueOffset}`
  }
  if (m.commitLogOffset !== ack.commitLogOffset) return `seq ${ack.seq}: acked at phy ${ack.commitLogOffset}, found at ${m.commitLogOffset}`
  if (!m.body.equals(bodyOf(ack.seq, bodyBytes))) return `seq ${ack.seq}: body differs`
  return undefined
}
