/**
 * The scenario file: cluster (brokers with broker.conf keys in RocketMQ spelling), workload, faults and
 * thresholds. Durations, sizes and rates accept units ("10s", "1KiB", "5k/s"); they are normalised to
 * numbers here so the rest of mqbench never parses units again.
 */
import {z} from 'zod'
import {durationProblem, formatDurationExact, parseDurationMs, parseRatePerSec, parseSizeBytes} from '../units.js'
import {CONSUMER_BEHAVIOURS} from '../workload/consumer-behaviours/consumer-behaviour.js'
import {ClientSchema, JavaClientSchema} from './java-client.js'
import {BROKER_ROLES, FLUSH_DISK_TYPES} from '../protocol/common/broker-role.js'
import {MASTER_ID} from '../protocol/common/mix-all.js'

function unitNumber(parse: (v: string | number, field: string) => number, expected: string) {
  return z.union([z.string(), z.number()]).transform((v, ctx) => {
    try {
      return parse(v, '')
    } catch {
      ctx.addIssue({code: z.ZodIssueCode.custom, message: expected})
      return z.NEVER
    }
  })
}

export const durationMs = z.union([z.string(), z.number()]).transform((v, ctx) => {
  try {
    return parseDurationMs(v, '')
  } catch {
    ctx.addIssue({code: z.ZodIssueCode.custom, message: durationProblem(v)})
    return z.NEVER
  }
})

/**
 * A duration key with its documented range (README "Scenarios"): `warmup: 1000h` is a typo, not a plan,
 * and is refused naming the key and the range before anything starts.
 */
export function durationIn(minMs: number, maxMs: number, opts: {positive?: boolean} = {}) {
  const range = `expected a duration from ${opts.positive ? 'above 0' : formatDurationExact(minMs)} to ${formatDurationExact(maxMs)}`
  return durationMs.pipe(z.number().superRefine((ms, ctx) => {
    if ((opts.positive ? ms <= 0 : ms < minMs) || ms > maxMs) ctx.addIssue({code: z.ZodIssueCode.custom, message: `${range}, got ${formatDurationExact(ms)}`})
  }))
}
export const sizeBytes = unitNumber(parseSizeBytes, 'expected a size like 1024, 1KiB or 4MB')
export const ratePerSec = unitNumber(parseRatePerSec, 'expected a rate like 5000 or 5k/s (0 = as fast as possible)')

export const BrokerRoleSchema = z.enum(BROKER_ROLES, {
  errorMap: () => ({message: 'expected ASYNC_MASTER, SYNC_MASTER or SLAVE'}),
})
export const FlushDiskTypeSchema = z.enum(FLUSH_DISK_TYPES, {
  errorMap: () => ({message: 'expected SYNC_FLUSH or ASYNC_FLUSH'}),
})
export const SendModeSchema = z.enum(['sync', 'async', 'oneway'], {errorMap: () => ({message: 'expected sync, async or oneway'})})

const confValue = z.union([z.string(), z.number(), z.boolean()], {
  errorMap: () => ({message: 'expected a string, number or boolean broker.conf value'}),
})

export const BrokerSchema = z
  .object({
    brokerName: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a broker name of letters, digits, _ or -'),
    brokerId: z.number().int().min(0, 'expected 0 (master) or ≥ 1 (slave)'),
    brokerRole: BrokerRoleSchema,
    flushDiskType: FlushDiskTypeSchema,
    /** Any further broker.conf keys (RocketMQ spelling); the broker validates them at start. */
    conf: z.record(confValue).default({}),
  })
  .strict()
  .superRefine((b, ctx) => {
    if ((b.brokerRole === 'SLAVE') !== (b.brokerId !== MASTER_ID)) {
      ctx.addIssue({code: z.ZodIssueCode.custom, path: ['brokerId'], message: 'expected brokerId 0 for a master and ≥ 1 for a SLAVE'})
    }
  })

const BehaviourName = z.enum(CONSUMER_BEHAVIOURS, {errorMap: () => ({message: `expected one of ${CONSUMER_BEHAVIOURS.join(', ')}`})})

/**
 * How the application consumes (workload/consumer-behaviours). A list runs the practices side by
 * side, each as its own consumer group `<consumerGroup>-<behaviour>` on the same topic, so one run
 * prints lost/duplicated per practice.
 */
export const ConsumerBehaviourSchema = z
  .object({
    behaviour: z.union([BehaviourName, z.array(BehaviourName).min(1, 'expected at least one behaviour')]),
    /** Probability that processing one delivery fails. */
    failureRate: z.number().min(0, 'expected 0..1').max(1, 'expected 0..1').default(0),
    processTime: durationIn(0, 60_000).default('0s'),
    /** Sent with each CONSUMER_SEND_MSG_BACK; the broker dead-letters past it. */
    maxReconsumeTimes: z.number().int().min(0).max(100).default(16),
  })
  .strict()

export const WorkloadSchema = z
  .object({
    topic: z.string().regex(/^[A-Za-z0-9%_|-]{1,127}$/, 'expected 1–127 chars of [A-Za-z0-9%_|-]').default('mqbench'),
    queues: z.number().int().min(1).max(256).default(4),
    messageSize: sizeBytes.pipe(z.number().int().min(16, 'expected at least 16 bytes').max(4 * 1024 * 1024, 'expected at most 4MiB (the broker\'s maxMessageSize)')).default(1024),
    rate: ratePerSec.pipe(z.number().max(1_000_000, 'expected at most 1M msg/s')).default(2000),
    duration: durationIn(0, 24 * 3_600_000, {positive: true}).default('10s'),
    warmup: durationIn(0, 3_600_000).default('1s'),
    producers: z.number({invalid_type_error: 'expected an integer from 1 to 64'}).int('expected an integer from 1 to 64')
      .min(1, 'expected an integer from 1 to 64').max(64, 'expected an integer from 1 to 64').default(1),
    sendMode: SendModeSchema.default('async'),
    maxInFlight: z.number().int().min(1).max(65536).default(256),
    consumers: z.number({invalid_type_error: 'expected an integer from 0 to 64'}).int('expected an integer from 0 to 64')
      .min(0, 'expected an integer from 0 to 64').max(64, 'expected an integer from 0 to 64').default(1),
    consumerGroup: z.string().regex(/^[A-Za-z0-9%_|-]{1,120}$/, 'expected 1–120 chars of [A-Za-z0-9%_|-]').default('mqbench-consumer'),
    producerGroup: z.string().regex(/^[A-Za-z0-9%_|-]{1,120}$/).default('mqbench-producer'),
    /** RocketMQ's DefaultMQProducer#sendMsgTimeout (3 s); 0 would time every send out. */
    sendMsgTimeout: durationIn(1, 600_000).default('3s'),
    retryTimesWhenSendFailed: z.number().int().min(0).max(16).default(2),
    // From 1 ms: a drain that cannot finish is a legal run, judged "audit incomplete" (audit/drain-budget.ts).
    drainTimeout: durationIn(1, 3_600_000).default('15s'),
    /** Absent: plain pull consumers (ledger before commit). */
    consumer: ConsumerBehaviourSchema.optional(),
    /** Producers keep a local outbox table and re-send what a crashed incarnation left PENDING. */
    outbox: z.boolean().default(false),
    /**
     * Orderly sending, as with RocketMQ's MessageQueueSelector: each producer sends to one queue of its
     * own, synchronously, one message in flight, never retrying on another queue; the verdict then
     * requires each queue to hold every producer's messages in send order.
     */
    ordered: z.boolean().default(false),
    /** Who drives the load: our TypeScript client (default) or the official Java client (workers/java). */
    client: ClientSchema.default('mqbench'),
    /** client: java only: rocketmq-client version and its producer/consumer settings in RocketMQ's spelling. */
    java: JavaClientSchema.optional(),
  })
  .strict()
  .superRefine((w, ctx) => {
    for (const p of sendModeProblems(w)) ctx.addIssue({code: z.ZodIssueCode.custom, path: [p.field], message: p.message})
    for (const p of clientProblems(w)) ctx.addIssue({code: z.ZodIssueCode.custom, path: [p.field], message: p.message})
  })
  // Ordered sending is one message in flight per producer; said here so result.json's config shows what ran.
  .transform((w) => (w.ordered ? {...w, maxInFlight: 1} : w))

/** Send modes a workload feature cannot work with; the schema and the --send-mode flag both refuse them. */
export function sendModeProblems(w: {sendMode: string; ordered: boolean; outbox: boolean}): {field: 'ordered' | 'outbox'; message: string}[] {
  const problems: {field: 'ordered' | 'outbox'; message: string}[] = []
  if (w.ordered && w.sendMode !== 'sync') {
    problems.push({field: 'ordered', message: `expected sendMode sync with ordered (got ${w.sendMode}: only a sync send knows its predecessor was stored)`})
  }
  if (w.outbox && w.sendMode === 'oneway') {
    problems.push({field: 'outbox', message: 'expected sendMode sync or async with an outbox (oneway never learns SEND_OK)'})
  }
  return problems
}

/** Client choices that contradict the workload; the schema and the --client flag both refuse them. */
export function clientProblems(w: {client: string; java?: unknown}): {field: 'java'; message: string}[] {
  if (w.client !== 'java' && w.java !== undefined) return [{field: 'java', message: 'expected client: java with java settings'}]
  return []
}

export const FaultSchema = z
  .object({
    action: z.string(),
    target: z.string(),
    at: durationIn(0, 24 * 3_600_000).optional(),
    every: durationIn(0, 24 * 3_600_000, {positive: true}).optional(),
    jitter: durationIn(0, 24 * 3_600_000).optional(),
    for: durationIn(0, 24 * 3_600_000).optional(),
    cycles: z.number().int().min(1).optional(),
    /** Inject at its time even while earlier faults are held (e.g. a throttled HA link, then the master's disk dies). */
    overlap: z.boolean().optional(),
    params: z.record(z.unknown()).default({}),
  })
  .strict()

const percent = (what: string) => z.number({invalid_type_error: `expected a percentage 0..100 of ${what}`})
  .min(0, `expected a percentage 0..100 of ${what}`).max(100, `expected a percentage 0..100 of ${what}`)

/** The load checks of the verdict (audit/run-health.ts); absent keys take the documented defaults. */
export const VerdictLimitsSchema = z
  .object({
    minSendOkPct: percent('the intended sends').optional(),
    maxErrorPct: percent('the intended sends').optional(),
    minConsumedPct: percent('the SEND_OK messages').optional(),
  })
  .strict()

const HOST_PORT = /^[A-Za-z0-9.-]+:(\d{1,5})$/
/** 'host:port' of a namesrv, as RocketMQ's namesrvAddr spells one entry; shared with the --namesrv flag. */
export const NamesrvAddrSchema = z.string().refine((v) => {
  const port = Number(HOST_PORT.exec(v)?.[1] ?? 0)
  return port >= 1 && port <= 65_535
}, 'expected host:port with a port from 1 to 65535, e.g. 127.0.0.1:9876')

export const ScenarioSchema = z
  .object({
    name: z.string().min(1),
    /** Built-in scenarios carry one (`mqbench list` prints it); a custom file may leave it out. */
    description: z.string().default(''),
    target: z.enum(['embedded', 'rocketmq'], {errorMap: () => ({message: 'expected embedded or rocketmq'})}).default('embedded'),
    seed: z.number().int().optional(),
    /** target rocketmq: the Apache RocketMQ release to run (installed by `npm run rocketmq:install -- --version X`); default 5.3.3. */
    rocketmqVersion: z.string().regex(/^\d+\.\d+\.\d+$/, 'expected a release like 5.3.3 or 4.9.7').optional(),
    cluster: z
      .object({
        clusterName: z.string().default('MqbenchCluster'),
        /** An existing cluster's namesrv: mqbench starts no broker, discovers them there (src/cluster/existing-cluster.ts). */
        namesrv: NamesrvAddrSchema.optional(),
        brokers: z.array(BrokerSchema).min(1, 'expected at least one broker'),
      })
      .strict()
      .superRefine((c, ctx) => {
        if (!c.brokers.some((b) => b.brokerId === MASTER_ID)) {
          ctx.addIssue({code: z.ZodIssueCode.custom, path: ['brokers'], message: 'expected one master (brokerId 0)'})
        }
      }),
    workload: WorkloadSchema.default({}),
    faults: z.array(FaultSchema).default([]),
    thresholds: z.array(z.string()).default([]),
    verdict: VerdictLimitsSchema.default({}),
    /** FAIL: a demonstration that must fail (a lying disk must be caught); list and report say so. */
    expectedVerdict: z.enum(['PASS', 'FAIL'], {errorMap: () => ({message: 'expected PASS or FAIL'})}).default('PASS'),
  })
  .strict()

export type Scenario = z.output<typeof ScenarioSchema>
export type BrokerDefinition = z.output<typeof BrokerSchema>
export type Workload = z.output<typeof WorkloadSchema>
export type ConsumerBehaviourDefinition = z.output<typeof ConsumerBehaviourSchema>
