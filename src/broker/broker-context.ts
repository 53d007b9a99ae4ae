/**
 * Everything a request processor may touch, handed to each processor family at start-up. The
 * store is seen through BrokerStore, the slice of MessageStore the processors call, so processor
 * tests can run against an in-memory store as well as the real one.
 */
import type {BrokerConfig} from './broker-config.js'
import type {ConsumerManager} from './consumer-manager.js'
import type {ConsumerOffsetManager} from './consumer-offset-manager.js'
import type {PullRequestHoldService} from './long-poll/pull-request-hold-service.js'
import type {ProducerManager} from './producer-manager.js'
import type {BrokerStats, RuntimeStats} from './runtime-stats.js'
import type {FaultyFileIO} from './store/io/faulty-file-io.js'
import type {MessageStore} from './store/message-store.js'
import type {TopicConfigManager} from './topic-config-manager.js'

export type BrokerStore = Pick<
  MessageStore,
  | 'putMessage' | 'putMessages' | 'getMessage' | 'getMaxOffsetInQueue' | 'getMinOffsetInQueue'
  | 'getOffsetInQueueByTime' | 'getMaxPhyOffset' | 'getFlushedPhyOffset' | 'lookMessageByOffset'
  | 'getMinPhyOffset' | 'selectOneMessageByOffset' | 'queryMessage' | 'getMessageStoreTimeStamp' | 'getEarliestMessageTime'
  | 'dispatchBehindBytes'
>

export interface BrokerContext {
  readonly config: BrokerConfig
  readonly store: BrokerStore
  readonly topics: TopicConfigManager
  readonly offsets: ConsumerOffsetManager
  readonly consumers: ConsumerManager
  readonly producers: ProducerManager
  readonly pullHold: PullRequestHoldService
  /** brokerIP1:boundPort — the STOREHOST of every record and the address registered with namesrv. */
  readonly brokerAddr: string
  readonly stats: BrokerStats
  /** TPS windows and daily totals over `stats`, sampled once a second by the controller. */
  readonly runtime: RuntimeStats
  /** Present only with mqbenchFaultInjection=true: the disk faults MQBENCH_FAULT switches. */
  readonly faultIO?: FaultyFileIO
  /** REGISTER_BROKER to every namesrv now (topic changes); resolves when all answered or failed. */
  registerBrokerAll(): Promise<void>
  log(line: string): void
}

export {newBrokerStats, type BrokerStats} from './runtime-stats.js'
