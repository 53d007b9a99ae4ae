/**
 * GET_BROKER_RUNTIME_INFO (28): a KVTable body {"table": {name: string}} with the keys a RocketMQ
 * 5.x broker reports (AdminBrokerProcessor.prepareRuntimeInfo + DefaultMessageStore.getRuntimeInfo
 * + StoreStatsService.getRuntimeInfo) wherever this broker can know the figure, in RocketMQ's
 * formats, so mqadmin brokerStatus and clusterList, the dashboard and the exporter read real values.
 * Keys of features we do not have (the timer wheel, transient store pool) carry the value RocketMQ
 * itself reports with the feature off. Plus our own flush counters, which benchmarks read.
 */
import {statfsSync} from 'node:fs'
import {encodeJsonBody} from '../../protocol/bodies/json-body.js'
import {DEFAULT_VERSION, newResponse, type RemotingCommand} from '../../protocol/remoting-command.js'
import {ResponseCode} from '../../protocol/response-code.js'
import type {BrokerContext, BrokerStore} from '../broker-context.js'
import type {MessageStore} from '../store/message-store.js'

/** MixAll.humanReadableByteCount(bytes, si=false): "512 B", "1.5 KiB", "3.0 GiB". */
export function humanReadableByteCount(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const exp = Math.min(6, Math.floor(Math.log(bytes) / Math.log(1024)))
  return `${(bytes / 1024 ** exp).toFixed(1)} ${'KMGTPE'[exp - 1]}iB`
}

/** StoreStatsService.getFormatRuntime: "[ 0 days, 1 hours, 2 minutes, 3 seconds ]". */
export function formatRuntime(ms: number): string {
  const s = Math.floor(ms / 1000)
  return `[ ${Math.floor(s / 86400)} days, ${Math.floor((s % 86400) / 3600)} hours, ${Math.floor((s % 3600) / 60)} minutes, ${s % 60} seconds ]`
}

/** UtilAll.getDiskPartitionSpaceUsedPercent: (total - free) / total of the partition holding `path`; -1 if unknown. */
export function diskUsedRatio(path: string): {ratio: number; totalBytes: number; freeBytes: number} {
  try {
    const st = statfsSync(path)
    const total = st.blocks * st.bsize
    const free = st.bfree * st.bsize
    return {ratio: total > 0 ? (total - free) / total : -1, totalBytes: total, freeBytes: free}
  } catch {
    return {ratio: -1, totalBytes: 0, freeBytes: 0}
  }
}

/** Flush counters (ours: benchmarks read messages per fsync); only the real store has them. */
function flushStats(store: BrokerStore): Record<string, string> {
  const stats = typeof (store as Partial<MessageStore>).stats === 'function' ? (store as MessageStore).stats() : undefined
  if (!stats) return {}
  const fsyncs = stats.groupCommit?.fsyncCount ?? stats.intervalFlush?.fsyncCount ?? 0
  return {
    commitLogFsyncTimes: String(fsyncs),
    ...(stats.groupCommit && {
      groupCommitFlushedMessages: String(stats.groupCommit.flushedMessages),
      flushDiskTimeoutTimes: String(stats.groupCommit.timeouts),
    }),
  }
}

function storeInfo(ctx: BrokerContext): Record<string, string> {
  const {store, stats, runtime} = ctx
  const disk = diskUsedRatio(ctx.config.storePathRootDir)
  const maxPhy = store.getMaxPhyOffset()
  return {
    bootTimestamp: String(runtime.bootMs),
    runtime: formatRuntime(Date.now() - runtime.bootMs),
    putMessageTimesTotal: String(stats.putMessageTimes),
    putMessageFailedTimes: String(stats.putMessageFailedTimes),
    putTps: runtime.tpsTriple('putMessageTimes'),
    getFoundTps: runtime.tpsTriple('getMessageFoundTimes'),
    getMissTps: runtime.tpsTriple('getMessageMissTimes'),
    getTotalTps: runtime.totalGetTpsTriple(),
    getTransferredTps: runtime.tpsTriple('getMessageTransferredMsgs'),
    // 4.x brokers (and 4.x clusterList) spell it with one r.
    getTransferedTps: runtime.tpsTriple('getMessageTransferredMsgs'),
    commitLogDiskRatio: String(disk.ratio),
    consumeQueueDiskRatio: String(disk.ratio),
    commitLogMinOffset: String(store.getMinPhyOffset()),
    commitLogMaxOffset: String(maxPhy),
    commitLogDirCapacity: `Total : ${humanReadableByteCount(disk.totalBytes)}, Free : ${humanReadableByteCount(disk.freeBytes)}.`,
    remainHowManyDataToFlush: humanReadableByteCount(Math.max(0, maxPhy - store.getFlushedPhyOffset())),
    // No transient store pool: RocketMQ reports Integer.MAX_VALUE when it is off.
    remainTransientStoreBufferNumbs: String(2147483647),
    dispatchBehindBytes: String(store.dispatchBehindBytes()),
    earliestMessageTimeStamp: String(store.getEarliestMessageTime()),
  }
}

/**
 * Requests never wait in a worker queue here: each handler starts when its frame is decoded. What a
 * request does wait for is the event loop, so that delay stands in for the queue-head wait.
 */
function queueInfo(ctx: BrokerContext): Record<string, string> {
  const waitMs = String(Math.round(ctx.runtime.eventLoopDelayMs()))
  const out: Record<string, string> = {}
  for (const pool of ['send', 'pull', 'litePull', 'query', 'ack']) {
    out[`${pool}ThreadPoolQueueSize`] = '0'
    out[`${pool}ThreadPoolQueueHeadWaitTimeMills`] = waitMs
  }
  return out
}

export function runtimeInfo(ctx: BrokerContext, req: RemotingCommand): RemotingCommand {
  const {stats, runtime} = ctx
  const table: Record<string, string> = {
    ...storeInfo(ctx),
    ...queueInfo(ctx),
    // BrokerController.isSpecialServiceRunning: the schedule service runs on masters only.
    brokerActive: String(ctx.config.brokerRole !== 'SLAVE'),
    brokerVersionDesc: 'mqbench-embedded',
    brokerVersion: String(DEFAULT_VERSION),
    msgPutTotalYesterdayMorning: String(runtime.putYesterdayMorning),
    msgPutTotalTodayMorning: String(runtime.putTodayMorning),
    msgPutTotalTodayNow: String(stats.putMessageTimes),
    msgGetTotalYesterdayMorning: String(runtime.getYesterdayMorning),
    msgGetTotalTodayMorning: String(runtime.getTodayMorning),
    msgGetTotalTodayNow: String(stats.getMessageTransferredMsgs),
    // A put never holds a lock across an await: no page-cache lock is ever held between requests.
    pageCacheLockTimeMills: '0',
    startAcceptSendRequestTimeStamp: '0',
    // The timer wheel (timerWheelEnable) does not exist here; these are RocketMQ's values with it off.
    timerReadBehind: '0', timerOffsetBehind: '0', timerCongestNum: '0', timerEnqueueTps: '0.0', timerDequeueTps: '0.0',
    // Ours, not RocketMQ's.
    brokerRole: ctx.config.brokerRole,
    flushDiskType: ctx.config.flushDiskType,
    maxPhyOffset: String(ctx.store.getMaxPhyOffset()),
    flushedPhyOffset: String(ctx.store.getFlushedPhyOffset()),
    getFoundTimesTotal: String(stats.getMessageFoundTimes),
    getMissTimesTotal: String(stats.getMessageMissTimes),
    pullsHeldTotal: String(stats.pullsHeld),
    pullsHeldNow: String(ctx.pullHold.heldCount()),
    topicCount: String(ctx.topics.all().length),
    ...flushStats(ctx.store),
  }
  return newResponse(req, ResponseCode.SUCCESS, {body: encodeJsonBody({table})})
}
