/**
 * workload.client and workload.java: which client implementation drives the load, and, for the
 * official Apache RocketMQ Java client, its version and its own settings in RocketMQ's spelling,
 * handed straight to DefaultMQProducer / DefaultMQPushConsumer setters. Unknown keys are refused
 * (strict objects), so a misspelt setting is exit 2 naming it instead of a silent default.
 */
import {readFileSync} from 'node:fs'
import {z} from 'zod'

export const CLIENTS = ['mqbench', 'java'] as const
export type ClientName = (typeof CLIENTS)[number]
export const JAVA_CLIENT_DEFAULT_VERSION = '5.3.3'
/** DefaultMQPushConsumer's default in 4.9.x and 5.x. */
const DEFAULT_CONSUME_THREAD_MIN = 20

export const ClientSchema = z.enum(CLIENTS, {errorMap: () => ({message: 'expected mqbench or java'})})

const int = (min: number, max: number) => z.number().int().min(min).max(max)

export const JavaProducerSettingsSchema = z
  .object({
    sendMsgTimeout: int(1, 600_000),
    retryTimesWhenSendFailed: int(0, 16),
    retryTimesWhenSendAsyncFailed: int(0, 16),
    retryAnotherBrokerWhenNotStoreOK: z.boolean(),
    compressMsgBodyOverHowmuch: int(0, 64 * 1024 * 1024),
    maxMessageSize: int(1, 64 * 1024 * 1024),
  })
  .partial()
  .strict()

export const JavaConsumerSettingsSchema = z
  .object({
    consumeThreadMin: int(1, 1000),
    consumeThreadMax: int(1, 1000),
    consumeMessageBatchMaxSize: int(1, 1024),
    pullBatchSize: int(1, 1024),
    maxReconsumeTimes: int(-1, 16 + 100),
    consumeFromWhere: z.enum(['CONSUME_FROM_LAST_OFFSET', 'CONSUME_FROM_FIRST_OFFSET', 'CONSUME_FROM_TIMESTAMP']),
    messageModel: z.enum(['CLUSTERING', 'BROADCASTING']),
  })
  .partial()
  .strict()
  // The client refuses this only at start ("consumeThreadMin (20) is larger than consumeThreadMax"); say it now.
  .superRefine((c, ctx) => {
    const min = c.consumeThreadMin ?? DEFAULT_CONSUME_THREAD_MIN
    if (c.consumeThreadMax !== undefined && c.consumeThreadMax < min) {
      ctx.addIssue({code: z.ZodIssueCode.custom, path: ['consumeThreadMax'], message: `expected at least consumeThreadMin (${min}${c.consumeThreadMin === undefined ? ', the client default' : ''})`})
    }
  })

export const JavaClientSchema = z
  .object({
    /** org.apache.rocketmq:rocketmq-client version the workers are built against. */
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'expected a client version like 5.3.3 or 4.9.7').default(JAVA_CLIENT_DEFAULT_VERSION),
    producer: JavaProducerSettingsSchema.default({}),
    consumer: JavaConsumerSettingsSchema.default({}),
  })
  .strict()

export type JavaClientSettings = z.output<typeof JavaClientSchema>

/** What result.json and the report name as the client. */
export interface ClientRef {
  implementation: 'mqbench' | 'apache-rocketmq-client-java'
  version: string
}

/** package.json's version, the client version result.json names for ours: dist/src/scenario and src/scenario both sit two levels below it. */
export const MQBENCH_VERSION: string = (() => {
  for (const rel of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as {name?: string; version?: string}
      if (pkg.name === 'mqbench' && typeof pkg.version === 'string') return pkg.version
    } catch {
      // not at this level
    }
  }
  return 'unknown'
})()

/** The rocketmq-client version the Java workers are built against (the schema's default when java: is absent). */
export function javaClientVersion(w: {java?: JavaClientSettings}): string {
  return w.java?.version ?? JAVA_CLIENT_DEFAULT_VERSION
}

export function clientRef(w: {client: ClientName; java?: JavaClientSettings}, mqbenchVersion: string = MQBENCH_VERSION): ClientRef {
  if (w.client === 'java') return {implementation: 'apache-rocketmq-client-java', version: javaClientVersion(w)}
  return {implementation: 'mqbench', version: mqbenchVersion}
}
