/**
 * What the broker controller starts for its role (RocketMQ BrokerController/DefaultMessageStore HA
 * wiring): a master listens for slaves on haListenPort, and a SYNC_MASTER's sends wait for them; a
 * SLAVE follows its master and learns the topics it replicates.
 * The SYNC_MASTER wait uses syncFlushTimeout (RocketMQ ≤ 4.9.2; 4.9.3+ reads slaveTimeout instead).
 */
import {type BrokerConfig, haServerAddr} from '../broker-config.js'
import type {MessageStore} from '../store/message-store.js'
import type {TopicConfigManager} from '../topic-config-manager.js'
import {HAClient} from './ha-client.js'
import {HAService} from './ha-service.js'
import {learnTopicsFromDispatch} from './slave-topic-learner.js'

export interface Replication {
  /** brokerIP2:HA port, registered with namesrv (a master's is the port it really bound) */
  readonly haServerAddr: string
  readonly service?: HAService
  readonly client?: HAClient
  stop(): Promise<void>
}

export interface ReplicationDeps {
  config: BrokerConfig
  /** the bound remoting port: haListenPort defaults to it + 1 */
  port: number
  store: MessageStore
  topics: TopicConfigManager
  /** the haServerAddr namesrv answered at the last registration (slaves) */
  registeredMasterHaAddr: () => string | undefined
  log: (line: string) => void
}

export async function startReplication(d: ReplicationDeps): Promise<Replication> {
  const c = d.config
  if (c.brokerRole === 'SLAVE') {
    learnTopicsFromDispatch(d.store, d.topics, c.defaultTopicQueueNums)
    const client = new HAClient(d.store, {
      masterAddress: () => c.haMasterAddress ?? d.registeredMasterHaAddr(),
      haSendHeartbeatInterval: c.haSendHeartbeatInterval, haHousekeepingInterval: c.haHousekeepingInterval, log: d.log,
    })
    client.start()
    return {client, haServerAddr: haServerAddr(c, d.port), stop: () => client.stop()}
  }
  const service = new HAService(d.store, {
    // listenPort=0 (tests): port + 1 may be taken, so the HA port is any free one too.
    host: c.brokerIP2, haListenPort: c.haListenPort ?? (c.listenPort === 0 ? 0 : d.port + 1), mappedFileSizeCommitLog: c.mappedFileSizeCommitLog,
    haTransferBatchSize: c.haTransferBatchSize, haSendHeartbeatInterval: c.haSendHeartbeatInterval,
    haHousekeepingInterval: c.haHousekeepingInterval, haMaxGapNotInSync: c.haMaxGapNotInSync,
    slaveAckTimeoutMs: c.syncFlushTimeout, log: d.log,
  })
  const haPort = await service.start()
  if (c.brokerRole === 'SYNC_MASTER') d.store.setReplicationWaiter(service.waitForSlave)
  return {
    service, haServerAddr: `${c.brokerIP2}:${haPort}`,
    stop: async () => {
      d.store.setReplicationWaiter(undefined)
      await service.stop()
    },
  }
}
