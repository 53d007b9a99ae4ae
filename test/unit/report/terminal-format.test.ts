import {describe, expect, it} from 'vitest'
import {fitWidth, formatCount, formatMs, formatPercent, formatRate, formatSeconds} from '../../../src/report/terminal-format.js'

describe('terminal number formats', () => {
  it('prints milliseconds with about three significant figures', () => {
    expect([0, 0.0004, 0.412, 3.214, 45.66, 812.5, 61_234.4].map(formatMs)).toEqual(['0', '0.000', '0.412', '3.21', '45.7', '813', '61,234'])
  })
  it('prints rates with a decimal only below 100/s', () => {
    expect([0, 0.5, 99.94, 4987.5, 20_000].map(formatRate)).toEqual(['0', '0.5', '99.9', '4,988', '20,000'])
  })
  it('prints shares, marking tiny non-zero ones and undefined ones', () => {
    expect(formatPercent(1, 3)).toBe('33.33%')
    expect(formatPercent(1, 1_000_000)).toBe('<0.01%')
    expect(formatPercent(0, 10)).toBe('0.00%')
    expect(formatPercent(0, 0)).toBe('-')
  })
  it('prints counts and seconds', () => {
    expect(formatCount(1_234_567)).toBe('1,234,567')
    expect(formatSeconds(9.5)).toBe('9.50s')
    expect(formatSeconds(30)).toBe('30.0s')
  })
  it('fits a column to its longest line, up to a cap', () => {
    expect(fitWidth(['ab', 'abcd\nx'], 40)).toBe(6)
    expect(fitWidth(['x'.repeat(100)], 40)).toBe(40)
  })
})
