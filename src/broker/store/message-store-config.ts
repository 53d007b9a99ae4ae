/**
 * Store settings in RocketMQ's spelling and with RocketMQ's defaults (MessageStoreConfig;
 * rocketmq-protocol.md §7). Units: *Interval / *Timeout in ms, *Size* in bytes, *Pages in 4 KiB pages.
 */
import * as path from 'node:path'
import {ConfigError} from '../../errors.js'

import type {BrokerRole, FlushDiskType} from '../../protocol/common/broker-role.js'

export type {BrokerRole, FlushDiskType}

export interface MessageStoreConfig {
  storePathRootDir: string
  storePathCommitLog: string
  /** bytes per CommitLog file (RocketMQ: 1 GiB) */
  mappedFileSizeCommitLog: number
  /** bytes per ConsumeQueue file, a multiple of 20 (RocketMQ: 300000 units) */
  mappedFileSizeConsumeQueue: number
  flushDiskType: FlushDiskType
  brokerRole: BrokerRole
  /** ms a SYNC_FLUSH send waits for its fsync before FLUSH_DISK_TIMEOUT */
  syncFlushTimeout: number
  /** ms between ASYNC_FLUSH flush attempts */
  flushIntervalCommitLog: number
  /** dirty 4 KiB pages needed before an ASYNC_FLUSH flush */
  flushCommitLogLeastPages: number
  /** ms after which ASYNC_FLUSH flushes whatever is dirty */
  flushCommitLogThoroughInterval: number
  /** true: the flusher sleeps its interval; false: a put may wake it early */
  flushCommitLogTimed: boolean
  flushIntervalConsumeQueue: number
  flushConsumeQueueLeastPages: number
  flushConsumeQueueThoroughInterval: number
  checkCRCOnRecover: boolean
  /** largest body accepted, bytes */
  maxMessageSize: number
  /** os: written bytes reach the OS page cache before an ack; volatile: only fsync makes them survive a kill */
  pageCacheMode: 'os' | 'volatile'
  pageCacheWriteback: 'none' | 'random'
  pageCacheSeed: number
  /** brokerIP1:listenPort, written into STOREHOST and the offset msgId */
  storeHost: string
  /** pull batch limits (RocketMQ maxTransferCountOnMessageInMemory / Bytes); optional, defaults 32 / 256 KiB */
  maxTransferCountOnMessageInMemory?: number
  maxTransferBytesOnMessageInMemory?: number
}

export function defaultMessageStoreConfig(rootDir: string, storeHost: string): MessageStoreConfig {
  return {
    storePathRootDir: rootDir,
    storePathCommitLog: path.join(rootDir, 'commitlog'),
    mappedFileSizeCommitLog: 1024 * 1024 * 1024,
    mappedFileSizeConsumeQueue: 300_000 * 20,
    flushDiskType: 'ASYNC_FLUSH',
    brokerRole: 'ASYNC_MASTER',
    syncFlushTimeout: 5000,
    flushIntervalCommitLog: 500,
    flushCommitLogLeastPages: 4,
    flushCommitLogThoroughInterval: 10_000,
    flushCommitLogTimed: true,
    flushIntervalConsumeQueue: 1000,
    flushConsumeQueueLeastPages: 2,
    flushConsumeQueueThoroughInterval: 60_000,
    checkCRCOnRecover: true,
    maxMessageSize: 4 * 1024 * 1024,
    pageCacheMode: 'os',
    pageCacheWriteback: 'none',
    pageCacheSeed: 1,
    storeHost,
    maxTransferCountOnMessageInMemory: 32,
    maxTransferBytesOnMessageInMemory: 256 * 1024,
  }
}

/** Rejects settings the store cannot work with, naming the key and the expected form. */
export function validateMessageStoreConfig(c: MessageStoreConfig): void {
  const positive: (keyof MessageStoreConfig)[] = [
    'mappedFileSizeCommitLog', 'mappedFileSizeConsumeQueue', 'syncFlushTimeout', 'flushIntervalCommitLog',
    'flushCommitLogThoroughInterval', 'flushIntervalConsumeQueue', 'flushConsumeQueueThoroughInterval', 'maxMessageSize',
  ]
  for (const key of positive) {
    const v = c[key]
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) throw new ConfigError(`${key}: expected a positive integer, got ${String(v)}`)
  }
  if (c.mappedFileSizeConsumeQueue % 20 !== 0) {
    throw new ConfigError(`mappedFileSizeConsumeQueue: expected a multiple of 20 (ConsumeQueue unit), got ${c.mappedFileSizeConsumeQueue}`)
  }
  if (c.mappedFileSizeCommitLog < 4096) throw new ConfigError(`mappedFileSizeCommitLog: expected at least 4096 bytes, got ${c.mappedFileSizeCommitLog}`)
  if (!/^\d{1,3}(\.\d{1,3}){3}:\d{1,5}$/.test(c.storeHost)) throw new ConfigError(`storeHost: expected IPv4 ip:port, got ${JSON.stringify(c.storeHost)}`)
}
