/**
 * The interop suite (test/helpers/interop-suite.ts) against a real Apache RocketMQ 5.3.3 namesrv +
 * ASYNC_MASTER broker in their default configuration (JSON response headers), plus raw frames from
 * that broker checked against our decoders (MQBENCH_CAPTURE_FRAMES=1 writes them as golden fixtures).
 * Skips loudly where java (or the installed jars and mvn) is missing.
 */
import {DEFAULT_ROCKETMQ_VERSION} from '../../../src/cluster/rocketmq-cluster.js'
import {describeRealInterop} from '../../helpers/rocketmq-interop.js'

describeRealInterop({
  title: 'interop suite',
  version: DEFAULT_ROCKETMQ_VERSION,
  description: 'namesrv + ASYNC_MASTER broker on loopback, default serializer',
})
