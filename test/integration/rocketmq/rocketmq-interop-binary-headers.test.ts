/**
 * The interop suite against a real Apache RocketMQ 5.3.3 whose namesrv and broker answer in the
 * ROCKETMQ binary header (ROCKETMQ_SERIALIZE_TYPE=ROCKETMQ, what RocketMQ's own benchmark tools
 * configure): every response our client decodes — sends, pulls, offsets, routes — is then a
 * Java-written binary header, whatever header type the request used. Raw frames of this mode are
 * the ROCKETMQ-header golden fixtures.
 */
import {DEFAULT_ROCKETMQ_VERSION} from '../../../src/cluster/rocketmq-cluster.js'
import {describeRealInterop} from '../../helpers/rocketmq-interop.js'

describeRealInterop({
  title: 'interop suite, binary response headers',
  version: DEFAULT_ROCKETMQ_VERSION,
  variant: 'binary-headers',
  env: {ROCKETMQ_SERIALIZE_TYPE: 'ROCKETMQ'},
  description: 'namesrv + ASYNC_MASTER broker on loopback, ROCKETMQ_SERIALIZE_TYPE=ROCKETMQ',
})
