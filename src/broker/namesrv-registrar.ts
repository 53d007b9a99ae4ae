/**
 * The broker's side of namesrv registration (RocketMQ BrokerOuterAPI): REGISTER_BROKER with the
 * topic table to every namesrv at start, every registerNameServerPeriod and on topic changes;
 * UNREGISTER_BROKER on a clean stop. A namesrv that is down is logged and retried next period —
 * the broker keeps serving, as RocketMQ's does.
 */
import {encodeRegisterBrokerBody} from '../protocol/bodies/register-broker-body.js'
import {
  decodeRegisterBrokerResponseHeader, encodeRegisterBrokerRequestHeader, encodeUnregisterBrokerRequestHeader,
  type RegisterBrokerResponseHeader,
} from '../protocol/headers/namesrv.js'
import {newRequest} from '../protocol/remoting-command.js'
import {RequestCode} from '../protocol/request-code.js'
import {ResponseCode} from '../protocol/response-code.js'
import type {RemotingClient} from '../remoting/remoting-client.js'
import type {TopicConfigManager} from './topic-config-manager.js'

/** RocketMQ registerBrokerTimeoutMills. */
const REGISTER_TIMEOUT_MS = 6000

export interface BrokerIdentity {
  clusterName: string
  brokerName: string
  brokerId: number
  brokerAddr: string
  haServerAddr: string
}

export class NamesrvRegistrar {
  private timer: NodeJS.Timeout | undefined
  private pending: Promise<void> | undefined
  private again = false
  /** From the last answer for a slave: where its master and the master's HA port are. */
  lastResult: RegisterBrokerResponseHeader = {}

  constructor(
    private readonly client: RemotingClient,
    private readonly namesrvAddrs: string[],
    private readonly identity: BrokerIdentity,
    private readonly topics: TopicConfigManager,
    private readonly log: (line: string) => void,
  ) {}

  start(periodMs: number): Promise<void> {
    this.timer = setInterval(() => void this.registerAll(), periodMs)
    this.timer.unref()
    return this.registerAll()
  }

  /** Coalesces bursts (many auto-created topics): at most one registration in flight plus one queued. */
  registerAll(): Promise<void> {
    if (this.pending) {
      this.again = true
      return this.pending
    }
    this.pending = this.registerOnce().finally(() => {
      this.pending = undefined
      if (this.again) {
        this.again = false
        void this.registerAll()
      }
    })
    return this.pending
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    await this.pending
    const ext = encodeUnregisterBrokerRequestHeader(this.identity)
    await Promise.all(this.namesrvAddrs.map(async (addr) => {
      try {
        await this.client.invoke(addr, newRequest(RequestCode.UNREGISTER_BROKER, ext), 3000)
      } catch (err) {
        this.log(`broker: unregister from namesrv ${addr} failed: ${(err as Error).message}`)
      }
    }))
  }

  private async registerOnce(): Promise<void> {
    const dataVersion = this.topics.dataVersion()
    const topicConfigTable = Object.fromEntries(this.topics.all().map((tc) => [tc.topicName, tc]))
    const body = encodeRegisterBrokerBody({topicConfigSerializeWrapper: {topicConfigTable, dataVersion}, filterServerList: []})
    const ext = encodeRegisterBrokerRequestHeader(this.identity)
    await Promise.all(this.namesrvAddrs.map(async (addr) => {
      try {
        const res = await this.client.invoke(addr, newRequest(RequestCode.REGISTER_BROKER, ext, body), REGISTER_TIMEOUT_MS)
        if (res.code !== ResponseCode.SUCCESS) throw new Error(`code ${res.code}: ${res.remark ?? ''}`)
        this.lastResult = decodeRegisterBrokerResponseHeader(res.extFields)
      } catch (err) {
        this.log(`broker: register to namesrv ${addr} failed: ${(err as Error).message}`)
      }
    }))
  }
}
