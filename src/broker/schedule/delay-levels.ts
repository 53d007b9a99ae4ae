/**
 * Delay levels (RocketMQ ScheduleMessageService.parseDelayLevel; rocketmq-protocol.md §9.2): the
 * broker key `messageDelayLevel` lists one duration per level 1..N with units s/m/h/d. Our own
 * `delayTimeScale` multiplies every level, so a test can walk all 18 levels (about 4.8 h at scale 1)
 * in seconds while keeping the real schedule's shape.
 */
export {DEFAULT_MESSAGE_DELAY_LEVEL, SCHEDULE_TOPIC} from '../../protocol/common/mix-all.js'
export const MESSAGE_DELAY_LEVEL_PATTERN = /^\d+[smhd]( +\d+[smhd])*$/

const UNIT_MS: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000}

/** ms per level: index 0 is level 1. Throws on text the pattern refuses (the config schema checks it first). */
export function parseMessageDelayLevel(text: string, delayTimeScale = 1): number[] {
  if (!MESSAGE_DELAY_LEVEL_PATTERN.test(text.trim())) throw new RangeError(`messageDelayLevel: expected e.g. "1s 5s 1m 2h", got ${JSON.stringify(text)}`)
  if (!(delayTimeScale > 0)) throw new RangeError(`delayTimeScale: expected a positive number, got ${delayTimeScale}`)
  return text.trim().split(/ +/).map((part) => {
    const n = Number(part.slice(0, -1))
    return Math.max(1, Math.round(n * UNIT_MS[part.slice(-1)]! * delayTimeScale))
  })
}

/** The level a DELAY property asks for, capped at the highest (as CommitLog.putMessage does); 0 = not delayed. */
export function delayLevelOf(properties: Record<string, string>, levelCount: number): number {
  const raw = properties.DELAY
  if (raw === undefined) return 0
  const n = Number(raw)
  if (!Number.isInteger(n) || n <= 0) return 0
  return Math.min(n, levelCount)
}
