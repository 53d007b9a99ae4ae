/**
 * The IPC vocabulary between the orchestrator and a worker process (Node's JSON IPC channel).
 *
 *   orchestrator → worker: start (once, full config), begin (producers with awaitBegin), stop
 *   worker → orchestrator: ready (client started, routes known), tick (once per second), done (once,
 *                          cumulative), error (typed, then the worker exits non-zero)
 *
 * Ticks carry *interval* values (counts and histograms of that second only) so the orchestrator can
 * draw a timeline without differencing; `done` carries cumulative values of the measured window
 * (after warm-up). Histograms are HdrHistogram's base64 compressed form (src/metrics encodeHistogram).
 */
import type {SendCounters, SendStatus} from '../metrics/index.js'
import type {ConsumerBehaviourConfig} from './consumer-behaviours/consumer-behaviour.js'
import type {BehaviourCounts} from './consumer-behaviours/behaviour-consumer.js'

export interface QueueRef {
  topic: string
  brokerName: string
  queueId: number
}

export type SendMode = 'sync' | 'async' | 'oneway'

/** Header encoding toward the brokers: ROCKETMQ (binary) against our embedded broker, JSON toward a real one by default. */
export type WireFormat = 'JSON' | 'ROCKETMQ'

export interface ProducerWorkerConfig {
  role: 'producer'
  wireFormat?: WireFormat
  workerId: number
  /** MQB_PID: unique per producer in a run. */
  producerId: number
  runId: string
  namesrvAddr: string
  producerGroup: string
  topic: string
  sendMode: SendMode
  /** Sends per second; 0 = as fast as maxInFlight allows. */
  ratePerSec: number
  /** Measured load after warm-up, ms. */
  durationMs: number
  /** Sends before the measured window: real and ledgered, excluded from histograms and counts. */
  warmupMs: number
  /** Epoch ms at which warm-up (slot 0) begins, so several workers start together; default: on start. */
  startAtMs?: number
  /**
   * Wait after `ready` for a `begin` message carrying the common start time. Lets the orchestrator
   * start the clock only once every worker is connected, instead of guessing how long spawning takes.
   */
  awaitBegin?: boolean
  bodySizeBytes: number
  /** Bound on outstanding sends (sync: concurrent virtual users; async: in-flight window). */
  maxInFlight: number
  seed: number
  /** Producer ledger file (src/recorder/ledger). */
  ledgerPath: string
  /** Restrict sends to these queues (round-robin); default: the client's own queue selection. */
  queues?: QueueRef[]
  tags?: string
  /** Backlog older than this is dropped (see ArrivalSchedule). Default 1000. */
  maxBacklogMs?: number
  sendMsgTimeout?: number
  retryTimesWhenSendFailed?: number
  retryTimesWhenSendAsyncFailed?: number
  retryAnotherBrokerWhenNotStoreOK?: boolean
  /**
   * Transactional outbox (workload/outbox): each message is written PENDING to this table before its
   * send and SUCCESS after SEND_OK; at start, entries left PENDING by a crashed run are sent again.
   */
  outbox?: {path: string}
  /** Java client only: DefaultMQProducer settings in RocketMQ's spelling, set as given (scenario workload.java.producer). */
  clientSettings?: Record<string, unknown>
}

export interface ConsumerWorkerConfig {
  role: 'consumer'
  wireFormat?: WireFormat
  workerId: number
  runId: string
  namesrvAddr: string
  consumerGroup: string
  topic: string
  /** This worker's client id and every client id of the group, for AllocateMessageQueueAveragely. */
  clientId: string
  groupClientIds: string[]
  /** Delivery ledger file (src/recorder/ledger). */
  ledgerPath: string
  /** Messages whose intended time is before this (epoch ms) are ledgered but kept out of e2e histograms. */
  measureFromMs?: number
  pullBatchSize?: number
  /** Long-poll hold per pull; short enough that stop is noticed promptly. Default 1000. */
  suspendTimeoutMillis?: number
  /** After stop: how long to keep draining towards the max offsets seen at stop time. Default 30000. */
  drainTimeoutMs?: number
  /** How often the committed offset is pushed even without pulls. Default 1000 (RocketMQ: 5000). */
  persistConsumerOffsetInterval?: number
  /**
   * Push-style consumption under a named practice (consumer-behaviours/): process queue, commit of the
   * smallest unacknowledged offset, %RETRY%<group> consumed too. Absent: plain pull, ledger before commit.
   */
  behaviour?: ConsumerBehaviourConfig
  /** Seeds the behaviour's failure draws. */
  seed?: number
  /** Java client only: DefaultMQPushConsumer settings in RocketMQ's spelling (scenario workload.java.consumer). */
  clientSettings?: Record<string, unknown>
}

export type WorkerConfig = ProducerWorkerConfig | ConsumerWorkerConfig

export interface StartMessage {
  type: 'start'
  config: WorkerConfig
}

/** Starts the load of a producer spawned with awaitBegin: slot 0 is at startAtMs (epoch ms). */
export interface BeginMessage {
  type: 'begin'
  startAtMs: number
}

/** Producers stop starting sends; consumers drain to the max offsets seen now, then report done. */
export interface StopMessage {
  type: 'stop'
}

export type OrchestratorMessage = StartMessage | BeginMessage | StopMessage

export interface ReadyMessage {
  type: 'ready'
  role: 'producer' | 'consumer'
  workerId: number
  pid: number
}

export interface ConsumerCounts {
  consumed: number
  /** Deliveries whose body CRC did not match MQB_CRC. */
  corrupt: number
  /** Deliveries without our identity (other runs, other producers). */
  foreign: number
  pullErrors: number
}

interface WorkerStats {
  role: 'producer' | 'consumer'
  workerId: number
  /** Seconds since the measured window began (negative during warm-up). */
  t: number
  phase: 'warmup' | 'load' | 'drain'
  counts: SendCounters | ConsumerCounts
  /** Producer: sends started in the interval (ticks) or in the measured window (done), by actual start time. */
  started?: number
  /** intended → ack, all statuses. */
  sendHist?: string
  /** send start → ack. */
  serviceHist?: string
  /** born timestamp → consumed. */
  e2eHist?: string
  /** intended → ack, per SendStatus. */
  byStatus?: Partial<Record<SendStatus, string>>
}

export interface TickMessage extends WorkerStats {
  type: 'tick'
}

export interface DoneMessage extends WorkerStats {
  type: 'done'
  /** Producer: sequence numbers handed out (0..attempted-1), warm-up included. */
  attempted?: number
  /** Producer: warm-up sends, counted apart from `counts`. */
  warmupCounts?: SendCounters
  /** Producer: the ledger's brokerName indexes, in order (index i = brokerNames[i]). */
  brokerNames?: string[]
  /** Producer with an outbox: PENDING entries of an earlier, crashed incarnation re-sent at start. */
  outboxResent?: number
  /** Producer: worst lag of a send's actual start behind its intended start, ms. */
  maxStartLagMs?: number
  /** Consumer: queues that had not reached their stop-time max offset when the drain deadline passed. */
  undrainedQueues?: number
  /** Consumer with a behaviour: what the practice did (processed, swallowed, sent back, skipped duplicates). */
  behaviourCounts?: BehaviourCounts
  /**
   * Worst and p99 event-loop delay of the worker over its run, ms: when these are close to
   * maxStartLagMs the driver itself (CPU starvation, GC) was the bottleneck, not the broker.
   */
  eventLoopDelayMaxMs?: number
  eventLoopDelayP99Ms?: number
  /** process.cpuUsage() of the worker at done, µs. */
  cpuUserUs: number
  cpuSystemUs: number
}

export interface ErrorMessage {
  type: 'error'
  workerId: number
  /** MqbenchError code (CONFIG, CONNECTION, TIMEOUT, RUN_BROKE, INTERNAL, ...). */
  code: string
  message: string
}

export type WorkerMessage = ReadyMessage | TickMessage | DoneMessage | ErrorMessage

export function isOrchestratorMessage(m: unknown): m is OrchestratorMessage {
  if (typeof m !== 'object' || m === null) return false
  const type = (m as {type?: unknown}).type
  if (type === 'begin') return typeof (m as {startAtMs?: unknown}).startAtMs === 'number'
  return type === 'stop' || (type === 'start' && typeof (m as {config?: unknown}).config === 'object')
}

export function isWorkerMessage(m: unknown): m is WorkerMessage {
  if (typeof m !== 'object' || m === null) return false
  const type = (m as {type?: unknown}).type
  return type === 'ready' || type === 'tick' || type === 'done' || type === 'error'
}
