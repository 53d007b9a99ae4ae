import {describe, expect, it} from 'vitest'
import {ConfigError} from '../../../src/errors.js'
import {createPaint} from '../../../src/report/terminal-format.js'
import {describeThreshold, evaluateThresholds, parseThreshold, parseThresholds, renderThresholds} from '../../../src/report/thresholds.js'
import {sampleRunResult} from './run-result.fixture.js'

describe('parseThreshold', () => {
  it('resolves aliases and converts latency units to the field unit (ms)', () => {
    expect(parseThreshold('send.p99<20ms')).toMatchObject({field: 'latency.send.p99', op: '<', limit: 20, unit: 'ms'})
    expect(parseThreshold('e2e.p99 <= 1.5s')).toMatchObject({field: 'latency.e2e.p99', op: '<=', limit: 1500})
    expect(parseThreshold('latency.sendService.p50<250us')).toMatchObject({limit: 0.25})
    expect(parseThreshold('send.p99<7')).toMatchObject({limit: 7})
    expect(parseThreshold('throughput.durationS>=500ms')).toMatchObject({limit: 0.5, unit: 's'})
  })

  it('accepts every operator and any numeric field', () => {
    expect(parseThresholds(['audit.lost==0', 'throughput.sendTps>=5000', 'sendStatus.FLUSH_DISK_TIMEOUT==0', 'errors.total!=3', 'audit.duplicated>1e3'])
      .map((t) => [t.field, t.op, t.limit])).toEqual([
      ['audit.lost', '==', 0], ['throughput.sendTps', '>=', 5000], ['sendStatus.FLUSH_DISK_TIMEOUT', '==', 0], ['errors.total', '!=', 3], ['audit.duplicated', '>', 1000],
    ])
    expect(parseThreshold('latency.byStatus.SEND_OK.p99<5ms').field).toBe('latency.byStatus.SEND_OK.p99')
    expect(parseThreshold('timeline.0.sendTps>1').field).toBe('timeline.0.sendTps')
    expect(parseThreshold('errors.broker.SYSTEM_BUSY==0').absentAs).toBe(0)
  })

  const bad: Array<[string, RegExp]> = [
    ['send.p99 20ms', /expected <field><op><number>/],
    ['send.p99<', /expected <field><op><number>/],
    ['send.p99=<3', /expected/],
    ['send.p98<20ms', /unknown field "latency.send.p98"/],
    ['bogus==0', /unknown field "bogus"/],
    ['audit.lost==0ms', /not a time/],
    ['send.p99<20min', /unknown unit "min"/],
    ['scenario.name==1', /not numeric/],
    ['audit.valid==1', /not numeric/],
    ['timeline.first.sendTps>1', /is a list/],
  ]
  it.each(bad)('rejects %s with a one-line ConfigError naming it (exit 2)', (expr, why) => {
    let err: unknown
    try {
      parseThreshold(expr)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as ConfigError).exitCode).toBe(2)
    expect((err as Error).message).toMatch(why)
    expect((err as Error).message).toContain(JSON.stringify(expr))
    expect((err as Error).message).not.toContain('\n')
  })
})

describe('evaluateThresholds', () => {
  const r = sampleRunResult() // send p99 = 4.936 ms, lost 2, sendTps 4987.25

  it('reports observed vs limit and pass per threshold', () => {
    const out = evaluateThresholds(parseThresholds(['send.p99<20ms', 'send.p99<4ms', 'audit.lost==0', 'throughput.sendTps>=4900']), r)
    expect(out.map((o) => [o.field, o.observed, o.limit, o.pass])).toEqual([
      ['latency.send.p99', 4.936, 20, true], ['latency.send.p99', 4.936, 4, false], ['audit.lost', 2, 0, false], ['throughput.sendTps', 4987.25, 4900, true],
    ])
    expect(describeThreshold(out[1]!)).toBe('observed 4.94ms, limit < 4.00ms')
  })

  it('counts an absent map entry as 0 but fails a gate on an absent summary', () => {
    const out = evaluateThresholds(parseThresholds(['errors.broker.SYSTEM_BUSY<=1', 'errors.broker.NO_PERMISSION==0', 'latency.byStatus.FLUSH_DISK_TIMEOUT.p99<1000']), r)
    expect(out.map((o) => [o.observed, o.pass])).toEqual([[1, true], [0, true], [null, false]])
  })

  it('reads free-form config values and fails when they are not numbers', () => {
    const out = evaluateThresholds(parseThresholds(['config.workload.rate==5000', 'config.workload.sendMode==1', 'config.nothing==0']), r)
    expect(out.map((o) => o.pass)).toEqual([true, false, false])
  })

  it('lists failed thresholds in red in the terminal report', () => {
    const result = {...r, thresholds: evaluateThresholds(parseThresholds(['send.p99<20ms', 'audit.lost==0']), r)}
    const plain = renderThresholds(result, createPaint(false))!
    expect(plain).toContain('Thresholds: 1 of 2 FAILED')
    expect(plain).toMatch(/audit\.lost==0\s+│\s+2\s+│\s+== 0\s+│\s+FAILED/)
    const coloured = renderThresholds(result, createPaint(true))!
    expect(coloured).toContain('\u001b[31m\u001b[1m2\u001b[22m\u001b[39m')
    expect(renderThresholds(r, createPaint(false))).toBeUndefined()
  })
})
