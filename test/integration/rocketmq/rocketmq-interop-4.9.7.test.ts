/**
 * The interop suite against real Apache RocketMQ 4.9.7 (the newest 4.x on Maven Central): the line
 * whose master/slave semantics the embedded broker keeps, so the same client and verification must
 * pass there too (~30 s, most of it JVM start and stop). Its raw frames are golden fixtures too.
 */
import {describeRealInterop} from '../../helpers/rocketmq-interop.js'

// 4.x answers in the header type of each request, so this run yields binary headers of a 4.x broker.
describeRealInterop({
  title: 'interop suite',
  version: '4.9.7',
  variant: '4.9.7',
  description: 'namesrv + ASYNC_MASTER broker on loopback, default serializer',
})
