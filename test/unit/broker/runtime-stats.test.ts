import {describe, expect, it} from 'vitest'
import {newBrokerStats} from '../../../src/broker/broker-context.js'
import {RuntimeStats} from '../../../src/broker/runtime-stats.js'

describe('RuntimeStats', () => {
  it('averages counters over 10 s / 60 s / 600 s windows from once-a-second samples', () => {
    const stats = newBrokerStats()
    const t0 = new Date(2026, 0, 1, 12, 0, 0).getTime()
    const rs = new RuntimeStats(stats, t0)
    expect(rs.tpsTriple('putMessageTimes')).toBe('0.00 0.00 0.00')
    for (let s = 1; s <= 120; s++) {
      stats.putMessageTimes += s <= 60 ? 10 : 30
      stats.groupGetNums.set('T@g', (stats.groupGetNums.get('T@g') ?? 0) + 5)
      stats.topicPutNums.set('T', stats.putMessageTimes)
      rs.sample(t0 + s * 1000)
    }
    expect(rs.tpsTriple('putMessageTimes')).toBe('30.00 30.00 20.00')
    expect(rs.groupGetTps('g', 'T')).toBe(5)
    expect(rs.topicPutTps('T')).toBe(30)
    expect(rs.topicPutTps('none')).toBe(0)
  })

  it('remembers the totals at each local midnight (clusterList\'s yesterday/today columns)', () => {
    const stats = newBrokerStats()
    const rs = new RuntimeStats(stats, new Date(2026, 0, 1, 23, 59, 58).getTime())
    stats.putMessageTimes = 100
    stats.getMessageTransferredMsgs = 40
    rs.sample(new Date(2026, 0, 2, 0, 0, 1).getTime())
    expect([rs.putYesterdayMorning, rs.putTodayMorning, rs.getTodayMorning]).toEqual([0, 100, 40])
    stats.putMessageTimes = 250
    rs.sample(new Date(2026, 0, 3, 0, 0, 1).getTime())
    expect([rs.putYesterdayMorning, rs.putTodayMorning]).toEqual([100, 250])
  })
})
