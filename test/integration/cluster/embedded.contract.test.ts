/** The Cluster contract (test/helpers/cluster-contract.ts) over our embedded brokers; the real RocketMQ half is rocketmq.contract.rocketmq.test.ts. */
import {beforeAll} from 'vitest'
import {EmbeddedCluster} from '../../../src/cluster/embedded-cluster.js'
import {clusterContract} from '../../helpers/cluster-contract.js'
import {ensureBuilt} from '../../helpers/cli.js'

// The nodes run the compiled entries in dist/.
beforeAll(() => ensureBuilt(), 180_000)

clusterContract([{name: 'embedded', make: (runDir, brokers) => new EmbeddedCluster({runDir, brokers}), timeoutMs: 60_000}])
