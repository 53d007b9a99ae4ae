/**
 * The steps of the interop suite over one started cluster, with the state they hand on (sent
 * messages, routed queues, per-queue counts). Sync sends go out with the JSON header and async
 * sends with the ROCKETMQ binary header, every queue is pulled back with both header types, and
 * offsets are written with one and read with the other, so both serializations meet the broker
 * in every step. interop-suite.ts turns each step into one test.
 */
import {expect} from 'vitest'
import {Admin, type Message, type MessageQueue, Producer, PullConsumer, type SendResult} from '../../src/client/index.js'
import type {Cluster} from '../../src/cluster/cluster.js'
import {RemotingError} from '../../src/errors.js'
import type {MessageExt} from '../../src/protocol/message/message-ext.js'
import {ResponseCode} from '../../src/protocol/response-code.js'
import {RemotingClient} from '../../src/remoting/remoting-client.js'
import {interopMessage, promisedEnds, type SentRecord, verifyPulled} from './interop-messages.js'

export const INTEROP_QUEUES = 4
export const MESSAGES_PER_MODE = 10_000
export const ROUTE_WAIT_MS = 60_000
const PULL_BATCH = 32
const AUTO_CREATE_MESSAGES = 40
const ASYNC_IN_FLIGHT = 64
const BUSY_ATTEMPTS = 20
const DISPATCH_WAIT_MS = 30_000

export interface InteropContext {
  readonly cluster: Cluster
  readonly masterAddr: string
  readonly brokerName: string
  readonly topic: string
  /** Both header serializations: [JSON (0), ROCKETMQ (1)]. */
  readonly remoting: readonly [RemotingClient, RemotingClient]
}

function ms(began: number): number {
  return Math.round(performance.now() - began)
}

export class InteropRun {
  readonly ctx: InteropContext
  readonly timings: Record<string, number> = {}
  private readonly sent = new Map<string, SentRecord>()
  private readonly admins: readonly [Admin, Admin]
  private readonly closers: Array<() => Promise<void> | void> = []
  private queues: MessageQueue[] = []
  private pulledCounts: Map<number, number> | undefined

  /** `tag` prefixes log lines; `label` prefixes the summary line ('rocketmq', 'embedded'). */
  constructor(cluster: Cluster, private readonly seed: number, private readonly tag: string, private readonly label: string) {
    const master = cluster.nodes().find((n) => n.kind === 'broker' && n.brokerId === 0)!
    const remoting = [new RemotingClient({serializeType: 0}), new RemotingClient({serializeType: 1})] as const
    this.closers.push(() => remoting.forEach((r) => r.close()))
    const topic = `interop_${tag.replaceAll(/[^A-Za-z0-9_]/g, '_')}_${seed}`
    this.ctx = {cluster, masterAddr: master.addr, brokerName: master.brokerName!, topic, remoting}
    this.admins = [new Admin({namesrvAddr: cluster.namesrvAddr, remoting: remoting[0]}), new Admin({namesrvAddr: cluster.namesrvAddr, remoting: remoting[1]})]
  }

  /** Shuts every producer/consumer and connection down, newest first. */
  async close(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close()
  }

  async createTopic(): Promise<void> {
    const {masterAddr, topic} = this.ctx
    const began = performance.now()
    expect(await this.admins[0].createTopic({topic, queueNums: INTEROP_QUEUES, brokerAddr: masterAddr})).toEqual([masterAddr])
    this.queues = await this.waitForRoute(topic)
    this.timings.topicRoutedMs = ms(began)
    expect(this.queues.map((q) => q.queueId).sort()).toEqual([0, 1, 2, 3])
  }

  async sendAll(): Promise<void> {
    const {topic, remoting} = this.ctx
    const common = {namesrvAddr: this.ctx.cluster.namesrvAddr, producerGroup: `interop_p_${this.seed}`, sendMsgTimeout: 15_000}
    const syncProducer = this.own(new Producer({...common, remoting: remoting[0]}))
    const asyncProducer = this.own(new Producer({...common, remoting: remoting[1], maxInFlight: ASYNC_IN_FLIGHT}))
    await syncProducer.start()
    await asyncProducer.start()
    const failedAttempts: string[] = []
    let began = performance.now()
    for (let seq = 0; seq < MESSAGES_PER_MODE; seq++) {
      const message = interopMessage(topic, this.seed, 'sync', seq)
      const result = await syncProducer.send(message, {onAttempt: (a) => a.error && failedAttempts.push(a.error.message)})
      this.sent.set(result.msgId, {message, result})
    }
    this.timings.syncSendMs = ms(began)
    began = performance.now()
    const asyncMessages = Array.from({length: MESSAGES_PER_MODE}, (_, seq) => interopMessage(topic, this.seed, 'async', seq))
    let busy = 0
    const results = await Promise.all(asyncMessages.map((m) => sendAsyncThroughFlowControl(asyncProducer, m, () => busy++)))
    this.timings.asyncSendMs = ms(began)
    results.forEach((result, i) => this.sent.set(result.msgId, {message: asyncMessages[i]!, result}))
    const statuses = new Map<string, number>()
    for (const {result} of this.sent.values()) statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1)
    const retried = [...this.sent.values()].filter((r) => r.result.attempts > 1).length
    console.log(`[${this.tag} interop] sync ${this.timings.syncSendMs} ms, async ${this.timings.asyncSendMs} ms, retried sends ${retried}, async sends refused SYSTEM_BUSY ${busy}`)
    if (failedAttempts.length > 0) console.log(`[${this.tag} interop] sync attempts that failed and were retried: ${failedAttempts.slice(0, 5).join(' | ')}`)
    expect(this.sent.size).toBe(2 * MESSAGES_PER_MODE)
    expect(Object.fromEntries(statuses)).toEqual({SEND_OK: 2 * MESSAGES_PER_MODE})
  }

  async pullAndVerify(): Promise<void> {
    expect(this.sent.size, 'the send test ran first').toBe(2 * MESSAGES_PER_MODE)
    const outcomes: number[] = []
    for (const [i, remoting] of this.ctx.remoting.entries()) {
      const consumer = this.own(new PullConsumer({namesrvAddr: this.ctx.cluster.namesrvAddr, consumerGroup: `interop_c${i}_${this.seed}`, remoting}))
      await consumer.start()
      const began = performance.now()
      const pulled = await pullEverything(consumer, this.queues, promisedEnds(this.sent))
      this.timings[`pull${i === 0 ? 'Json' : 'RocketMQ'}Ms`] = ms(began)
      const v = verifyPulled(this.sent, pulled)
      expect(v.problems, `header type ${i}`).toEqual([])
      expect(v.verified).toBe(v.expected)
      expect([...v.perQueue.values()].reduce((a, b) => a + b, 0)).toBe(2 * MESSAGES_PER_MODE)
      this.pulledCounts = v.perQueue
      outcomes.push(v.verified)
    }
    expect(outcomes).toEqual([this.sent.size, this.sent.size])
    console.log(`${this.label} interop: ${outcomes[0]}/${this.sent.size} messages verified`)
  }

  async checkMinMaxOffsets(): Promise<void> {
    const counts = this.counts()
    for (const admin of this.admins) {
      for (const mq of this.queues) {
        expect(await admin.getMaxOffset(mq), `max offset of queue ${mq.queueId}`).toBe(counts.get(mq.queueId) ?? 0)
        expect(await admin.getMinOffset(mq), `min offset of queue ${mq.queueId}`).toBe(0)
      }
    }
  }

  async pullPastTheEnd(): Promise<void> {
    const counts = this.counts()
    for (const [i, remoting] of this.ctx.remoting.entries()) {
      const consumer = this.own(new PullConsumer({namesrvAddr: this.ctx.cluster.namesrvAddr, consumerGroup: `interop_edge${i}_${this.seed}`, remoting}))
      const mq = this.queues[i]!
      const max = counts.get(mq.queueId)!
      const atEnd = await consumer.pull(mq, max, PULL_BATCH, {suspendTimeoutMillis: 0})
      expect({status: atEnd.status, next: atEnd.nextBeginOffset, max: atEnd.maxOffset}).toEqual({status: 'NO_NEW_MSG', next: max, max})
      const beyond = await consumer.pull(mq, max + 100, PULL_BATCH, {suspendTimeoutMillis: 0})
      expect({status: beyond.status, next: beyond.nextBeginOffset, max: beyond.maxOffset}).toEqual({status: 'OFFSET_ILLEGAL', next: max, max})
    }
  }

  async commitAndQueryOffsets(): Promise<void> {
    const counts = this.counts()
    const group = `interop_offsets_${this.seed}`
    const namesrvAddr = this.ctx.cluster.namesrvAddr
    const writer = this.own(new PullConsumer({namesrvAddr, consumerGroup: group, remoting: this.ctx.remoting[0]}))
    const reader = this.own(new PullConsumer({namesrvAddr, consumerGroup: group, remoting: this.ctx.remoting[1]}))
    // A pull first, as a real consumer would, so the group exists before its offsets are written.
    await writer.pull(this.queues[0]!, 0, 1, {suspendTimeoutMillis: 0})
    // Nothing committed yet on queues whose min offset is 0: 4.9.7 and 5.3.3 answer SUCCESS with
    // offset 0 (observed), not QUERY_NOT_FOUND, so a new group starts at the first message.
    for (const mq of this.queues) expect(await reader.queryOffset(mq), `uncommitted queue ${mq.queueId}`).toBe(0)
    const committed = new Map(this.queues.map((mq) => [mq.queueId, Math.max(0, (counts.get(mq.queueId) ?? 0) - mq.queueId)]))
    for (const mq of this.queues) await writer.commitOffset(mq, committed.get(mq.queueId)!)
    for (const consumer of [reader, writer]) {
      for (const mq of this.queues) expect(await consumer.queryOffset(mq), `queue ${mq.queueId}`).toBe(committed.get(mq.queueId))
    }
    // A commit piggy-backed on a pull (COMMIT_OFFSET sysFlag) is stored like an explicit one.
    const piggyBacked = this.own(new PullConsumer({namesrvAddr, consumerGroup: `${group}_pull`, remoting: this.ctx.remoting[1]}))
    await piggyBacked.pull(this.queues[1]!, 0, 1, {suspendTimeoutMillis: 0, commitOffset: 7})
    expect(await piggyBacked.queryOffset(this.queues[1]!)).toBe(7)
    // The HEART_BEAT body is JSON the broker parses (fastjson on a real one): it must be accepted.
    await reader.heartbeat()
  }

  async autoCreateTopic(): Promise<void> {
    const autoTopic = `${this.ctx.topic}_auto`
    const namesrvAddr = this.ctx.cluster.namesrvAddr
    const producer = this.own(new Producer({namesrvAddr, producerGroup: `interop_auto_${this.seed}`, remoting: this.ctx.remoting[1], sendMsgTimeout: 15_000}))
    const consumer = this.own(new PullConsumer({namesrvAddr, consumerGroup: `interop_auto_${this.seed}`, remoting: this.ctx.remoting[0]}))
    await producer.start()
    const autoSent = new Map<string, SentRecord>()
    for (let seq = 0; seq < AUTO_CREATE_MESSAGES; seq++) {
      const message = interopMessage(autoTopic, this.seed, 'auto', seq)
      const result = await producer.send(message)
      expect(result.status).toBe('SEND_OK')
      autoSent.set(result.msgId, {message, result})
    }
    // The broker auto-creates with min(defaultTopicQueueNums 4, TBW102's write queues) queues.
    const routed = await this.waitForRoute(autoTopic)
    const v = verifyPulled(autoSent, await pullEverything(consumer, routed, promisedEnds(autoSent)))
    if (v.problems.length > 0) {
      const sentTo = [...autoSent.values()].map((r) => `${r.result.queue.queueId}/${r.result.queueOffset}/${r.result.attempts}`)
      console.log(`[${this.tag} interop] auto-create problems; routed queues ${routed.map((q) => q.queueId)}, pulled per queue ${JSON.stringify([...v.perQueue])}, sent (queue/offset/attempts) ${sentTo.join(' ')}`)
    }
    expect(v.problems).toEqual([])
    expect(v.verified).toBe(AUTO_CREATE_MESSAGES)
  }

  private counts(): Map<number, number> {
    expect(this.pulledCounts, 'the pull test ran first').toBeDefined()
    return this.pulledCounts!
  }

  private own<T extends {shutdown(): Promise<void>}>(client: T): T {
    this.closers.push(() => client.shutdown())
    return client
  }

  /** Polls the namesrv until `topic` routes INTEROP_QUEUES readable queues. */
  private async waitForRoute(topic: string): Promise<MessageQueue[]> {
    const probe = this.own(new PullConsumer({namesrvAddr: this.ctx.cluster.namesrvAddr, consumerGroup: 'interop_route_probe', remoting: this.ctx.remoting[0]}))
    const deadline = Date.now() + ROUTE_WAIT_MS
    let last: unknown
    while (Date.now() < deadline) {
      try {
        const queues = await probe.fetchSubscribeQueues(topic)
        if (queues.length === INTEROP_QUEUES) return queues
        last = `route lists ${queues.length} queues`
      } catch (err) {
        last = err
      }
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    throw new Error(`namesrv did not route ${topic} within ${ROUTE_WAIT_MS} ms: ${String(last)}`)
  }
}

/**
 * A real broker under load refuses sends it could not start within waitTimeMillsInSendQueue
 * (SYSTEM_BUSY "[TIMEOUT_CLEAN_QUEUE] broker busy"): the message was never stored, and Java's async
 * send does not retry that code, nor does ours. The application retries it here, as one should;
 * a duplicate this caused would still fail the verification.
 */
async function sendAsyncThroughFlowControl(producer: Producer, message: Message, onBusy: () => void): Promise<SendResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await producer.sendAsync(message)
    } catch (err) {
      if (!(err instanceof RemotingError && err.responseCode === ResponseCode.SYSTEM_BUSY) || attempt === BUSY_ATTEMPTS) throw err
      onBusy()
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt))
    }
  }
}

/**
 * Pulls each queue from 0 until it has read past both the broker's maxOffset and the end the
 * SendResults promise. A real broker acknowledges a send once the CommitLog has it and builds the
 * ConsumeQueue entry a moment later (observed on 4.9.7 under load: 40 sync SEND_OKs, then a pull
 * saw 5 of 10 in a queue), so a gap below the promised end is waited for, up to a deadline;
 * whatever is still missing then is reported by the verification.
 */
export async function pullEverything(consumer: PullConsumer, queues: MessageQueue[], promisedEnds: ReadonlyMap<number, number>): Promise<MessageExt[]> {
  const out: MessageExt[] = []
  const deadline = Date.now() + DISPATCH_WAIT_MS
  for (const mq of queues) {
    const promised = promisedEnds.get(mq.queueId) ?? 0
    let offset = 0
    for (;;) {
      const r = await consumer.pull(mq, offset, PULL_BATCH, {suspendTimeoutMillis: 0})
      if (r.status === 'FOUND') out.push(...r.messages)
      else if (r.status !== 'NO_NEW_MSG') throw new Error(`pull ${mq.queueId}@${offset}: ${r.status}`)
      if (r.status === 'FOUND' && r.nextBeginOffset <= offset) throw new Error(`pull ${mq.queueId}@${offset} did not advance`)
      offset = r.nextBeginOffset
      if (offset >= r.maxOffset && offset >= promised) break
      if (r.status === 'NO_NEW_MSG') {
        if (Date.now() > deadline) break
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
    }
  }
  return out
}
