/**
 * The interop suite (test/helpers/interop-suite.ts) against a real Apache RocketMQ 5.3.3 namesrv +
 * ASYNC_MASTER broker in their default configuration (JSON response headers), plus raw frames from
 * that broker checked against our decoders (MQBENCH_CAPTURE_FRAMES=1 writes them as golden fixtures).
 * Skips loudly where java (or the installed jars and mvn) is missing.
 */
import {DEFAULT_ROCKETMQ_VERSION, RocketMQCluster} from '../../../src/cluster/rocketmq-cluster.js'
import {defineLiveFramesTest} from '../../helpers/interop-live-frames.js'
import {defineInteropSuite} from '../../helpers/interop-suite.js'
import {describeRocketMQ} from '../../helpers/rocketmq.js'

const VERSION = DEFAULT_ROCKETMQ_VERSION

describeRocketMQ('interop suite', () => {
  const context = defineInteropSuite({
    label: 'rocketmq',
    makeCluster: (runDir) => new RocketMQCluster({
      runDir,
      version: VERSION,
      brokers: [{brokerName: 'broker-a', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: 'ASYNC_FLUSH'}],
    }),
  })
  defineLiveFramesTest(context, {
    version: VERSION,
    prefix: `java${VERSION.replaceAll('.', '')}-broker`,
    description: 'namesrv + ASYNC_MASTER broker on loopback, default serializer',
  })
}, VERSION)
