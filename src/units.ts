/**
 * Parsing and formatting of durations, sizes and rates as users write them ("500ms", "1KiB",
 * "5k/s"). Parsers throw ConfigError naming the field and the expected form.
 */
import {ConfigError} from './errors.js'

const DURATION_UNITS_MS: Record<string, number> = {us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000}
const SIZE_UNITS: Record<string, number> = {
  b: 1, k: 1000, kb: 1000, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 ** 2, g: 1e9, gb: 1e9, gib: 1024 ** 3,
}

/**
 * "500ms" | "10s" | "2m" | "1h" | "250us" → milliseconds. A bare number is refused (0 excepted, it is
 * zero in every unit): `duration: 10` ran for 10 ms when users meant seconds, so the unit is required.
 */
export function parseDurationMs(input: string | number, field: string): number {
  if (input === 0 || (typeof input === 'string' && /^\s*0(?:\.0*)?\s*$/.test(input))) return 0
  if (typeof input === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(us|ms|s|m|h)\s*$/i.exec(input)
    if (m) return Number(m[1]) * DURATION_UNITS_MS[m[2]!.toLowerCase()]!
  }
  throw new ConfigError(`${field}: ${durationProblem(input)}`)
}

/** What is wrong with a duration as written; shared by flags, the scenario schema and fault parameters. */
export function durationProblem(input: unknown): string {
  const bare = typeof input === 'number' || (typeof input === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(input))
  return bare
    ? `expected a duration with a unit like ${String(input).trim()}s or ${String(input).trim()}ms, got ${JSON.stringify(input)} (a bare number has no unit)`
    : `expected a duration like 500ms, 10s or 2m, got ${JSON.stringify(input)}`
}

/** "1KiB" | "512" | "4MB" → bytes (integer). */
export function parseSizeBytes(input: string | number, field: string): number {
  if (typeof input === 'number') {
    if (Number.isInteger(input) && input >= 0) return input
  } else {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$/i.exec(input)
    if (m) return Math.round(Number(m[1]) * SIZE_UNITS[(m[2] ?? 'b').toLowerCase()]!)
  }
  throw new ConfigError(`${field}: expected a size like 1024, 1KiB or 4MB, got ${JSON.stringify(input)}`)
}

/** "5000" | "5k" | "5k/s" | "20000/s" → messages per second. 0 means as fast as possible. */
export function parseRatePerSec(input: string | number, field: string): number {
  if (typeof input === 'number') {
    if (Number.isFinite(input) && input >= 0) return input
  } else {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(k|m)?\s*(?:\/s)?\s*$/i.exec(input)
    if (m) return Number(m[1]) * (m[2] ? (m[2].toLowerCase() === 'k' ? 1000 : 1e6) : 1)
  }
  throw new ConfigError(`${field}: expected a rate like 5000, 5k or 5k/s (0 = as fast as possible), got ${JSON.stringify(input)}`)
}

export function formatDurationMs(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(0)}us`
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 1)}ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)}s`
  return `${(ms / 60_000).toFixed(1)}m`
}

/** In the largest unit that states it exactly, as a user would write it: 0s, 1h, 24h, 1500ms. */
export function formatDurationExact(ms: number): string {
  if (ms === 0) return '0s'
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`
  }
  return `${ms * 1000}us`
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes}B`
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)}KiB`
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)}MiB`
  return `${(bytes / 1024 ** 3).toFixed(2)}GiB`
}
