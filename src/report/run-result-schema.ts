/**
 * Runtime schema of RunResult: readResult() validates against it, and the committed
 * test/contract/run-result.schema.json is its JSON Schema form (runResultJsonSchema()). The two
 * assignments at the bottom make the compiler reject any drift between this schema and the types in
 * run-result.ts. Objects are strict so a field added to the types but not here fails loudly.
 * zod/v4 (shipped inside zod 3.25) is used for its JSON Schema generator.
 */
import {z} from 'zod/v4'
import {RUN_RESULT_SCHEMA, type RunResult} from './run-result.js'

const count = z.number().int().nonnegative()
const ms = z.number().nonnegative()
const seconds = z.number().nonnegative()

const latencySummary = z.strictObject({
  count, mean: ms, p50: ms, p90: ms, p99: ms, p999: ms, p9999: ms, max: ms,
})

const sendStatusKeys = ['SEND_OK', 'FLUSH_DISK_TIMEOUT', 'FLUSH_SLAVE_TIMEOUT', 'SLAVE_NOT_AVAILABLE'] as const

const timelinePoint = z.strictObject({
  t: seconds, sendTps: z.number().nonnegative(), consumeTps: z.number().nonnegative(),
  sendP99Ms: ms, e2eP99Ms: ms, errors: count,
})

const verdictCheck = z.strictObject({
  name: z.string(), promise: z.string(), observed: z.string(), pass: z.boolean(),
  lostSamples: z.array(z.string()).optional(), weak: z.boolean().optional(),
})

const audit = z.strictObject({
  attempted: count, acked: count, delivered: count, ok: count, lost: count, duplicated: count,
  recovered: count, unexpected: count, corrupt: count, missingUnconfirmed: count, deliveries: count,
  lostFromStore: count.optional(), reordered: count.optional(),
  valid: z.union([z.literal(true), z.literal(false), z.literal('unknown')]),
  samples: z.record(z.string(), z.array(z.string())),
})

const range = z.strictObject({min: count, max: count})

const consumptionGroup = z.strictObject({
  consumerGroup: z.string(), behaviour: z.string(), valid: z.boolean(), acked: count, processed: count, lost: count,
  deadLettered: count, duplicated: count, duplicatedBrokerCaused: count, duplicatedRetryCaused: count, retried: count,
  processings: count, retryCopies: count, dlqCopies: count, deadLetterRetries: range.optional(), dlqReconsumeTimes: range.optional(),
  worker: z.strictObject({
    processed: count, failed: count, swallowed: count, sentBack: count, sendBackFailed: count, skippedDuplicates: count,
  }).optional(),
  samples: z.record(z.string(), z.array(z.string())),
})

export const runResultSchema = z.strictObject({
  schema: z.literal(RUN_RESULT_SCHEMA),
  runId: z.string().min(1),
  runDir: z.string(),
  scenario: z.strictObject({name: z.string(), file: z.string(), description: z.string(), expectedVerdict: z.literal('FAIL').optional()}),
  config: z.record(z.string(), z.unknown()),
  target: z.enum(['embedded', 'rocketmq']),
  client: z.strictObject({implementation: z.enum(['mqbench', 'apache-rocketmq-client-java']), version: z.string()}).optional(),
  startedAt: z.string(),
  endedAt: z.string(),
  status: z.enum(['completed', 'interrupted', 'broken']),
  throughput: z.strictObject({
    sendTps: z.number().nonnegative(), consumeTps: z.number().nonnegative(), attempted: count, acked: count,
    durationS: seconds, targetRate: z.number().nonnegative(),
  }),
  latency: z.strictObject({
    send: latencySummary, sendService: latencySummary, e2e: latencySummary,
    // An object with optional keys, not a partial record: its JSON Schema form is plain properties.
    byStatus: z.strictObject(Object.fromEntries(sendStatusKeys.map((k) => [k, latencySummary.optional()])) as
      Record<(typeof sendStatusKeys)[number], z.ZodOptional<typeof latencySummary>>),
  }),
  sendStatus: z.strictObject({SEND_OK: count, FLUSH_DISK_TIMEOUT: count, FLUSH_SLAVE_TIMEOUT: count, SLAVE_NOT_AVAILABLE: count}),
  errors: z.strictObject({
    total: count, timeout: count, connection: count, broker: z.record(z.string(), count), retries: count, dropped: count,
  }),
  audit,
  timeline: z.array(timelinePoint),
  faults: z.array(z.strictObject({
    at: seconds, action: z.string(), target: z.string(), healedAt: seconds.optional(), unsyncedBytes: count.optional(), description: z.string().optional(),
  })),
  replication: z.strictObject({
    commitLogIdentical: z.boolean(), masterSha256: z.string(), slaveSha256: z.string(), masterBytes: count, slaveBytes: count,
  }).optional(),
  consumption: z.strictObject({maxReconsumeTimes: count, groups: z.array(consumptionGroup)}).optional(),
  recovery: z.array(z.strictObject({
    node: z.string(), atMs: z.number(), abnormal: z.boolean(), truncatedAt: z.string().optional(), reason: z.string().optional(),
    truncatedBytes: count, recordsBeyond: count, quarantined: z.array(z.string()), consumeQueueRebuild: z.string().optional(),
    lost: count, lostSamples: z.array(z.string()),
  })).optional(),
  verdict: z.strictObject({pass: z.boolean(), checks: z.array(verdictCheck), weak: z.boolean().optional()}),
  thresholds: z.array(z.strictObject({
    expression: z.string(), field: z.string(), observed: z.number().nullable(), limit: z.number(), pass: z.boolean(),
  })).optional(),
  cluster: z.array(z.strictObject({name: z.string(), role: z.string(), flushDiskType: z.string(), addr: z.string()})),
  jvmWarmup: z.strictObject({
    ms, steady: z.boolean(), sendOkPerSecond: z.array(count), targetRate: z.number().nonnegative(), plateauRate: z.number().nonnegative().optional(), steadySeconds: count, tolerance: z.number().nonnegative(),
  }).optional(),
})

// Compile-time pin: each side must be assignable to the other.
type Parsed = z.infer<typeof runResultSchema>
const typesFollowSchema = (r: Parsed): RunResult => r
const schemaFollowsTypes = (r: RunResult): Parsed => r
// Assignability alone lets an optional field exist on one side only; compare the key sets too.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false
const sameKeys: [
  SameKeys<RunResult, Parsed>, SameKeys<RunResult['latency'], Parsed['latency']>,
  SameKeys<RunResult['faults'][number], Parsed['faults'][number]>,
  SameKeys<RunResult['verdict']['checks'][number], Parsed['verdict']['checks'][number]>,
  SameKeys<NonNullable<RunResult['thresholds']>[number], NonNullable<Parsed['thresholds']>[number]>,
  SameKeys<NonNullable<RunResult['consumption']>['groups'][number], NonNullable<Parsed['consumption']>['groups'][number]>,
  SameKeys<NonNullable<RunResult['recovery']>[number], NonNullable<Parsed['recovery']>[number]>,
] = [true, true, true, true, true, true, true]
void typesFollowSchema
void schemaFollowsTypes
void sameKeys

/** The JSON Schema committed as test/contract/run-result.schema.json. */
export function runResultJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://mqbench.dev/schemas/mqbench.result/v1.json',
    title: 'mqbench RunResult (mqbench.result/v1)',
    ...z.toJSONSchema(runResultSchema, {target: 'draft-2020-12'}),
  }
}

/** Field path + message for each problem, e.g. "latency.send.p99: expected number". */
export function describeIssues(error: z.ZodError, limit = 10): string[] {
  return error.issues.slice(0, limit).map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
}
