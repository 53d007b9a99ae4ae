/**
 * Waits until namesrv routes the topic with every queue: a broker registers a new topic on its next
 * REGISTER_BROKER round trip, and producers started before that would fall back to TBW102.
 */
import {RouteCache} from './route-cache.js'
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

