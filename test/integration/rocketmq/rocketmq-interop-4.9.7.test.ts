/**
 * The interop suite against real Apache RocketMQ 4.9.7 (the newest 4.x on Maven Central): the line
 * whose master/slave semantics the embedded broker keeps, so the same client and verification must
 * pass there too (~30 s, most of it JVM start and stop). Its raw frames are golden fixtures too.
 */
import {RocketMQCluster} from '../../../src/cluster/rocketmq-cluster.js'
import {defineLiveFramesTest} from '../../helpers/interop-live-frames.js'
import {defineInteropSuite} from '../../helpers/interop-suite.js'
import {describeRocketMQ} from '../../helpers/rocketmq.js'

const VERSION = '4.9.7'

describeRocketMQ('interop suite', () => {
  const context = defineInteropSuite({
    label: 'rocketmq',
    variant: VERSION,
    makeCluster: (runDir) => new RocketMQCluster({
      runDir,
      version: VERSION,
      brokers: [{brokerName: 'broker-a', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: 'ASYNC_FLUSH'}],
    }),
  })
  // 4.x answers in the header type of each request, so this run yields binary headers of a 4.x broker.
  defineLiveFramesTest(context, {version: VERSION, prefix: 'java497-broker', description: 'namesrv + ASYNC_MASTER broker on loopback, default serializer'})
}, VERSION)
