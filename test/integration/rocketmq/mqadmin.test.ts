/**
 * RocketMQ's own admin CLI (mqadmin from rocketmq-tools 5.3.3, fetched from Maven Central by the
 * installer) against an embedded namesrv + broker under load: every command of issue 20's table
 * must answer without an error and with plausible content, and consumerProgress must show the lag
 * back at 0 once the consumer has drained. Skips loudly where java or the jars (and mvn) are missing.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, expect, it} from 'vitest'
import {Producer} from '../../../src/client/producer.js'
import {PullConsumer} from '../../../src/client/pull-consumer.js'
import type {MessageQueue} from '../../../src/client/message.js'
import type {SendResult} from '../../../src/client/send-result.js'
import {DEFAULT_ROCKETMQ_VERSION} from '../../../src/cluster/rocketmq-cluster.js'
import {EmbeddedCluster} from '../../../src/cluster/embedded-cluster.js'
import {failureIn, mqadmin} from '../../helpers/mqadmin.js'
import {describeRocketMQ} from '../../helpers/rocketmq.js'

const repo = join(import.meta.dirname, '..', '..', '..')
const TOPIC = 'AdminToolsTopic'
const GROUP = 'admin-tools-consumer'
const PRODUCER_GROUP = 'admin-tools-producer'
/** mqadmin writes each queried body to this fixed path (QueryMsgByIdSubCommand.createBodyFile). */
const BODY_DIR = '/tmp/rocketmq/msgbodys'

describeRocketMQ('mqadmin against the embedded broker', () => {
  let runDir: string
  let cluster: EmbeddedCluster
  let producer: Producer
  let consumer: PullConsumer
  let queues: MessageQueue[] = []
  const offsets = new Map<string, number>()
  const sent: SendResult[] = []
  let loading = true
  let load: Promise<void> = Promise.resolve()
  const queried: string[] = []

  async function run(...args: string[]): Promise<string> {
    const r = await mqadmin(DEFAULT_ROCKETMQ_VERSION, join(runDir, 'java-home'), cluster.namesrvAddr, args)
    expect(failureIn(r.output), `mqadmin ${args.join(' ')}:\n${r.output}`).toBeUndefined()
    expect(r.exitCode, r.output).toBe(0)
    return r.output
  }

  /** One pass over every queue, committing what was read; returns how many messages it read. */
  async function consumeOnce(): Promise<number> {
    let n = 0
    for (const mq of queues) {
      const key = `${mq.brokerName}@${mq.queueId}`
      const r = await consumer.pull(mq, offsets.get(key) ?? 0, 32, {suspendTimeoutMillis: 0})
      if (r.status !== 'FOUND') continue
      n += r.messages.length
      offsets.set(key, r.nextBeginOffset)
      await consumer.commitOffset(mq, r.nextBeginOffset)
    }
    return n
  }

  /** Producer and consumer at a few hundred messages per second until `loading` goes false. */
  async function drive(): Promise<void> {
    let i = 0
    while (loading) {
      const batch = Array.from({length: 20}, () => i++)
      sent.push(...await Promise.all(batch.map((k) => producer.send({topic: TOPIC, body: Buffer.from(`m${k}`), keys: `key-${k}`, tags: 'T'}))))
      await consumeOnce()
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  beforeAll(async () => {
    if (!existsSync(join(repo, 'dist/src/broker/main.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], {cwd: repo, stdio: 'ignore'})
    runDir = mkdtempSync(join(tmpdir(), 'mqbench-mqadmin-'))
    cluster = new EmbeddedCluster({
      runDir, brokers: [{brokerName: 'broker-a', brokerId: 0, brokerRole: 'ASYNC_MASTER', flushDiskType: 'ASYNC_FLUSH'}],
    })
    await cluster.start()
    producer = new Producer({namesrvAddr: cluster.namesrvAddr, producerGroup: PRODUCER_GROUP, heartbeatIntervalMs: 1000})
    consumer = new PullConsumer({namesrvAddr: cluster.namesrvAddr, consumerGroup: GROUP, heartbeatIntervalMs: 1000})
    await producer.start()
    await consumer.start()
    sent.push(await producer.send({topic: TOPIC, body: Buffer.from('first'), keys: 'key-first', tags: 'T'}))
    queues = await consumer.fetchSubscribeQueues(TOPIC)
    // The first heartbeat registers the group and creates %RETRY%<group>, as RocketMQ does.
    await consumer.heartbeat()
    await producer.heartbeat()
    load = drive()
  }, 120_000)

  afterAll(async () => {
    loading = false
    await load.catch(() => undefined)
    await producer?.shutdown()
    await consumer?.shutdown()
    await cluster?.stop()
    if (runDir) rmSync(runDir, {recursive: true, force: true})
    for (const id of queried) rmSync(join(BODY_DIR, id), {force: true})
  })

  it('topicList (206): the topic and the group\'s %RETRY% topic', async () => {
    const out = await run('topicList')
    expect(out.split('\n').map((l) => l.trim())).toEqual(expect.arrayContaining([TOPIC, `%RETRY%${GROUP}`]))
  }, 180_000)

  it('clusterList and brokerStatus (28): real runtime figures under load', async () => {
    const broker = cluster.nodes().find((n) => n.kind === 'broker')!
    const status = await run('brokerStatus', '-b', broker.addr)
    const table = new Map(status.split('\n').map((l) => l.split(/\s*:\s*/, 2) as [string, string]).filter((kv) => kv.length === 2))
    expect(table.size).toBeGreaterThanOrEqual(53)
    expect(Number(table.get('commitLogMaxOffset'))).toBeGreaterThan(0)
    expect(Number(table.get('msgPutTotalTodayNow'))).toBeGreaterThan(0)
    expect(Number(table.get('putTps')!.split(' ')[1])).toBeGreaterThan(0)
    const row = (await run('clusterList')).split('\n').find((l) => l.includes(broker.addr))!
    // #InTPS(LOAD): the 10 s put rate, non-zero while the load runs.
    expect(Number(/\s(\d+\.\d\d)\(/.exec(row)![1])).toBeGreaterThan(0)
  }, 180_000)

  it('topicStatus (202, 351): min/max offsets per queue and the last update time', async () => {
    const sentBefore = sent.length
    const rows = (await run('topicStatus', '-t', TOPIC)).split('\n').filter((l) => l.startsWith('broker-a'))
    expect(rows).toHaveLength(queues.length)
    // Every acknowledged send is counted; sends keep landing while the command runs.
    const stored = rows.map((r) => Number(r.split(/\s+/)[3])).reduce((a, b) => a + b, 0)
    expect(stored).toBeGreaterThanOrEqual(sentBefore)
    expect(stored).toBeLessThanOrEqual(sent.length + 20)
    expect(rows.some((r) => r.includes(String(new Date().getFullYear())))).toBe(true)
  }, 180_000)

  it('consumerProgress without -g (206, 208, 203): the group, found by its %RETRY% topic', async () => {
    const row = (await run('consumerProgress')).split('\n').find((l) => l.startsWith(GROUP))
    expect(row, 'group row').toBeDefined()
    expect(row!.split(/\s+/)[1]).toBe('1')
  }, 180_000)

  it('queryMsgById with an offset msgId (33) and a unique key (12), queryMsgByKey (12): the message and its track (300)', async () => {
    const first = sent[0]!
    queried.push(first.msgId)
    for (const id of [first.offsetMsgId, first.msgId]) {
      const out = await run('queryMsgById', '-t', TOPIC, '-i', id)
      expect(out).toContain(`OffsetID:            ${first.offsetMsgId}`)
      expect(out).toContain('Keys:                [key-first]')
      expect(out).toContain(`MessageTrack [consumerGroup=${GROUP}, trackType=PULL`)
    }
    expect(await run('queryMsgByKey', '-t', TOPIC, '-k', 'key-first')).toContain(first.msgId)
  }, 180_000)

  it('queryMsgByOffset (pull, then 300 for the track)', async () => {
    const first = sent[0]!
    const out = await run('queryMsgByOffset', '-t', TOPIC, '-b', 'broker-a', '-i', String(first.queue.queueId), '-o', '0')
    expect(out).toMatch(/OffsetID:\s+[0-9A-F]{32}/)
    expect(out).toContain(`MessageTrack [consumerGroup=${GROUP}`)
    queried.push(/UNIQ_KEY=([0-9A-F]+)/.exec(out)![1]!)
  }, 180_000)

  it('getBrokerConfig (26): the broker.conf keys in RocketMQ spelling', async () => {
    const out = await run('getBrokerConfig', '-b', cluster.nodes().find((n) => n.kind === 'broker')!.addr)
    expect(out).toMatch(/brokerName\s+=\s+broker-a/)
    expect(out).toMatch(/flushDiskType\s+=\s+ASYNC_FLUSH/)
  }, 180_000)

  it('consumerConnection (203) and producerConnection (204): the connected clients', async () => {
    const consumers = await run('consumerConnection', '-g', GROUP)
    expect(consumers).toContain(consumer.clientId)
    expect(consumers).toContain('ConsumeType: CONSUME_ACTIVELY')
    expect(consumers).toMatch(new RegExp(`${TOPIC}\\s+\\*`))
    expect(await run('producerConnection', '-g', PRODUCER_GROUP, '-t', TOPIC)).toContain(producer.clientId)
  }, 180_000)

  it('consumerProgress -g (208): lag reaches 0 once the load stops and the consumer drains', async () => {
    loading = false
    await load
    while ((await consumeOnce()) > 0) { /* drain */ }
    const out = await run('consumerProgress', '-g', GROUP)
    const rows = out.split('\n').filter((l) => l.startsWith(TOPIC))
    expect(rows).toHaveLength(queues.length)
    for (const r of rows) {
      const [, , , brokerOffset, consumerOffset, diff] = r.split(/\s+/)
      expect(Number(brokerOffset)).toBeGreaterThan(0)
      expect(consumerOffset).toBe(brokerOffset)
      expect(diff).toBe('0')
    }
    expect(out).toMatch(/Consume Diff Total: 0\b/)
    expect(rows.reduce((sum, r) => sum + Number(r.split(/\s+/)[3]), 0)).toBe(sent.length)
  }, 180_000)
})
