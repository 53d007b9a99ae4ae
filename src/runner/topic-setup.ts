/**
 * Waits until namesrv routes the topic with every queue: a broker registers a new topic on its next
 * REGISTER_BROKER round trip, and producers started before that would fall back to TBW102.
 */
import {Admin} from '../client/admin.js'
import {RouteCache} from '../client/route-cache.js'
import type {Cluster} from '../cluster/cluster.js'
import type {Scenario} from '../scenario/schema.js'
import {TimeoutError} from '../errors.js'
import {RemotingClient} from '../remoting/remoting-client.js'

export async function waitForRoute(namesrvAddr: string, topic: string, queues: number, timeoutMs: number): Promise<void> {
  const remoting = new RemotingClient()
  const routes = new RouteCache({remoting, namesrvAddr})
  const deadline = Date.now() + timeoutMs
  let last = 'no answer'
  try {
    while (Date.now() < deadline) {
      try {
        const route = await routes.getRoute(topic, {refresh: true})
        const writable = route.queueDatas.reduce((n, q) => n + q.writeQueueNums, 0)
        if (writable >= queues) return
        last = `${writable} of ${queues} queues routed`
      } catch (err) {
        last = err instanceof Error ? err.message : String(err)
      }
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new TimeoutError(`topic ${topic} not routed by namesrv ${namesrvAddr} within ${timeoutMs} ms (${last})`)
  } finally {
    remoting.close()
  }
}

/**
 * Creates the run's topic on every master. A real RocketMQ slave learns topics from its master only
 * every ~10 s (SlaveSynchronize), and until then answers TOPIC_NOT_EXIST to the audit's pulls, or never
 * learns them when its master dies first (kill-master): on a real cluster the topic is created on each
 * slave too, as `mqadmin updateTopic -b <slave>` would. Our slaves copy topics themselves.
 */
export async function createRunTopic(cluster: Cluster, scenario: Scenario): Promise<void> {
  const w = scenario.workload
  const admin = new Admin({namesrvAddr: cluster.namesrvAddr})
  try {
    await admin.createTopic({topic: w.topic, queueNums: w.queues, clusterName: scenario.cluster.clusterName})
    if (scenario.target !== 'rocketmq') return
    for (const slave of cluster.nodes().filter((n) => n.kind === 'broker' && (n.brokerId ?? 0) > 0)) {
      await admin.createTopic({topic: w.topic, queueNums: w.queues, brokerAddr: slave.addr})
    }
  } finally {
    admin.shutdown()
  }
}
