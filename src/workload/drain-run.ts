/**
 * The final read of a run: every queue of the run's topic from offset 0, plus each consumer group's
 * %RETRY% and %DLQ% topics, keeping only messages that carry this run's identity. A client workload
 * like the producers and consumers; the audit only reads what it returns (saved as drain.ledger).
 */
import {dlqTopic, retryTopic} from '../protocol/common/mix-all.js'
import type {DeliveryLog} from '../recorder/ledger/delivery-log.js'
import type {Scenario} from '../scenario/schema.js'
import {behaviourGroups} from './consumer-behaviours/behaviour-plan.js'
import {drainTopic} from './drain.js'
import {readIdentity, recordIdentityReader} from './message-identity.js'

/** %RETRY% and %DLQ% of every group, in group order: drained topic index 1 + 2k and 2 + 2k belong to group k. */
function groupTopics(scenario: Scenario): string[] {
  const w = scenario.workload
  return behaviourGroups(w.consumerGroup, w.consumer, '').flatMap((g) => [retryTopic(g.consumerGroup), dlqTopic(g.consumerGroup)])
}

export interface DrainRunOptions {
  namesrvAddr: string
  scenario: Scenario
  runId: string
  /** Absolute (epoch ms). */
  deadlineMs: number
  log?: (line: string) => void
  /** Replicas to read (after faults: every live one); default each broker name's master. */
  brokerAddrs?: string[]
  /** Minimum end per main-topic queue from the producers' SEND_OKs (acked-ends.ts). */
  expectedEnds?: ReadonlyMap<string, number>
}

/** Reads the main topic back from every master (or its slave when the master is gone), and every group's retry and DLQ topics. */
export async function drainRun(opts: DrainRunOptions): Promise<DeliveryLog> {
  const {scenario, runId} = opts
  return drainTopic({
    ...(opts.expectedEnds ? {expectedEnds: opts.expectedEnds} : {}),
    namesrvAddr: opts.namesrvAddr,
    topic: scenario.workload.topic,
    consumerGroup: `${scenario.workload.consumerGroup}-audit`,
    extraTopics: groupTopics(scenario),
    // A message of another run on a reused topic is not ours: it must not count as found (or unexpected).
    readIdentity: (m) => {
      const id = readIdentity(m)
      return id && id.runId === runId ? {producerId: id.producerId, seq: id.seq, bodyCrc: id.bodyCrc} : undefined
    },
    readRecordIdentity: recordIdentityReader(runId),
    deadlineMs: opts.deadlineMs,
    log: opts.log,
    ...(opts.brokerAddrs ? {brokerAddrs: opts.brokerAddrs} : {}),
  })
}
