/**
 * One embedded broker (RocketMQ BrokerController): remoting server + message store + request
 * processors + namesrv registration + the periodic persistence of topics and consumer offsets.
 * Like RocketMQ, the remoting port opens only once the store is recovered and every request processor
 * is registered: a restarted broker refuses connections while it recovers instead of answering
 * REQUEST_CODE_NOT_SUPPORTED. Only listenPort=0 binds first, because the bound port is part of the
 * store's STOREHOST; nobody can address that port before namesrv registration publishes it.
 */
import {makeDirs} from '../process/make-dirs.js'
import {join} from 'node:path'
import {RemotingClient} from '../remoting/remoting-client.js'
import {RemotingServer} from '../remoting/remoting-server.js'
import {brokerAddr, type BrokerConfig, toMessageStoreConfig} from './broker-config.js'
import {type BrokerContext, newBrokerStats} from './broker-context.js'
import {ConsumerManager} from './consumer-manager.js'
import {ConsumerOffsetManager} from './consumer-offset-manager.js'
import {type Replication, startReplication} from './ha/replication.js'
import {PullRequestHoldService} from './long-poll/pull-request-hold-service.js'
import {NamesrvRegistrar} from './namesrv-registrar.js'
import {ProducerManager} from './producer-manager.js'
import {RuntimeStats, SAMPLE_INTERVAL_MS} from './runtime-stats.js'
import {buildHandlerTable} from './processors/index.js'
import {parseMessageDelayLevel} from './schedule/delay-levels.js'
import {ScheduleMessageService} from './schedule/schedule-message-service.js'
import {FaultyFileIO} from './store/io/faulty-file-io.js'
import {defaultFileIO, MessageStore} from './store/message-store.js'
import {TopicConfigManager} from './topic-config-manager.js'

const CONSUMER_SCAN_INTERVAL_MS = 10_000

export class BrokerController {
  private readonly timers: NodeJS.Timeout[] = []
  private stopped = false

  private constructor(
    readonly config: BrokerConfig,
    readonly port: number,
    readonly ctx: BrokerContext,
    private readonly server: RemotingServer,
    private readonly store: MessageStore,
    private readonly client: RemotingClient,
    private readonly registrar: NamesrvRegistrar | undefined,
    /** HA: the master's slave endpoint, or the slave's link to its master */
    readonly replication: Replication,
    /** Delayed and retried messages back to their topic when due; masters only, as in RocketMQ. */
    readonly schedule: ScheduleMessageService | undefined,
  ) {}

  get brokerAddr(): string {
    return this.ctx.brokerAddr
  }

  static async start(config: BrokerConfig, opts: {log?: (line: string) => void} = {}): Promise<BrokerController> {
    const log = opts.log ?? (() => {})
    const server = new RemotingServer({host: config.brokerIP1, port: config.listenPort, idleTimeoutMs: config.serverChannelMaxIdleTimeSeconds * 1000, log})
    const bindFirst = config.listenPort === 0
    const port = bindFirst ? await server.start() : config.listenPort
    let store: MessageStore | undefined
    let ctl: BrokerController | undefined
    try {
      await makeDirs(join(config.storePathRootDir, 'config'))
      const storeConfig = toMessageStoreConfig(config, port)
      // Only a broker started for fault injection pays the decorator's indirection on every write.
      const faultIO = config.mqbenchFaultInjection ? new FaultyFileIO(defaultFileIO(storeConfig), {seed: config.pageCacheSeed}) : undefined
      store = await MessageStore.open(storeConfig, {log, io: faultIO})
      ctl = await BrokerController.wire(config, port, server, store, log, faultIO)
      if (!bindFirst) await server.start()
      // Last: namesrv hands our address to clients, so it must answer by now.
      await ctl.registrar?.start(config.registerNameServerPeriod)
      return ctl
    } catch (err) {
      if (ctl) {
        await ctl.stop().catch(() => undefined)
      } else {
        await server.stop()
        await store?.shutdown()
      }
      throw err
    }
  }

  private static async wire(
    config: BrokerConfig, port: number, server: RemotingServer, store: MessageStore, log: (line: string) => void, faultIO?: FaultyFileIO,
  ): Promise<BrokerController> {
    const configDir = join(config.storePathRootDir, 'config')
    const topics = await TopicConfigManager.load(configDir, config)
    const offsets = await ConsumerOffsetManager.load(configDir)
    const client = new RemotingClient()
    const addr = brokerAddr(config, port)
    const namesrvAddrs = config.namesrvAddr?.split(';').filter((a) => a !== '') ?? []
    let registrar: NamesrvRegistrar | undefined
    // Before registering: namesrv hands our haServerAddr to slaves, which may connect at once.
    const replication = await startReplication({
      config, port, store, topics, registeredMasterHaAddr: () => registrar?.lastResult.haServerAddr, log,
    })
    registrar = namesrvAddrs.length === 0 ? undefined : new NamesrvRegistrar(client, namesrvAddrs, {
      clusterName: config.brokerClusterName, brokerName: config.brokerName, brokerId: config.brokerId,
      // Clients reach us through whatever we register: a fault proxy's address when one fronts us.
      brokerAddr: config.mqbenchRegisterAddr ?? addr, haServerAddr: replication.haServerAddr,
    }, topics, log)
    const stats = newBrokerStats()
    const ctx: BrokerContext = {
      config, store, topics, offsets, consumers: new ConsumerManager(), producers: new ProducerManager(),
      pullHold: new PullRequestHoldService(), brokerAddr: addr, stats, runtime: new RuntimeStats(stats), log, faultIO,
      registerBrokerAll: () => registrar?.registerAll() ?? Promise.resolve(),
    }
    for (const [code, handler] of buildHandlerTable(ctx)) server.registerHandler(code, handler)
    store.onDispatch((topic, queueId, maxOffset) => {
      ctx.pullHold.notifyMessageArriving(topic, queueId, maxOffset)
      stats.topicPutNums.set(topic, (stats.topicPutNums.get(topic) ?? 0) + 1)
    })
    // Auto-created topics (send, heartbeat) are persisted and reach namesrv without waiting for a period.
    topics.onChange(() => {
      topics.persist().catch((err: unknown) => log(`broker: persisting topics.json failed: ${(err as Error).message}`))
      void registrar?.registerAll()
    })
    const schedule = config.brokerRole === 'SLAVE' ? undefined : await ScheduleMessageService.load({
      store, configDir, levelsMs: parseMessageDelayLevel(config.messageDelayLevel, config.delayTimeScale),
      flushDelayOffsetInterval: config.flushDelayOffsetInterval, log,
    })
    schedule?.start()
    const ctl = new BrokerController(config, port, ctx, server, store, client, registrar, replication, schedule)
    ctl.startTimers()
    return ctl
  }

  private startTimers(): void {
    const every = (ms: number, fn: () => Promise<void> | void): void => {
      const t = setInterval(() => {
        Promise.resolve(fn()).catch((err: unknown) => this.ctx.log(`broker: periodic task failed: ${(err as Error).message}`))
      }, ms)
      t.unref()
      this.timers.push(t)
    }
    every(this.config.flushConsumerOffsetInterval, () => this.persistConfig())
    every(CONSUMER_SCAN_INTERVAL_MS, () => {
      this.ctx.consumers.scanNotActive()
      this.ctx.producers.scanNotActive()
    })
    this.ctx.runtime.watchEventLoop()
    every(SAMPLE_INTERVAL_MS, () => this.ctx.runtime.sample())
  }

  private async persistConfig(): Promise<void> {
    await this.ctx.offsets.persist()
    await this.ctx.topics.persist()
  }

  /** Clean stop: answer parked pulls, leave namesrv, close connections, persist, shut the store down. */
  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    for (const t of this.timers) clearInterval(t)
    this.ctx.runtime.unwatchEventLoop()
    this.ctx.pullHold.stop()
    await this.registrar?.stop()
    await this.server.stop()
    this.client.close()
    await this.replication.stop()
    await this.schedule?.stop()
    await this.persistConfig()
    await this.store.shutdown()
  }
}
