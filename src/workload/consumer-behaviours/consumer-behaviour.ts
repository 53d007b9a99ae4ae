/**
 * What an application does with a pulled batch, as a named practice (scenario consumer.behaviour):
 *
 *   ack-after-process   correct: process, then acknowledge; the offset committed is the smallest
 *                       unacknowledged one (ProcessQueue), failures go back via CONSUMER_SEND_MSG_BACK
 *   ack-before-process  commit the batch's next offset first, then process: a crash mid-batch loses
 *                       the rest of the batch (the broker was told it was done)
 *   swallow-errors      a failure returns SUCCESS without doing the work: every failure is a loss
 *   reconsume-later     failures (failureRate) go back through %RETRY%<group> with growing delays,
 *                       and past maxReconsumeTimes to %DLQ%<group>
 *   idempotent          ack-after-process plus a durable table of processed keys: redeliveries
 *                       after a crash are skipped instead of processed twice
 *
 * "Processed" means the effect happened: the worker writes a delivery-ledger entry for each effect,
 * so the audit sees what the application did, not what the broker handed over.
 */
export const CONSUMER_BEHAVIOURS = ['ack-after-process', 'ack-before-process', 'swallow-errors', 'reconsume-later', 'idempotent'] as const
export type ConsumerBehaviourName = (typeof CONSUMER_BEHAVIOURS)[number]

export interface ConsumerBehaviourConfig {
  name: ConsumerBehaviourName
  /** Probability that processing one delivery fails (0..1). */
  failureRate?: number
  /** Simulated processing time per message, ms. */
  processMs?: number
  /** The consumer's maxReconsumeTimes sent with each send-back (RocketMQ default 16). */
  maxReconsumeTimes?: number
  /** idempotent: the durable key table, shared by the group's workers and their restarts. */
  idempotencyStorePath?: string
}

export function isConsumerBehaviourName(s: string): s is ConsumerBehaviourName {
  return (CONSUMER_BEHAVIOURS as readonly string[]).includes(s)
}
