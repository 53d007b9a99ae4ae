/**
 * The flusher settings of a real Apache RocketMQ broker: MessageStoreConfig's defaults
 * (FlushRealTimeService), overridden by the broker's own conf keys. Shared by the cluster mqbench
 * starts (its generated broker.conf) and an existing one (the config its brokers report).
 */
import type {FlusherSettings} from './cluster.js'

export function rocketmqFlusherSettings(conf: Readonly<Record<string, string | number | boolean>>): FlusherSettings {
  const num = (key: keyof FlusherSettings, d: number): number => {
    const v = conf[key] === undefined ? Number.NaN : Number(conf[key])
    return Number.isFinite(v) ? v : d
  }
  return {
    flushIntervalCommitLog: num('flushIntervalCommitLog', 500),
    flushCommitLogLeastPages: num('flushCommitLogLeastPages', 4),
    flushCommitLogThoroughInterval: num('flushCommitLogThoroughInterval', 10_000),
  }
}
