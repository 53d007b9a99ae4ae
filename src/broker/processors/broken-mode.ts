/**
 * A deliberately broken broker (broker.conf `mqbenchBrokenMode`), off by default.
 *
 * Why it exists: a checker that has never failed proves nothing. The acceptance tests run the real
 * CLI against a broker that lies in a known, counted way and require the audit to report exactly
 * that many lost, duplicated or corrupt messages (architecture.md, style rule 9: every verdict has
 * a broken twin that must FAIL). It wraps the send handler instead of branching inside the store,
 * so the store and the honest send path carry no test-only code.
 *
 *   drop-every-n:N       every N-th send is answered SEND_OK with a plausible header, never stored
 *   duplicate-every-n:N  every N-th send is stored twice (two records, two queue offsets)
 *   corrupt-every-n:N    every N-th send has one body byte flipped before it is stored, so the body
 *                        no longer matches the checksum the producer put in its properties
 *   ack-before-fsync     every send is answered SEND_OK at once and reaches the store only
 *                        ACK_LAG_MS later (a write-back cache that lies about fsync): a power cut
 *                        loses what was acknowledged in that lag, so the SYNC_FLUSH verdict must FAIL
 *   ack-before-replica   the same lie aimed at SYNC_MASTER: answered before the slave (or even the
 *                        master's store) has it, so a master disk loss loses acknowledged messages
 *   reorder-every-n:N    every N-th send is answered SEND_OK at once and stored only after the next
 *                        send to the same queue (or ACK_LAG_MS later if none comes), so an orderly
 *                        producer's queue holds it out of order and the in-order verdict must FAIL
 * Why a lag and not just WAIT=false: the honest store wakes its group commit and HA push at once, so
 * the unsynced window would be a millisecond and a must-fail test would pass by luck.
 *
 * Only single sends (SEND_MESSAGE, SEND_MESSAGE_V2) to ordinary topics count; %RETRY%/%DLQ% traffic
 * is left alone. Each sabotaged message is logged with its KEYS, so a test can compare the audit
 * with what the broker really did.
 */
import {MessageProperty, decodeProperties, encodeProperties} from '../../protocol/message/properties.js'
import {encodeOffsetMsgId} from '../../protocol/message/message-id.js'
import {
  decodeSendMessageRequestHeader, encodeSendMessageRequestHeader, encodeSendMessageRequestHeaderV2, encodeSendMessageResponseHeader,
} from '../../protocol/headers/send-message.js'
import {RequestCode} from '../../protocol/request-code.js'
import {newResponse, type RemotingCommand} from '../../protocol/remoting-command.js'
import {ResponseCode} from '../../protocol/response-code.js'
import type {ConnectionContext, RequestHandler} from '../../remoting/remoting-server.js'
import type {BrokerContext} from '../broker-context.js'
import {isRetryOrDlqTopic} from '../../protocol/common/mix-all.js'

export type BrokenModeKind = 'drop' | 'duplicate' | 'corrupt' | 'reorder' | 'ack-before-fsync' | 'ack-before-replica'

export interface BrokenMode {
  kind: BrokenModeKind
  everyN: number
}

export {BROKEN_MODE_EXPECTED, BROKEN_MODE_PATTERN} from './broken-mode-grammar.js'

/** undefined = honest broker. The text has already matched BROKEN_MODE_PATTERN. */
export function parseBrokenMode(text: string): BrokenMode | undefined {
  if (text === 'ack-before-fsync' || text === 'ack-before-replica') return {kind: text, everyN: 1}
  const m = /^(drop|duplicate|corrupt|reorder)-every-n:(\d+)$/.exec(text)
  if (!m) return undefined
  return {kind: m[1] as BrokenModeKind, everyN: Number(m[2])}
}

/** Log line prefix; the acceptance tests grep broker logs for it. */
export const BROKEN_MODE_LOG_PREFIX = 'mqbench-broken-mode:'

interface Victim {
  topic: string
  queueId: number
  keys: string
  uniqKey: string | undefined
}

/** Which sends count: ordinary topics only, so consumer retries never shift the every-N count. */
function victimOf(req: RemotingCommand): Victim | undefined {
  const h = decodeSendMessageRequestHeader(req.extFields, req.code)
  if (isRetryOrDlqTopic(h.topic)) return undefined
  const props = h.properties ? decodeProperties(h.properties) : {}
  return {topic: h.topic, queueId: Math.max(0, h.queueId), keys: props[MessageProperty.KEYS] ?? '', uniqKey: props[MessageProperty.UNIQ_KEY]}
}

/** A SEND_OK that looks like the store's: current max offsets, an offset msgId of this broker. */
function fakeSendOk(ctx: BrokerContext, req: RemotingCommand, v: Victim): RemotingCommand {
  const extFields = encodeSendMessageResponseHeader({
    msgId: encodeOffsetMsgId(ctx.brokerAddr, ctx.store.getMaxPhyOffset()),
    queueId: v.queueId,
    queueOffset: ctx.store.getMaxOffsetInQueue(v.topic, v.queueId),
    transactionId: v.uniqKey,
  })
  return newResponse(req, ResponseCode.SUCCESS, {extFields})
}

/** How long an ack-before-* broker sits on a message it already acknowledged. */
export const ACK_LAG_MS = 300

/** The same send with WAIT=false in its properties: the store answers without waiting for flush or slave. */
function withoutWait(req: RemotingCommand): RemotingCommand {
  const h = decodeSendMessageRequestHeader(req.extFields, req.code)
  const props = h.properties ? decodeProperties(h.properties) : {}
  props[MessageProperty.WAIT] = 'false'
  const header = {...h, properties: encodeProperties(props)}
  const extFields = req.code === RequestCode.SEND_MESSAGE_V2 ? encodeSendMessageRequestHeaderV2(header) : encodeSendMessageRequestHeader(header)
  return {...req, extFields}
}

/** One flipped byte at the end of the body: past the identity prefix, so the message stays recognisable. */
function corruptedCopy(req: RemotingCommand): RemotingCommand {
  const body = Buffer.from(req.body ?? Buffer.alloc(0))
  if (body.length > 0) body[body.length - 1] = body[body.length - 1]! ^ 0xff
  return {...req, body}
}

/** Stores a send already acknowledged; nobody waits for it, so a failure is only logged. */
function storeLate(ctx: BrokerContext, inner: RequestHandler, late: RemotingCommand, conn: ConnectionContext): void {
  Promise.resolve(inner(late, conn)).catch((err: unknown) => ctx.log(`${BROKEN_MODE_LOG_PREFIX} late store failed: ${(err as Error).message}`))
}

/** Sends held back by reorder-every-n, per topic/queue: stored right after the next send to that queue. */
type HeldSends = Map<string, () => void>

const queueKey = (topic: string, queueId: number): string => `${topic}\u0000${queueId}`

/** Stores what is held for this queue now (once): after the next send, or when the lag runs out. */
function releaseHeld(held: HeldSends, key: string): void {
  const release = held.get(key)
  if (release === undefined) return
  held.delete(key)
  release()
}

function holdBack(ctx: BrokerContext, held: HeldSends, inner: RequestHandler, req: RemotingCommand, conn: ConnectionContext, v: Victim): void {
  const key = queueKey(v.topic, v.queueId)
  releaseHeld(held, key) // never two held at once: the older one goes first
  const late = withoutWait(req)
  // Exactly one of the two runs: a release clears the timer, the timer takes the entry out of the map.
  const timer = setTimeout(() => {
    held.delete(key)
    storeLate(ctx, inner, late, conn)
  }, ACK_LAG_MS)
  held.set(key, () => {
    clearTimeout(timer)
    storeLate(ctx, inner, late, conn)
  })
}

async function sabotage(
  ctx: BrokerContext, mode: BrokenMode, inner: RequestHandler, req: RemotingCommand, conn: ConnectionContext, v: Victim, held: HeldSends,
): Promise<RemotingCommand | undefined> {
  const note = (what: string): void => ctx.log(`${BROKEN_MODE_LOG_PREFIX} ${what} topic=${v.topic} queueId=${v.queueId} keys=${v.keys}`)
  switch (mode.kind) {
    case 'drop':
      note('dropped')
      return fakeSendOk(ctx, req, v)
    case 'corrupt':
      note('corrupted')
      return inner(corruptedCopy(req), conn)
    case 'reorder':
      note('reordered')
      holdBack(ctx, held, inner, req, conn, v)
      return fakeSendOk(ctx, req, v)
    case 'ack-before-fsync':
    case 'ack-before-replica': {
      const late = withoutWait(req)
      setTimeout(() => storeLate(ctx, inner, late, conn), ACK_LAG_MS)
      return fakeSendOk(ctx, req, v)
    }
    case 'duplicate': {
      const first = await inner(req, conn)
      if (first?.code !== ResponseCode.SUCCESS) return first
      const second = await inner(req, conn)
      if (second?.code === ResponseCode.SUCCESS) note('duplicated')
      return first
    }
  }
}

/** Wraps a single-send handler; every N-th qualifying send is sabotaged as `mode` says. */
export function withBrokenMode(ctx: BrokerContext, mode: BrokenMode, inner: RequestHandler): RequestHandler {
  let count = 0
  const held: HeldSends = new Map()
  const label = mode.kind.startsWith('ack-before') ? mode.kind : `${mode.kind}-every-n:${mode.everyN}`
  ctx.log(`${BROKEN_MODE_LOG_PREFIX} enabled ${label} (this broker lies on purpose)`)
  return async (req, conn) => {
    const v = victimOf(req)
    if (v === undefined) return inner(req, conn)
    if (++count % mode.everyN === 0) return sabotage(ctx, mode, inner, req, conn, v, held)
    if (held.size === 0) return inner(req, conn)
    const answer = await inner(req, conn)
    releaseHeld(held, queueKey(v.topic, v.queueId))
    return answer
  }
}
