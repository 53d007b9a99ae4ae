/**
 * broker.conf: RocketMQ's Java-properties broker file, keys in RocketMQ spelling with RocketMQ's
 * defaults (BrokerConfig + MessageStoreConfig + NettyServerConfig; rocketmq-protocol.md §7, §10).
 * Unlike Java, which silently ignores unknown keys and unparsable values (a trailing space turns
 * `slaveReadEnable=true ` into false), we refuse both with a one-line ConfigError naming the key.
 */
import {homedir} from 'node:os'
import {basename, join} from 'node:path'
import {z} from 'zod'
import {ConfigError} from '../errors.js'
import {defaultMessageStoreConfig, type MessageStoreConfig} from './store/message-store-config.js'
import {BROKEN_MODE_EXPECTED, BROKEN_MODE_PATTERN} from './processors/broken-mode-grammar.js'
import {DEFAULT_MESSAGE_DELAY_LEVEL, MESSAGE_DELAY_LEVEL_PATTERN} from './schedule/delay-levels.js'
import {BROKER_ROLES, FLUSH_DISK_TYPES} from '../protocol/common/broker-role.js'
import {MASTER_ID} from '../protocol/common/mix-all.js'
import {PermName} from '../protocol/common/perm-name.js'

/** Node timers fire at once for delays above 2^31-1 ms (TimeoutOverflowWarning), so no interval may exceed it. */
export const TIMER_MAX_MS = 2 ** 31 - 1
const nonNegMs = z.string().regex(/^\d+$/, 'expected a non-negative integer (ms)').transform(Number)
  .refine((n) => n <= TIMER_MAX_MS, `expected at most ${TIMER_MAX_MS} ms (about 24.8 days)`)
const posMs = z.string().regex(/^[1-9]\d*$/, 'expected a positive integer (ms)').transform(Number)
  .refine((n) => n <= TIMER_MAX_MS, `expected at most ${TIMER_MAX_MS} ms (about 24.8 days)`)
const idleSeconds = z.string().regex(/^\d+$/, 'expected a non-negative integer (s)').transform(Number)
  .refine((n) => n * 1000 <= TIMER_MAX_MS, `expected at most ${Math.floor(TIMER_MAX_MS / 1000)} s`)
const nonNegInt = z.string().regex(/^\d+$/, 'expected a non-negative integer').transform(Number)
const posInt = z.string().regex(/^[1-9]\d*$/, 'expected a positive integer').transform(Number)
const bytes = z.string().regex(/^[1-9]\d*$/, 'expected a positive integer (bytes)').transform(Number)
/** A pull answer must fit the client's 16 MiB frame, with one maxMessageSize record allowed past the byte limit. */
const MAX_TRANSFER_BYTES = 8 * 1024 * 1024
const MAX_TRANSFER_COUNT = 65_536
const port = z.string()
  .regex(/^\d+$/, 'expected a TCP port 0-65535')
  .transform(Number)
  .refine((n) => n <= 65535, 'expected a TCP port 0-65535')
const bool = z.enum(['true', 'false'], {message: 'expected true or false'}).transform((s) => s === 'true')
const text = z.string().min(1, 'expected a non-empty string')
const positiveNumber = z.string().regex(/^(\d+(\.\d*)?|\.\d+)(e-?\d+)?$/i, 'expected a positive number')
  .transform(Number).refine((n) => n > 0 && Number.isFinite(n), 'expected a positive number')
const ipv4 = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}$/, 'expected an IPv4 address like 127.0.0.1')
// The embedded broker has no authentication, so it listens on loopback only (architecture.md).
const loopbackIpv4 = ipv4.refine((s) => /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(s), 'expected a loopback address 127.x.x.x (the embedded broker listens on loopback only)')
const addr = z.string().regex(/^[^:;\s]+:\d+$/, 'expected host:port')
const namesrvList = z.string().regex(/^[^:;\s]+:\d+(;[^:;\s]+:\d+)*$/, 'expected host:port[;host:port...]')
const oneOf = <T extends [string, ...string[]]>(...values: T) =>
  z.enum(values, {message: `expected one of ${values.join(', ')}`})

/** Every key we understand. Units follow RocketMQ: durations in ms, sizes in bytes, pages of 4 KiB. */
const BrokerConfFile = z.object({
  brokerClusterName: text.optional(),
  brokerName: text.optional(),
  brokerId: nonNegInt.optional(),
  brokerRole: oneOf(...BROKER_ROLES).optional(),
  flushDiskType: oneOf(...FLUSH_DISK_TYPES).optional(),
  listenPort: port.optional(),
  namesrvAddr: namesrvList.optional(),
  brokerIP1: loopbackIpv4.optional(),
  brokerIP2: loopbackIpv4.optional(),
  haListenPort: port.optional(),
  haMasterAddress: addr.optional(),
  storePathRootDir: text.optional(),
  storePathCommitLog: text.optional(),
  mappedFileSizeCommitLog: bytes.optional(),
  mappedFileSizeConsumeQueue: bytes.refine((n) => n % 20 === 0, 'expected a multiple of 20 (bytes)').optional(),
  syncFlushTimeout: nonNegMs.optional(),
  slaveTimeout: nonNegMs.optional(),
  flushIntervalCommitLog: posMs.optional(),
  flushCommitLogLeastPages: nonNegInt.optional(),
  flushCommitLogThoroughInterval: nonNegMs.optional(),
  flushCommitLogTimed: bool.optional(),
  flushIntervalConsumeQueue: posMs.optional(),
  flushConsumeQueueLeastPages: nonNegInt.optional(),
  flushConsumeQueueThoroughInterval: nonNegMs.optional(),
  checkCRCOnRecover: bool.optional(),
  autoCreateTopicEnable: bool.optional(),
  autoCreateSubscriptionGroup: bool.optional(),
  defaultTopicQueueNums: posInt.refine((n) => n <= 1024, 'expected at most 1024 queues').optional(),
  slaveReadEnable: bool.optional(),
  maxMessageSize: bytes.optional(),
  maxTransferCountOnMessageInMemory: posInt.refine((n) => n <= MAX_TRANSFER_COUNT, `expected at most ${MAX_TRANSFER_COUNT} messages`).optional(),
  maxTransferBytesOnMessageInMemory: bytes.refine((n) => n <= MAX_TRANSFER_BYTES, `expected at most ${MAX_TRANSFER_BYTES} bytes (8 MiB)`).optional(),
  registerNameServerPeriod: posMs.optional(),
  longPollingEnable: bool.optional(),
  serverChannelMaxIdleTimeSeconds: idleSeconds.optional(),
  shortPollingTimeMills: nonNegMs.optional(),
  flushConsumerOffsetInterval: posMs.optional(),
  haSendHeartbeatInterval: posMs.optional(),
  haHousekeepingInterval: posMs.optional(),
  haTransferBatchSize: bytes.optional(),
  haMaxGapNotInSync: bytes.optional(),
  brokerPermission: z.string().regex(/^[0-7]$/, 'expected a perm value 0-7').transform(Number).optional(),
  pageCacheMode: oneOf('os', 'volatile').optional(),
  pageCacheWriteback: oneOf('none', 'random').optional(),
  pageCacheSeed: nonNegInt.optional(),
  messageDelayLevel: z.string().regex(MESSAGE_DELAY_LEVEL_PATTERN, 'expected durations with units s/m/h/d, e.g. "1s 5s 1m 2h"').optional(),
  delayTimeScale: positiveNumber.optional(),
  maxReconsumeTimes: nonNegInt.optional(),
  flushDelayOffsetInterval: posMs.optional(),
  mqbenchBrokenMode: z.string().regex(BROKEN_MODE_PATTERN, BROKEN_MODE_EXPECTED).optional(),
  mqbenchFaultInjection: bool.optional(),
  mqbenchRegisterAddr: addr.optional(),
  /**
   * Where the store lives, read by the orchestrator, not the broker: local (the run directory's disk)
   * or faultfs (mqbench mounts its FUSE file system over storePathRootDir, see src/cluster/faultfs/).
   */
  storeFs: oneOf('local', 'faultfs').optional(),
}).strict()

export type {BrokerRole, FlushDiskType} from './store/message-store-config.js'

/** Keys handed to the store unchanged; their units and meaning are documented on MessageStoreConfig. */
type StoreKeys = 'brokerRole' | 'flushDiskType' | 'mappedFileSizeCommitLog' | 'mappedFileSizeConsumeQueue' | 'syncFlushTimeout'
  | 'flushIntervalCommitLog' | 'flushCommitLogLeastPages' | 'flushCommitLogThoroughInterval' | 'flushCommitLogTimed'
  | 'flushIntervalConsumeQueue' | 'flushConsumeQueueLeastPages' | 'flushConsumeQueueThoroughInterval'
  | 'checkCRCOnRecover' | 'maxMessageSize' | 'pageCacheMode' | 'pageCacheWriteback' | 'pageCacheSeed'
  | 'maxTransferCountOnMessageInMemory' | 'maxTransferBytesOnMessageInMemory'

export interface BrokerConfig extends Pick<MessageStoreConfig, StoreKeys> {
  brokerClusterName: string
  brokerName: string
  brokerId: number
  /** 0 = any free port (tests); the bound port then goes into storeHost and brokerAddr. */
  listenPort: number
  namesrvAddr: string | undefined
  brokerIP1: string
  brokerIP2: string
  /** undefined = listenPort + 1, as RocketMQ derives it. */
  haListenPort: number | undefined
  haMasterAddress: string | undefined
  storePathRootDir: string
  storePathCommitLog: string | undefined
  slaveTimeout: number
  autoCreateTopicEnable: boolean
  autoCreateSubscriptionGroup: boolean
  defaultTopicQueueNums: number
  slaveReadEnable: boolean
  registerNameServerPeriod: number
  longPollingEnable: boolean
  /** NettyServerConfig: a client connection idle this long (no reads or writes) is closed; 0 = never. */
  serverChannelMaxIdleTimeSeconds: number
  shortPollingTimeMills: number
  flushConsumerOffsetInterval: number
  haSendHeartbeatInterval: number
  haHousekeepingInterval: number
  haTransferBatchSize: number
  haMaxGapNotInSync: number
  brokerPermission: number
  /** Delay per level 1..N (§9.2); retries use levels 3 + reconsumeTimes. */
  messageDelayLevel: string
  /** Not RocketMQ: every delay level is multiplied by this, so tests walk 18 levels in seconds. */
  delayTimeScale: number
  /** Stands in for the subscription group's retryMaxTimes (RocketMQ default 16): beyond it → %DLQ%<group>. */
  maxReconsumeTimes: number
  /** How often config/delayOffset.json is written, ms. */
  flushDelayOffsetInterval: number
  /** Not RocketMQ: a deliberately lying send path for audit acceptance tests ('off' = honest). */
  mqbenchBrokenMode: string
  /** Not RocketMQ: store I/O goes through FaultyFileIO and MQBENCH_FAULT may switch disk faults (else NO_PERMISSION). */
  mqbenchFaultInjection: boolean
  /** Not RocketMQ: the address registered with namesrv instead of our own (a fault proxy in front of us). */
  mqbenchRegisterAddr: string | undefined
}

/** RocketMQ's defaults, except brokerIP1/2: loopback, since mqbench runs every node on 127.0.0.1. */
export function defaultBrokerConfig(): BrokerConfig {
  return {
    brokerClusterName: 'DefaultCluster', brokerName: 'broker-a', brokerId: MASTER_ID,
    brokerRole: 'ASYNC_MASTER', flushDiskType: 'ASYNC_FLUSH', listenPort: 10911,
    namesrvAddr: undefined, brokerIP1: '127.0.0.1', brokerIP2: '127.0.0.1',
    haListenPort: undefined, haMasterAddress: undefined,
    storePathRootDir: join(homedir(), 'store'), storePathCommitLog: undefined,
    mappedFileSizeCommitLog: 1073741824, mappedFileSizeConsumeQueue: 6000000,
    syncFlushTimeout: 5000, slaveTimeout: 3000,
    flushIntervalCommitLog: 500, flushCommitLogLeastPages: 4, flushCommitLogThoroughInterval: 10000,
    flushCommitLogTimed: true, flushIntervalConsumeQueue: 1000, flushConsumeQueueLeastPages: 2,
    flushConsumeQueueThoroughInterval: 60000, checkCRCOnRecover: true,
    autoCreateTopicEnable: true, autoCreateSubscriptionGroup: true, defaultTopicQueueNums: 8,
    slaveReadEnable: false, maxMessageSize: 4194304, maxTransferCountOnMessageInMemory: 32, maxTransferBytesOnMessageInMemory: 262144,
    registerNameServerPeriod: 30000,
    longPollingEnable: true, serverChannelMaxIdleTimeSeconds: 120, shortPollingTimeMills: 1000, flushConsumerOffsetInterval: 5000,
    haSendHeartbeatInterval: 5000, haHousekeepingInterval: 20000, haTransferBatchSize: 32768,
    haMaxGapNotInSync: 268435456, brokerPermission: PermName.READ | PermName.WRITE,
    pageCacheMode: 'os', pageCacheWriteback: 'none', pageCacheSeed: 0,
    messageDelayLevel: DEFAULT_MESSAGE_DELAY_LEVEL, delayTimeScale: 1, maxReconsumeTimes: 16, flushDelayOffsetInterval: 10000,
    mqbenchBrokenMode: 'off', mqbenchFaultInjection: false, mqbenchRegisterAddr: undefined,
  }
}

/** Java properties subset: `key=value` or `key: value`, `#`/`!` comments, blank lines. */
export function parseProperties(text: string, source: string): Map<string, string> {
  const out = new Map<string, string>()
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue
    const m = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(line)
    if (!m) throw new ConfigError(`${source}: line ${i + 1}: expected key=value, got ${JSON.stringify(line)}`)
    out.set(m[1]!, m[2]!)
  }
  return out
}

/** Parses broker.conf text; `source` names the file in error messages. */
export function parseBrokerConfig(text: string, source = 'broker.conf'): BrokerConfig {
  const raw = parseProperties(text, source)
  const parsed = BrokerConfFile.safeParse(Object.fromEntries(raw))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    if (issue.code === 'unrecognized_keys') {
      throw new ConfigError(`${source}: ${issue.keys[0]}: unknown key (see rocketmq-protocol.md §7 for broker.conf keys)`)
    }
    const key = String(issue.path[0])
    throw new ConfigError(`${source}: ${key}: ${issue.message}, got ${JSON.stringify(raw.get(key) ?? '')}`)
  }
  const values = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined))
  const cfg: BrokerConfig = {...defaultBrokerConfig(), ...values}
  if (values['brokerIP2'] === undefined) cfg.brokerIP2 = cfg.brokerIP1
  checkRoleAndId(cfg, source)
  return cfg
}

// RocketMQ's BrokerStartup forces brokerId 0 for masters and refuses id 0 for a SLAVE.
function checkRoleAndId(cfg: BrokerConfig, source: string): void {
  if (cfg.brokerRole === 'SLAVE' && cfg.brokerId === MASTER_ID) {
    throw new ConfigError(`${source}: brokerId: expected an id >= 1 for brokerRole=SLAVE, got "0"`)
  }
  if (cfg.brokerRole !== 'SLAVE' && cfg.brokerId !== MASTER_ID) {
    throw new ConfigError(`${source}: brokerId: expected 0 for brokerRole=${cfg.brokerRole}, got "${cfg.brokerId}"`)
  }
}

/** Reads and parses a broker.conf file; a missing file is a ConfigError too. */
export async function loadBrokerConfig(path: string): Promise<BrokerConfig> {
  const {readFile} = await import('node:fs/promises')
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new ConfigError(`${basename(path)}: cannot read ${path}: ${(err as Error).message}`, {cause: err})
  }
  return parseBrokerConfig(text, basename(path))
}

export function brokerAddr(cfg: BrokerConfig, boundPort: number): string {
  return `${cfg.brokerIP1}:${boundPort}`
}

export function haServerAddr(cfg: BrokerConfig, boundPort: number): string {
  return `${cfg.brokerIP2}:${cfg.haListenPort ?? boundPort + 1}`
}

/** The store's view; storeHost needs the bound port (listenPort may be 0). */
export function toMessageStoreConfig(cfg: BrokerConfig, boundPort: number): MessageStoreConfig {
  const store = defaultMessageStoreConfig(cfg.storePathRootDir, brokerAddr(cfg, boundPort))
  return {
    ...store,
    storePathCommitLog: cfg.storePathCommitLog ?? join(cfg.storePathRootDir, 'commitlog'),
    mappedFileSizeCommitLog: cfg.mappedFileSizeCommitLog,
    mappedFileSizeConsumeQueue: cfg.mappedFileSizeConsumeQueue,
    flushDiskType: cfg.flushDiskType,
    brokerRole: cfg.brokerRole,
    syncFlushTimeout: cfg.syncFlushTimeout,
    flushIntervalCommitLog: cfg.flushIntervalCommitLog,
    flushCommitLogLeastPages: cfg.flushCommitLogLeastPages,
    flushCommitLogThoroughInterval: cfg.flushCommitLogThoroughInterval,
    flushCommitLogTimed: cfg.flushCommitLogTimed,
    flushIntervalConsumeQueue: cfg.flushIntervalConsumeQueue,
    flushConsumeQueueLeastPages: cfg.flushConsumeQueueLeastPages,
    flushConsumeQueueThoroughInterval: cfg.flushConsumeQueueThoroughInterval,
    checkCRCOnRecover: cfg.checkCRCOnRecover,
    maxMessageSize: cfg.maxMessageSize,
    maxTransferCountOnMessageInMemory: cfg.maxTransferCountOnMessageInMemory,
    maxTransferBytesOnMessageInMemory: cfg.maxTransferBytesOnMessageInMemory,
    pageCacheMode: cfg.pageCacheMode,
    pageCacheWriteback: cfg.pageCacheWriteback,
    pageCacheSeed: cfg.pageCacheSeed,
  }
}
