/**
 * A restarted broker must not answer before it can serve: RocketMQ opens its remoting port only once
 * the store is recovered and the processors are registered. Probes hammer the fixed port while the
 * broker restarts over a store with data to recover; every probe must be refused or properly answered,
 * never REQUEST_CODE_NOT_SUPPORTED (what a bound port with an empty handler table says).
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {BrokerController} from '../../../src/broker/broker-controller.js'
import {parseBrokerConfig} from '../../../src/broker/broker-config.js'
import {allocateBrokerPorts} from '../../../src/process/ports.js'
import {encodeSendMessageRequestHeaderV2} from '../../../src/protocol/headers/send-message.js'
import {newRequest} from '../../../src/protocol/remoting-command.js'
import {RequestCode} from '../../../src/protocol/request-code.js'
import {ResponseCode} from '../../../src/protocol/response-code.js'
import {RemotingClient} from '../../../src/remoting/remoting-client.js'

const dirs: string[] = []
const brokers: BrokerController[] = []
const clients: RemotingClient[] = []
afterAll(async () => {
  for (const c of clients) c.close()
  for (const b of brokers) await b.stop().catch(() => undefined)
  dirs.forEach((d) => rmSync(d, {recursive: true, force: true}))
})

async function fill(broker: BrokerController, client: RemotingClient, n: number): Promise<void> {
  const body = Buffer.alloc(512, 7)
  for (let i = 0; i < n; i += 100) {
    const sends = Array.from({length: 100}, () => client.invoke(broker.brokerAddr, newRequest(RequestCode.SEND_MESSAGE_V2, encodeSendMessageRequestHeaderV2({
      producerGroup: 'g', topic: 'StartOrder', defaultTopic: 'TBW102', defaultTopicQueueNums: 4, queueId: i % 4, sysFlag: 0,
      bornTimestamp: Date.now(), flag: 0, properties: '',
    }), body), 5000))
    for (const r of await Promise.all(sends)) expect(r.code).toBe(ResponseCode.SUCCESS)
  }
}

describe('BrokerController start order', () => {
  it('a restarting broker refuses connections until it serves; no probe ever gets REQUEST_CODE_NOT_SUPPORTED', {timeout: 60_000}, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mqbench-start-order-'))
    dirs.push(dir)
    const ports = await allocateBrokerPorts()
    const config = parseBrokerConfig([
      `listenPort=${ports.listenPort}`, `haListenPort=${ports.haListenPort}`, `storePathRootDir=${dir}`,
      'mappedFileSizeCommitLog=4194304', 'mappedFileSizeConsumeQueue=60000',
    ].join('\n'))
    const client = new RemotingClient()
    clients.push(client)
    const first = await BrokerController.start(config)
    await fill(first, client, 4000)
    await first.stop()
    const addr = `127.0.0.1:${ports.listenPort}`

    // Probe as fast as the loop allows while the second start recovers the store.
    const answers = new Map<string, number>()
    let started = false
    const probe = async (): Promise<void> => {
      const c = new RemotingClient()
      clients.push(c)
      while (!started) {
        let key: string
        try {
          key = String((await c.invoke(addr, newRequest(RequestCode.GET_BROKER_RUNTIME_INFO), 2000)).code)
        } catch {
          key = 'refused'
        }
        answers.set(key, (answers.get(key) ?? 0) + 1)
      }
    }
    const probes = [probe(), probe()]
    const second = await BrokerController.start(config)
    brokers.push(second)
    started = true
    await Promise.all(probes)
    console.log(`start-order probes during restart: ${JSON.stringify(Object.fromEntries(answers))}`)
    expect(answers.get(String(ResponseCode.REQUEST_CODE_NOT_SUPPORTED)), 'answered before its handlers were registered').toBeUndefined()
    expect(answers.get('refused') ?? 0, 'the probes ran while the broker was starting').toBeGreaterThan(0)
    expect((await client.invoke(addr, newRequest(RequestCode.GET_BROKER_RUNTIME_INFO), 3000)).code).toBe(ResponseCode.SUCCESS)
  })

  it('listenPort=0 still works (binds first: the port is part of the store host)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mqbench-start-order-'))
    dirs.push(dir)
    const broker = await BrokerController.start(parseBrokerConfig(`listenPort=0\nstorePathRootDir=${dir}\nmappedFileSizeCommitLog=1048576`))
    brokers.push(broker)
    expect(broker.port).toBeGreaterThan(0)
    const client = new RemotingClient()
    clients.push(client)
    expect((await client.invoke(broker.brokerAddr, newRequest(RequestCode.GET_BROKER_RUNTIME_INFO), 3000)).code).toBe(ResponseCode.SUCCESS)
  })
})
