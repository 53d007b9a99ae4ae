/**
 * The interop suite against a real Apache RocketMQ 5.3.3 whose namesrv and broker answer in the
 * ROCKETMQ binary header (ROCKETMQ_SERIALIZE_TYPE=ROCKETMQ, what RocketMQ's own benchmark tools
 * configure): every response our client decodes — sends, pulls, offsets, routes — is then a
 * Java-written binary header, whatever header type the request used. Raw frames of this mode are
 * the ROCKETMQ-header golden fixtures.
 */
import {DEFAULT_ROCKETMQ_VERSION, RocketMQCluster} from '../../../src/cluster/rocketmq-cluster.js'
import {defineLiveFramesTest} from '../../helpers/interop-live-frames.js'
import {defineInteropSuite} from '../../helpers/interop-suite.js'
import {describeRocketMQ} from '../../helpers/rocketmq.js'

const VERSION = DEFAULT_ROCKETMQ_VERSION

describeRocketMQ('interop suite, binary response headers', () => {
  const context = defineInteropSuite({
    label: 'rocketmq',
    variant: 'binary-headers',
    makeCluster: (runDir) => {
      // RocketMQCluster hands this process's environment to the JVMs; this file runs in its own worker.
      process.env.ROCKETMQ_SERIALIZE_TYPE = 'ROCKETMQ'
      return new RocketMQCluster({
        runDir,
        version: VERSION,
        brokers: [{brokerName: 'broker-a', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: 'ASYNC_FLUSH'}],
      })
    },
  })
  defineLiveFramesTest(context, {
    version: VERSION,
    prefix: `java${VERSION.replaceAll('.', '')}-broker`,
    description: 'namesrv + ASYNC_MASTER broker on loopback, ROCKETMQ_SERIALIZE_TYPE=ROCKETMQ',
  })
}, VERSION)
