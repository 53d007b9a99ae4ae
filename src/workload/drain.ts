/**
 * The post-run drain: after every fault is healed, read each queue of the topic from offset 0 to
 * its max offset on the chosen replicas, plus %RETRY%<group> and %DLQ%<group> when asked, and turn
 * every message into a DeliveryEntry. The checker needs this second look because a consumer may
 * have died before seeing a stored message; only "stored nowhere" may be called lost.
 *
 * Replicas: by default each broker name's master (brokerId 0), or its lowest id still in the route
 * when the master is gone; with brokerAddrs, exactly the replicas at those addresses (pass only
 * live ones: a dead address stays in the namesrv route for a while and its pulls fail).
 * Everything is bounded by an absolute deadline; past it the drain throws TimeoutError rather than
 * return a partial read that would turn unread messages into false losses.
 */
import {setTimeout as sleep} from 'node:timers/promises'
import type {MessageQueue} from '../client/message.js'
import {PullConsumer, type PullResult} from '../client/pull-consumer.js'
import {RouteCache} from '../client/route-cache.js'
import {ConfigError, MqbenchError, RemotingError, TimeoutError} from '../errors.js'
import {type TopicRouteData} from '../protocol/bodies/topic-route-data.js'
import {MASTER_ID} from '../protocol/common/mix-all.js'
import {crc32} from '../protocol/crc32.js'
import type {MessageExt} from '../protocol/message/message-ext.js'
import {decodeMessageExt} from '../protocol/message/message-decoder.js'
import {forEachRecord, RecordView} from '../protocol/message/record-view.js'
import {ProtocolError} from '../protocol/protocol-error.js'
import {ResponseCode} from '../protocol/response-code.js'
import {RemotingClient} from '../remoting/remoting-client.js'
import {queueEndKey} from './acked-ends.js'
import {NOT_OURS} from '../recorder/ledger/delivery-ledger.js'
import {DeliveryLog, DeliveryLogBuilder} from '../recorder/ledger/delivery-log.js'

export type DrainIdentity = (m: MessageExt) => {producerId: number; seq: number; bodyCrc: number} | undefined
/**
 * DrainIdentity's answer read from a stored record in place, with no MessageExt (the hot path of a big read).
 * The answer may be an object the reader reuses: it is read before the next record.
 */
export type DrainRecordIdentity = (r: RecordView) => ReturnType<DrainIdentity>

export interface DrainOptions {
  namesrvAddr: string
  topic: string
  consumerGroup: string
  /** Replicas to read, as "ip:port"; default: each broker name's master (or its slave when the master left the route). */
  brokerAddrs?: string[]
  readIdentity: DrainIdentity
  /**
   * The same identity from a record read in place: with it the pulls stay undecoded and each record is read
   * where it lies (a compressed one is still decoded and given to readIdentity).
   */
  readRecordIdentity?: DrainRecordIdentity
  /** Absolute time (epoch ms, Date.now() scale) by which the drain must be done. */
  deadlineMs: number
  /** More topics to read, e.g. [retryTopic(group), dlqTopic(group)]; entry topic index = 1 + position. */
  extraTopics?: string[]
  /**
   * Messages asked for per pull (default 1024). The broker sends at most its maxTransferCountOnMessageInMemory /
   * BytesOnMessageInMemory (RocketMQ: 32 / 256 KiB; our embedded cluster: 1024 / 2 MiB), so a real broker just
   * answers smaller batches.
   */
  pullBatch?: number
  /**
   * Minimum end offset per main-topic queue (key queueEndKey(brokerName, queueId)), from the producers' SEND_OK
   * results: the drain waits for a lagging broker to reach it, until the deadline (see acked-ends.ts).
   */
  expectedEnds?: ReadonlyMap<string, number>
  /** How long, from the start of the drain, a queue may be waited for to reach its promised end (default 3000 ms). */
  settleMs?: number
  /** Queues drained at once (default 4). */
  concurrency?: number
  log?: (line: string) => void
}

/** What the drain needs from the client: routes and a pull aimed at one replica. */
export interface DrainSource {
  /** undefined when the namesrv does not know the topic (e.g. no %DLQ% yet). */
  route(topic: string): Promise<TopicRouteData | undefined>
  pull(mq: MessageQueue, offset: number, maxNums: number, brokerId: number): Promise<PullResult>
}

export interface DrainReport {
  entries: DeliveryLog
  pulls: number
  /** Offsets below a queue's min offset: deleted by retention, unreadable by anyone. */
  skippedOffsets: number
}

const DEFAULT_PULL_BATCH = 1024
const DEFAULT_CONCURRENCY = 4
const PULL_ATTEMPTS = 5
const RETRY_PAUSE_MS = 200
const SETTLE_PAUSE_MS = 100
const DEFAULT_SETTLE_MS = 3000

interface QueueTask { mq: MessageQueue; brokerId: number; topicIndex: number }
/** The options drainWith reads (no client wiring). */
export type DrainPlan = Omit<DrainOptions, 'namesrvAddr' | 'consumerGroup'>

/** Reads the topic (and extra topics) through src/client's PullConsumer; returns every message found. */
export async function drainTopic(opts: DrainOptions): Promise<DeliveryLog> {
  const remoting = new RemotingClient({log: opts.log})
  const routes = new RouteCache({remoting, namesrvAddr: opts.namesrvAddr, log: opts.log})
  const consumer = new PullConsumer({namesrvAddr: opts.namesrvAddr, consumerGroup: opts.consumerGroup, remoting, log: opts.log})
  await consumer.start()
  try {
    const source: DrainSource = {
      route: (topic) => routes.getRoute(topic, {refresh: true}).catch((err: unknown) => {
        if (err instanceof RemotingError && err.responseCode === ResponseCode.TOPIC_NOT_EXIST) return undefined
        throw err
      }),
      // No broker hold: an empty queue should answer at once, the drain is not waiting for new messages.
      // viewBody: toEntry checks each body against its identity's CRC with the BODYCRC check's own pass, no copy.
      pull: (mq, offset, maxNums, brokerId) => consumer.pull(mq, offset, maxNums, {
        brokerId, suspendTimeoutMillis: 0, decode: {viewBody: true}, raw: opts.readRecordIdentity !== undefined,
      }),
    }
    const report = await drainWith(source, opts)
    if (report.skippedOffsets > 0) opts.log?.(`drain: ${report.skippedOffsets} offsets below a queue's min offset were unreadable`)
    return report.entries
  } finally {
    await consumer.shutdown()
    remoting.close()
  }
}

/** The drain against any DrainSource (the seam the unit tests use). */
export async function drainWith(source: DrainSource, opts: DrainPlan): Promise<DrainReport> {
  if (!(opts.deadlineMs > 1e12)) {
    throw new ConfigError(`drain deadlineMs must be an absolute epoch time in ms, got ${opts.deadlineMs}`, {hint: 'pass Date.now() + timeoutMs'})
  }
  const topics = [opts.topic, ...(opts.extraTopics ?? [])]
  const tasks: QueueTask[] = []
  for (let topicIndex = 0; topicIndex < topics.length; topicIndex++) {
    const route = await beforeDeadline(source.route(topics[topicIndex]!), opts.deadlineMs, `route of ${topics[topicIndex]}`)
    if (route === undefined) {
      if (topicIndex === 0) throw new MqbenchError('DRAIN_NO_TOPIC', `drain: topic ${opts.topic} does not exist`, {topic: opts.topic})
      continue
    }
    tasks.push(...queueTasks(topics[topicIndex]!, topicIndex, route, opts.brokerAddrs, topicIndex === 0))
  }
  const counters = {pulls: 0, skippedOffsets: 0}
  const settleUntilMs = Math.min(opts.deadlineMs - 1000, Date.now() + (opts.settleMs ?? DEFAULT_SETTLE_MS))
  // One log per queue, joined in task order: each queue of each replica stays one run in offset order (order-checker.ts).
  const perTask = tasks.map(() => new DeliveryLogBuilder())
  let next = 0
  const worker = async () => {
    for (let i = next++; i < tasks.length; i = next++) await drainQueue(source, tasks[i]!, opts, perTask[i]!, counters, settleUntilMs)
  }
  await Promise.all(Array.from({length: Math.min(opts.concurrency ?? DEFAULT_CONCURRENCY, tasks.length)}, worker))
  // Each queue's records stay where they were appended: joining them would hold the whole read twice.
  return {entries: DeliveryLog.inMemory(...perTask.map((b) => b.records())), ...counters}
}

/** Which (broker name, broker id) replicas to read, and every readable queue on them. */
function queueTasks(topic: string, topicIndex: number, route: TopicRouteData, brokerAddrs: string[] | undefined, strict: boolean): QueueTask[] {
  const replicas: Array<{brokerName: string; brokerId: number}> = []
  const matched = new Set<string>()
  for (const bd of route.brokerDatas) {
    const ids = Object.keys(bd.brokerAddrs).map(Number).sort((a, b) => a - b)
    if (brokerAddrs === undefined) {
      const id = bd.brokerAddrs[MASTER_ID] !== undefined ? MASTER_ID : ids[0]
      if (id !== undefined) replicas.push({brokerName: bd.brokerName, brokerId: id})
      continue
    }
    for (const id of ids) {
      const addr = bd.brokerAddrs[String(id)]!
      if (!brokerAddrs.includes(addr)) continue
      matched.add(addr)
      replicas.push({brokerName: bd.brokerName, brokerId: id})
    }
  }
  const missing = (brokerAddrs ?? []).filter((a) => !matched.has(a))
  if (strict && missing.length > 0) {
    throw new MqbenchError('DRAIN_BROKER_UNKNOWN', `drain: ${missing.join(', ')} not in the route of ${topic}`, {topic, missing})
  }
  const tasks: QueueTask[] = []
  for (const r of replicas) {
    for (const qd of route.queueDatas) {
      if (qd.brokerName !== r.brokerName) continue
      for (let queueId = 0; queueId < qd.readQueueNums; queueId++) {
        tasks.push({mq: {topic, brokerName: r.brokerName, queueId}, brokerId: r.brokerId, topicIndex})
      }
    }
  }
  return tasks
}

/** Pulls one queue on one replica from offset 0 until it reaches the max offset the broker reports. */
async function drainQueue(
  source: DrainSource, task: QueueTask, opts: DrainPlan, out: DeliveryLogBuilder, report: Omit<DrainReport, 'entries'>, settleUntilMs: number,
): Promise<void> {
  const where = `${task.mq.topic}@${task.mq.brokerName}[${task.brokerId}] queue ${task.mq.queueId}`
  let offset = 0
  for (;;) {
    const r = await pullWithRetry(source, task, offset, opts.pullBatch ?? DEFAULT_PULL_BATCH, opts.deadlineMs, where)
    report.pulls++
    if (r.brokerId !== task.brokerId) {
      // The client falls back to another replica when the wanted one left the route; reading it would double count.
      throw new MqbenchError('DRAIN_REPLICA_GONE', `drain: ${where}: broker id ${task.brokerId} left the route`, {where})
    }
    let nextOffset = r.nextBeginOffset
    if (r.status === 'FOUND') {
      const nowMs = Date.now()
      try {
        for (const m of r.messages) appendMessage(out, m, opts.readIdentity, task, nowMs)
        if (r.records !== undefined) readRecords(r.records, opts, task, nowMs, out)
      } catch (err) {
        throw badRecords(err, where, offset)
      }
    } else if (offset < r.minOffset) {
      // OFFSET_ILLEGAL from a master, NO_MATCHED_MSG from a slave (RocketMQ's offsetCheckInSlave off): same gap.
      report.skippedOffsets += r.minOffset - offset
      nextOffset = Math.max(nextOffset, r.minOffset)
    }
    if (nextOffset <= offset || nextOffset >= r.maxOffset) {
      if (r.status === 'FOUND' && nextOffset <= offset) {
        throw new MqbenchError('DRAIN_NO_PROGRESS', `drain: ${where}: FOUND at ${offset} but next offset ${nextOffset}`, {where})
      }
      const promised = task.topicIndex === 0 ? opts.expectedEnds?.get(queueEndKey(task.mq.brokerName, task.mq.queueId)) : undefined
      // Bounded well inside the deadline: an acked message a power cut really destroyed never arrives.
      if (promised === undefined || Math.max(nextOffset, offset) >= promised || Date.now() + SETTLE_PAUSE_MS >= settleUntilMs) return
      // Acked entries not dispatched yet: wait for the broker rather than call them lost.
      await sleep(SETTLE_PAUSE_MS)
      offset = Math.max(nextOffset, offset)
      continue
    }
    offset = nextOffset
  }
}

async function pullWithRetry(source: DrainSource, task: QueueTask, offset: number, maxNums: number, deadlineMs: number, where: string): Promise<PullResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await beforeDeadline(source.pull(task.mq, offset, maxNums, task.brokerId), deadlineMs, `${where} at offset ${offset}`)
    } catch (err) {
      // A broker just restarted by the heal may refuse a pull or two; give up at the bound or the deadline.
      if (err instanceof TimeoutError || attempt >= PULL_ATTEMPTS || Date.now() + RETRY_PAUSE_MS >= deadlineMs) throw badRecords(err, where, offset)
      await sleep(RETRY_PAUSE_MS)
    }
  }
}

/** A malformed record in a pull names the replica, queue and offset it came from (the decoder knows only its byte position). */
function badRecords(err: unknown, where: string, offset: number): unknown {
  if (!(err instanceof ProtocolError)) return err
  return new MqbenchError('DRAIN_BAD_RECORD', `drain: ${where}: a pull from offset ${offset} holds a malformed record: ${err.message}`, {where, offset, cause: err})
}

function beforeDeadline<T>(p: Promise<T>, deadlineMs: number, what: string): Promise<T> {
  const leftMs = deadlineMs - Date.now()
  if (leftMs <= 0) {
    // The request is already under way: when it fails later (the drain closes its connections), nothing
    // would be listening, and that unhandled rejection killed the run before it wrote result.json.
    p.catch(() => undefined)
    return Promise.reject(new TimeoutError(`drain deadline passed before ${what}`, {what}))
  }
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`drain deadline passed during ${what}`, {what})), leftMs)
  })
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer))
}

/** The fields of a stored message a delivery record takes: a decoded MessageExt and a RecordView both have them. */
type StoredFields = Pick<MessageExt, 'queueId' | 'queueOffset' | 'reconsumeTimes' | 'bornTimestamp' | 'storeTimestamp'>

function appendStored(out: DeliveryLogBuilder, m: StoredFields, id: ReturnType<DrainIdentity>, crcOk: boolean, task: QueueTask, deliveredMs: number): void {
  out.append(
    id === undefined ? NOT_OURS : id.producerId, id === undefined ? 0 : id.seq, m.queueId, m.queueOffset, task.brokerId, m.reconsumeTimes,
    crcOk, deliveredMs, m.bornTimestamp, m.storeTimestamp, task.topicIndex,
  )
}

function appendMessage(out: DeliveryLogBuilder, m: MessageExt, readIdentity: DrainIdentity, task: QueueTask, deliveredMs: number): void {
  const id = readIdentity(m)
  appendStored(out, m, id, id === undefined || (m.bodyCrc32 ?? crc32(m.body)) === id.bodyCrc, task, deliveredMs)
}

const view = new RecordView()

/** A pull body read in place: one delivery record per stored record, with no MessageExt (a compressed record is decoded). */
function readRecords(records: Buffer, opts: DrainPlan, task: QueueTask, deliveredMs: number, out: DeliveryLogBuilder): void {
  const identityOf = opts.readRecordIdentity!
  forEachRecord(records, (r) => {
    if (r.compressed) {
      appendMessage(out, decodeMessageExt(r.buf, r.pos, {viewBody: true}), opts.readIdentity, task, deliveredMs)
      return
    }
    // Every record's BODYCRC is checked, ours or not, as decoding it would (a mismatch throws BAD_CRC).
    const crc = r.bodyCrc32()
    const id = identityOf(r)
    appendStored(out, r, id, id === undefined || crc === id.bodyCrc, task, deliveredMs)
  }, view)
}
