import {describe, expect, it} from 'vitest'
import {diskUsedRatio, formatRuntime, humanReadableByteCount} from '../../../../src/broker/processors/runtime-info.js'

describe('runtime-info formats (RocketMQ MixAll / StoreStatsService)', () => {
  it('humanReadableByteCount with binary units', () => {
    expect(humanReadableByteCount(0)).toBe('0 B')
    expect(humanReadableByteCount(1023)).toBe('1023 B')
    expect(humanReadableByteCount(1536)).toBe('1.5 KiB')
    expect(humanReadableByteCount(3 * 1024 ** 3)).toBe('3.0 GiB')
  })

  it('formatRuntime as days, hours, minutes, seconds', () => {
    expect(formatRuntime(((2 * 24 + 3) * 3600 + 4 * 60 + 5) * 1000 + 999)).toBe('[ 2 days, 3 hours, 4 minutes, 5 seconds ]')
  })

  it('diskUsedRatio of a real partition is a fraction; of a missing path -1', () => {
    const r = diskUsedRatio('/')
    expect(r.ratio).toBeGreaterThan(0)
    expect(r.ratio).toBeLessThan(1)
    expect(r.totalBytes).toBeGreaterThan(r.freeBytes)
    expect(diskUsedRatio('/definitely/not/here').ratio).toBe(-1)
  })
})
