/**
 * The network faults one proxy route can carry at once (issue 7). Directions: "up" is client → server
 * (producer → broker, slave → master), "down" the replies. Latency defaults to "up" only, so the
 * configured delay is what one request/response round trip gains.
 *   latency    each chunk waits delayMs ± jitterMs (order kept)
 *   bandwidth  bytesPerSec per direction per connection (a paced queue, not a drop)
 *   drop       every connection is reset (RST) now, and every new one at accept
 *   blackhole  accepted, nothing forwarded, bytes discarded; those connections are reset at heal
 *              (their streams lost bytes, so they may never carry data again)
 *   partition  nothing flows: reading stops, so bytes wait in the kernel buffers as behind a real
 *              partition; new connections wait for their upstream dial; all of it flows at heal
 *   slow-close a FIN or close from one side reaches the other slowCloseMs later
 */
export interface NetFaults {
  latencyMs?: number
  jitterMs?: number
  direction?: 'up' | 'down' | 'both'
  bytesPerSec?: number
  drop?: boolean
  blackhole?: boolean
  partition?: boolean
  slowCloseMs?: number
}

const NUMBER_KEYS = ['latencyMs', 'jitterMs', 'bytesPerSec', 'slowCloseMs'] as const
const FLAG_KEYS = ['drop', 'blackhole', 'partition'] as const

/** Reads an untrusted control message; returns the error text instead of throwing. */
export function parseNetFaults(raw: unknown): NetFaults | string {
  if (typeof raw !== 'object' || raw === null) return 'faults: expected an object'
  const r = raw as Record<string, unknown>
  const out: NetFaults = {}
  for (const key of Object.keys(r)) {
    if (!(NUMBER_KEYS as readonly string[]).includes(key) && !(FLAG_KEYS as readonly string[]).includes(key) && key !== 'direction') {
      return `faults.${key}: unknown fault`
    }
  }
  for (const key of NUMBER_KEYS) {
    const v = r[key]
    if (v === undefined) continue
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return `faults.${key}: expected a non-negative number`
    out[key] = v
  }
  if (out.bytesPerSec === 0) return 'faults.bytesPerSec: expected a positive number'
  for (const key of FLAG_KEYS) {
    const v = r[key]
    if (v === undefined) continue
    if (typeof v !== 'boolean') return `faults.${key}: expected true or false`
    out[key] = v
  }
  const d = r['direction']
  if (d !== undefined) {
    if (d !== 'up' && d !== 'down' && d !== 'both') return 'faults.direction: expected up, down or both'
    out.direction = d
  }
  return out
}

export function delayApplies(f: NetFaults, dir: 'up' | 'down'): boolean {
  const d = f.direction ?? 'up'
  return d === 'both' || d === dir
}
