/** Builds a BrokerContext over InMemoryStore and real managers in a temp dir; calls handlers without sockets. */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {type BrokerConfig, defaultBrokerConfig} from '../../../../src/broker/broker-config.js'
import {type BrokerContext, type BrokerStore, newBrokerStats} from '../../../../src/broker/broker-context.js'
import {ConsumerManager} from '../../../../src/broker/consumer-manager.js'
import {ConsumerOffsetManager} from '../../../../src/broker/consumer-offset-manager.js'
import {PullRequestHoldService} from '../../../../src/broker/long-poll/pull-request-hold-service.js'
import {ProducerManager} from '../../../../src/broker/producer-manager.js'
import {RuntimeStats} from '../../../../src/broker/runtime-stats.js'
import {buildHandlerTable} from '../../../../src/broker/processors/index.js'
import {TopicConfigManager} from '../../../../src/broker/topic-config-manager.js'
import type {RemotingCommand} from '../../../../src/protocol/remoting-command.js'
import type {ConnectionContext} from '../../../../src/remoting/remoting-server.js'
import {InMemoryStore} from './in-memory-store.js'

export interface Harness {
  ctx: BrokerContext
  store: InMemoryStore
  registrations: number
  conn: ConnectionContext & {sent: RemotingCommand[]; close(): void}
  call(req: RemotingCommand, conn?: ConnectionContext): Promise<RemotingCommand>
  dispose(): void
}

let nextConnId = 1

export function fakeConn(): ConnectionContext & {sent: RemotingCommand[]} {
  const closeCbs: Array<() => void> = []
  const sent: RemotingCommand[] = []
  return {
    id: nextConnId++, remoteAddr: '127.0.0.1:54321', sent,
    send: (c) => sent.push(c),
    close: () => closeCbs.splice(0).forEach((cb) => cb()),
    onClose: (cb) => closeCbs.push(cb),
  }
}

export async function harness(over: Partial<BrokerConfig> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'mqbench-proc-'))
  const config = {...defaultBrokerConfig(), storePathRootDir: dir, ...over}
  const store = new InMemoryStore()
  const pullHold = new PullRequestHoldService()
  const stats = newBrokerStats()
  store.onDispatch((t, q, max) => pullHold.notifyMessageArriving(t, q, max))
  const h: Harness = {
    store, registrations: 0, conn: fakeConn(),
    ctx: {
      config, store: store as unknown as BrokerStore, pullHold, brokerAddr: '127.0.0.1:10911', stats,
      runtime: new RuntimeStats(stats), producers: new ProducerManager(),
      topics: await TopicConfigManager.load(join(dir, 'config'), config),
      offsets: await ConsumerOffsetManager.load(join(dir, 'config')),
      consumers: new ConsumerManager(),
      registerBrokerAll: async () => void h.registrations++,
      log: () => {},
    },
    async call(req, conn = h.conn) {
      const handler = table.get(req.code)
      if (!handler) throw new Error(`no handler for ${req.code}`)
      return (await handler(req, conn))!
    },
    dispose() {
      pullHold.stop()
      rmSync(dir, {recursive: true, force: true})
    },
  }
  const table = buildHandlerTable(h.ctx)
  return h
}
