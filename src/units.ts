/**
 * Parsing and formatting of durations, sizes and rates as users write them ("500ms", "1KiB",
 * "5k/s"). Parsers throw ConfigError naming the field and the expected form.
 */
import {ConfigError} from './errors.js'

const DURATION_UNITS_MS: Record<string, number> = {us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000}
const SIZE_UNITS: Record<string, number> = {
  b: 1, k: 1000, kb: 1000, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 ** 2, g: 1e9, gb: 1e9, gib: 1024 ** 3,
}

/** "500ms" | "10s" | "2m" | "1h" | "250us" | a bare number of ms → milliseconds. */
export function parseDurationMs(input: string | number, field: string): number {
  if (typeof input === 'number') {
    if (Number.isFinite(input) && input >= 0) return input
  } else {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(us|ms|s|m|h)?\s*$/i.exec(input)
    if (m) return Number(m[1]) * DURATION_UNITS_MS[(m[2] ?? 'ms').toLowerCase()]!
  }
  throw new ConfigError(`${field}: expected a duration like 500ms, 10s or 2m, got ${JSON.stringify(input)}`)
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

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes}B`
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)}KiB`
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)}MiB`
  return `${(bytes / 1024 ** 3).toFixed(2)}GiB`
}
