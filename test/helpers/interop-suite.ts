/**
 * The one interop suite body, run unchanged against a real Apache RocketMQ and against our embedded
 * broker: the same topic, the same seeded messages, the same verification. Sync sends go out with
 * the JSON header and async sends with the ROCKETMQ binary header, every queue is pulled back with
 * both header types, and offsets (consumer, max, min) are written with one and read with the other,
 * so both serializations are exercised against the broker in every step.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, expect, it} from 'vitest'
import {Admin, type MessageQueue, Producer, PullConsumer} from '../../src/client/index.js'
import type {Cluster} from '../../src/cluster/cluster.js'
import type {MessageExt} from '../../src/protocol/message/message-ext.js'
import {RemotingClient} from '../../src/remoting/remoting-client.js'
import {interopMessage, type SentRecord, verifyPulled} from './interop-messages.js'

export const INTEROP_QUEUES = 4
export const MESSAGES_PER_MODE = 10_000
const ROUTE_WAIT_MS = 60_000
const PULL_BATCH = 32
const AUTO_CREATE_MESSAGES = 40

export interface InteropContext {
  readonly cluster: Cluster
  readonly masterAddr: string
  readonly brokerName: string
  readonly topic: string
  /** Both header serializations: [JSON (0), ROCKETMQ (1)]. */
  readonly remoting: readonly [RemotingClient, RemotingClient]
}

export interface InteropSuiteOptions {
  /** 'rocketmq' or 'embedded': the prefix of the summary line. */
  label: string
  /** Tells two configurations of one target apart in logs and topic names (e.g. 'binary-headers'). */
  variant?: string
  makeCluster: (runDir: string) => Cluster
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

function ms(began: number): number {
  return Math.round(performance.now() - began)
}

/** Registers the cluster lifecycle and the interop tests; returns a getter for extra tests. */
export function defineInteropSuite(opts: InteropSuiteOptions): () => InteropContext {
  const seed = Number(process.env.MQBENCH_INTEROP_SEED ?? (Date.now() % 2 ** 31))
  const tag = opts.variant === undefined ? opts.label : `${opts.label} ${opts.variant}`
  const topic = `interop_${tag.replaceAll(/[^A-Za-z0-9_]/g, '_')}_${seed}`
  const timings: Record<string, number> = {}
  const sent = new Map<string, SentRecord>()
  const pids: number[] = []
  let runDir: string | undefined
  let ctx: InteropContext | undefined
  let queues: MessageQueue[] = []
  let admin: [Admin, Admin] | undefined
  let pulledCounts: Map<number, number> | undefined
  const closers: Array<() => Promise<void> | void> = []

  beforeAll(async () => {
    console.log(`[${tag} interop] seed ${seed} (replay: MQBENCH_INTEROP_SEED=${seed})`)
    runDir = mkdtempSync(join(tmpdir(), `mqbench-interop-${opts.label}-`))
    const cluster = opts.makeCluster(runDir)
    const began = performance.now()
    await cluster.start()
    timings.clusterStartMs = ms(began)
    for (const n of cluster.nodes()) if (n.pid !== undefined) pids.push(n.pid)
    const master = cluster.nodes().find((n) => n.kind === 'broker' && n.brokerId === 0)!
    const remoting = [new RemotingClient({serializeType: 0}), new RemotingClient({serializeType: 1})] as const
    closers.push(() => remoting.forEach((r) => r.close()))
    ctx = {cluster, masterAddr: master.addr, brokerName: master.brokerName!, topic, remoting}
    admin = [0, 1].map((i) => new Admin({namesrvAddr: cluster.namesrvAddr, remoting: remoting[i]})) as [Admin, Admin]
  }, 240_000)

  afterAll(async () => {
    for (const close of closers.reverse()) await close()
    const began = performance.now()
    await ctx?.cluster.stop()
    timings.clusterStopMs = ms(began)
    console.log(`[${tag} interop] timings ${JSON.stringify(timings)}`)
    if (runDir !== undefined) rmSync(runDir, {recursive: true, force: true})
    const survivors = pids.filter(alive)
    expect(survivors, 'every cluster process is gone after stop()').toEqual([])
  }, 120_000)

  it('creates a 4-queue topic on the master and the namesrv routes it', async () => {
    const {masterAddr} = ctx!
    const began = performance.now()
    expect(await admin![0].createTopic({topic, queueNums: INTEROP_QUEUES, brokerAddr: masterAddr})).toEqual([masterAddr])
    queues = await waitForRoute(ctx!)
    timings.topicRoutedMs = ms(began)
    expect(queues.map((q) => q.queueId).sort()).toEqual([0, 1, 2, 3])
  }, ROUTE_WAIT_MS + 10_000)

  it(`sends ${MESSAGES_PER_MODE} sync (JSON header) and ${MESSAGES_PER_MODE} async (ROCKETMQ header): every one SEND_OK`, async () => {
    const [json, binary] = ctx!.remoting
    const common = {namesrvAddr: ctx!.cluster.namesrvAddr, producerGroup: `interop_p_${seed}`, sendMsgTimeout: 15_000}
    const syncProducer = new Producer({...common, remoting: json})
    const asyncProducer = new Producer({...common, remoting: binary, maxInFlight: 256})
    closers.push(() => syncProducer.shutdown(), () => asyncProducer.shutdown())
    await syncProducer.start()
    await asyncProducer.start()
    let began = performance.now()
    for (let seq = 0; seq < MESSAGES_PER_MODE; seq++) {
      const message = interopMessage(topic, seed, 'sync', seq)
      const result = await syncProducer.send(message)
      sent.set(result.msgId, {message, result})
    }
    timings.syncSendMs = ms(began)
    began = performance.now()
    const asyncMessages = Array.from({length: MESSAGES_PER_MODE}, (_, seq) => interopMessage(topic, seed, 'async', seq))
    const results = await Promise.all(asyncMessages.map((m) => asyncProducer.sendAsync(m)))
    timings.asyncSendMs = ms(began)
    results.forEach((result, i) => sent.set(result.msgId, {message: asyncMessages[i]!, result}))
    const statuses = new Map<string, number>()
    for (const {result} of sent.values()) statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1)
    const retried = [...sent.values()].filter((r) => r.result.attempts > 1).length
    console.log(`[${tag} interop] sync ${timings.syncSendMs} ms, async ${timings.asyncSendMs} ms, retried sends ${retried}`)
    expect(sent.size).toBe(2 * MESSAGES_PER_MODE)
    expect(Object.fromEntries(statuses)).toEqual({SEND_OK: 2 * MESSAGES_PER_MODE})
  }, 240_000)

  it('pulls every queue from offset 0 with both header types and verifies every message bit-exact', async () => {
    expect(sent.size, 'the send test ran first').toBe(2 * MESSAGES_PER_MODE)
    const outcomes: number[] = []
    for (const [i, remoting] of ctx!.remoting.entries()) {
      const consumer = new PullConsumer({namesrvAddr: ctx!.cluster.namesrvAddr, consumerGroup: `interop_c${i}_${seed}`, remoting})
      closers.push(() => consumer.shutdown())
      await consumer.start()
      const began = performance.now()
      const pulled = await pullEverything(consumer, queues)
      timings[`pull${i === 0 ? 'Json' : 'RocketMQ'}Ms`] = ms(began)
      const v = verifyPulled(sent, pulled)
      expect(v.problems, `header type ${i}`).toEqual([])
      expect(v.verified).toBe(v.expected)
      expect([...v.perQueue.values()].reduce((a, b) => a + b, 0)).toBe(2 * MESSAGES_PER_MODE)
      pulledCounts = v.perQueue
      outcomes.push(v.verified)
    }
    expect(outcomes).toEqual([sent.size, sent.size])
    console.log(`${opts.label} interop: ${outcomes[0]}/${sent.size} messages verified`)
  }, 240_000)

  it('GET_MAX_OFFSET / GET_MIN_OFFSET agree with what was pulled, in both header types', async () => {
    expect(pulledCounts, 'the pull test ran first').toBeDefined()
    for (const a of admin!) {
      for (const mq of queues) {
        expect(await a.getMaxOffset(mq), `max offset of queue ${mq.queueId}`).toBe(pulledCounts!.get(mq.queueId) ?? 0)
        expect(await a.getMinOffset(mq), `min offset of queue ${mq.queueId}`).toBe(0)
      }
    }
  })

  it('pulls at and past the end of a queue: NO_NEW_MSG at maxOffset, OFFSET_ILLEGAL beyond it', async () => {
    expect(pulledCounts, 'the pull test ran first').toBeDefined()
    for (const [i, remoting] of ctx!.remoting.entries()) {
      const consumer = new PullConsumer({namesrvAddr: ctx!.cluster.namesrvAddr, consumerGroup: `interop_edge${i}_${seed}`, remoting})
      closers.push(() => consumer.shutdown())
      const mq = queues[i]!
      const max = pulledCounts!.get(mq.queueId)!
      const atEnd = await consumer.pull(mq, max, PULL_BATCH, {suspendTimeoutMillis: 0})
      expect({status: atEnd.status, next: atEnd.nextBeginOffset, max: atEnd.maxOffset}).toEqual({status: 'NO_NEW_MSG', next: max, max})
      const beyond = await consumer.pull(mq, max + 100, PULL_BATCH, {suspendTimeoutMillis: 0})
      expect({status: beyond.status, next: beyond.nextBeginOffset, max: beyond.maxOffset}).toEqual({status: 'OFFSET_ILLEGAL', next: max, max})
    }
  })

  it('commits consumer offsets with one header type and reads them back with both', async () => {
    const group = `interop_offsets_${seed}`
    const [json, binary] = ctx!.remoting
    const writer = new PullConsumer({namesrvAddr: ctx!.cluster.namesrvAddr, consumerGroup: group, remoting: json})
    const reader = new PullConsumer({namesrvAddr: ctx!.cluster.namesrvAddr, consumerGroup: group, remoting: binary})
    closers.push(() => writer.shutdown(), () => reader.shutdown())
    await writer.start()
    await reader.start()
    // A pull first, so the broker knows the group (5.x refuses offsets of unknown groups).
    await writer.pull(queues[0]!, 0, 1, {suspendTimeoutMillis: 0})
    // Nothing committed yet on queues whose min offset is 0: 5.3.3 answers SUCCESS with offset 0
    // (observed here), not QUERY_NOT_FOUND, so a new group starts at the first message.
    for (const mq of queues) expect(await reader.queryOffset(mq), `uncommitted queue ${mq.queueId}`).toBe(0)
    const committed = new Map(queues.map((mq) => [mq.queueId, Math.max(0, (pulledCounts!.get(mq.queueId) ?? 0) - mq.queueId)]))
    for (const mq of queues) await writer.commitOffset(mq, committed.get(mq.queueId)!)
    for (const consumer of [reader, writer]) {
      for (const mq of queues) expect(await consumer.queryOffset(mq), `queue ${mq.queueId}`).toBe(committed.get(mq.queueId))
    }
    // The HEART_BEAT body is JSON the broker parses (fastjson on a real one): it must be accepted.
    await reader.heartbeat()
  })

  it('auto-creates a topic on first send through the borrowed TBW102 route', async () => {
    const autoTopic = `${topic}_auto`
    const producer = new Producer({namesrvAddr: ctx!.cluster.namesrvAddr, producerGroup: `interop_auto_${seed}`, remoting: ctx!.remoting[1]})
    const consumer = new PullConsumer({namesrvAddr: ctx!.cluster.namesrvAddr, consumerGroup: `interop_auto_${seed}`, remoting: ctx!.remoting[0]})
    closers.push(() => producer.shutdown(), () => consumer.shutdown())
    await producer.start()
    const autoSent = new Map<string, SentRecord>()
    for (let seq = 0; seq < AUTO_CREATE_MESSAGES; seq++) {
      const message = interopMessage(autoTopic, seed, 'auto', seq)
      const result = await producer.send(message)
      expect(result.status).toBe('SEND_OK')
      autoSent.set(result.msgId, {message, result})
    }
    // The broker auto-creates with min(defaultTopicQueueNums 4, TBW102's write queues) queues.
    const autoQueues = await waitForRoute(ctx!, autoTopic, INTEROP_QUEUES)
    const v = verifyPulled(autoSent, await pullEverything(consumer, autoQueues))
    expect(v.problems).toEqual([])
    expect(v.verified).toBe(AUTO_CREATE_MESSAGES)
  })

  return () => {
    if (ctx === undefined) throw new Error('interop context is only available once beforeAll has run')
    return ctx
  }
}

/** Polls the namesrv until `topic` routes `queueNums` readable queues. */
async function waitForRoute(ctx: InteropContext, topic = ctx.topic, queueNums = INTEROP_QUEUES): Promise<MessageQueue[]> {
  const probe = new PullConsumer({namesrvAddr: ctx.cluster.namesrvAddr, consumerGroup: 'interop_route_probe', remoting: ctx.remoting[0]})
  const deadline = Date.now() + ROUTE_WAIT_MS
  let last: unknown
  try {
    while (Date.now() < deadline) {
      try {
        const queues = await probe.fetchSubscribeQueues(topic)
        if (queues.length === queueNums) return queues
        last = `route lists ${queues.length} queues`
      } catch (err) {
        last = err
      }
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  } finally {
    await probe.shutdown()
  }
  throw new Error(`namesrv did not route ${topic} within ${ROUTE_WAIT_MS} ms: ${String(last)}`)
}

/** Pulls each queue from 0 until nextBeginOffset reaches maxOffset (no long-poll: everything is stored). */
async function pullEverything(consumer: PullConsumer, queues: MessageQueue[]): Promise<MessageExt[]> {
  const out: MessageExt[] = []
  for (const mq of queues) {
    let offset = 0
    for (;;) {
      const r = await consumer.pull(mq, offset, PULL_BATCH, {suspendTimeoutMillis: 0})
      if (r.status === 'FOUND') out.push(...r.messages)
      else if (r.status !== 'NO_NEW_MSG') throw new Error(`pull ${mq.queueId}@${offset}: ${r.status}`)
      if (r.status === 'FOUND' && r.nextBeginOffset <= offset) throw new Error(`pull ${mq.queueId}@${offset} did not advance`)
      offset = r.nextBeginOffset
      if (r.status === 'NO_NEW_MSG' || offset >= r.maxOffset) break
    }
  }
  return out
}
