/**
 * One real-RocketMQ interop file = one namesrv + ASYNC_MASTER broker of a given version (and JVM
 * environment), the interop suite against it, and its raw frames checked (and, with
 * MQBENCH_CAPTURE_FRAMES=1, written as golden fixtures). Skips loudly where java is missing.
 */
import {RocketMQCluster} from '../../src/cluster/rocketmq-cluster.js'
import {defineLiveFramesTest} from './interop-live-frames.js'
import {defineInteropSuite} from './interop-suite.js'
import {describeRocketMQ} from './rocketmq.js'

export interface RealInteropOptions {
  title: string
  version: string
  /** Distinguishes several suites against one version in logs and run dirs. */
  variant?: string
  /** Extra JVM environment, e.g. {ROCKETMQ_SERIALIZE_TYPE: 'ROCKETMQ'}. */
  env?: Record<string, string>
  /** Says how the cluster was configured, in the fixtures' source line. */
  description: string
}

export function describeRealInterop(opts: RealInteropOptions): void {
  describeRocketMQ(opts.title, () => {
    const context = defineInteropSuite({
      label: 'rocketmq',
      ...(opts.variant === undefined ? {} : {variant: opts.variant}),
      makeCluster: (runDir) => new RocketMQCluster({
        runDir,
        version: opts.version,
        brokers: [{brokerName: 'broker-a', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: 'ASYNC_FLUSH'}],
        ...(opts.env ? {env: opts.env} : {}),
      }),
    })
    defineLiveFramesTest(context, {version: opts.version, prefix: `java${opts.version.replaceAll('.', '')}-broker`, description: opts.description})
  }, opts.version)
}
