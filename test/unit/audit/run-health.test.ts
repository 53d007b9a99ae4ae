import {describe, expect, it} from 'vitest'
import {faultChecks, healthLimits, loadChecks, type LoadFigures} from '../../../src/audit/run-health.js'

const healthy: LoadFigures = {
  sendMode: 'async', targetRate: 1000, durationS: 10, sendOk: 10_000, statuses: 10_000, errors: 0, dropped: 0, written: 0,
  consumers: 1, acked: 11_000, delivered: 11_000,
}
const byName = (checks: ReturnType<typeof loadChecks>) => Object.fromEntries(checks.map((c) => [c.name, c]))

describe('load checks', () => {
  it('a healthy run passes all three', () => {
    expect(loadChecks(healthy, healthLimits(undefined, false)).every((c) => c.pass)).toBe(true)
  })

  it('nothing sent, every send refused, nothing consumed: each FAILS with its own row', () => {
    const c = byName(loadChecks({...healthy, sendOk: 0, statuses: 0, errors: 10_000, acked: 0, delivered: 0}, healthLimits(undefined, false)))
    expect(c['load-happened']).toMatchObject({pass: false, observed: '0 SEND_OK of 10,000 intended (1,000 msg/s × 10 s) = 0.0 %'})
    expect(c['errors-bounded']!.pass).toBe(false)
    expect(c['consumed']!.pass).toBe(false)
  })

  it('the floor is configurable; just below it fails, at it passes', () => {
    const limits = healthLimits({minSendOkPct: 90}, false)
    expect(byName(loadChecks({...healthy, sendOk: 8999}, limits))['load-happened']!.pass).toBe(false)
    expect(byName(loadChecks({...healthy, sendOk: 9000}, limits))['load-happened']!.pass).toBe(true)
  })

  it('oneway counts written sends, not SEND_OK', () => {
    const c = byName(loadChecks({...healthy, sendMode: 'oneway', sendOk: 0, statuses: 0, written: 9000, acked: 0, delivered: 8000}, healthLimits(undefined, false)))
    expect(c['load-happened']!.pass).toBe(true)
    expect(c['consumed']!.pass).toBe(true)
  })

  it('chaos: the time a broker was down is not held against the load; its errors are not either', () => {
    const f = {...healthy, sendOk: 4000, errors: 3000, dropped: 2000, faultWindowsS: [{from: 2, to: 5}],
      errorsBySecond: [{t: 1, errors: 0}, {t: 3, errors: 2900}, {t: 5, errors: 90}, {t: 7, errors: 10}]}
    const c = byName(loadChecks(f, healthLimits(undefined, true)))
    // 10 s − (2 → 5 + 1 s grace) = 6 s outside faults.
    expect(c['load-happened']).toMatchObject({pass: true, observed: '4,000 SEND_OK of 6,000 intended outside faults (1,000 msg/s × 6 s) = 66.7 %'})
    expect(c['errors-bounded']).toMatchObject({pass: true})
    expect(c['errors-bounded']!.observed).toMatch(/^10 errors outside faults/)
  })

  it('chaos: retries failing after the load window while the fault lasts (a JVM restarting after a power cut) are the fault\'s; after its heal they count', () => {
    const f = {...healthy, durationS: 8, sendOk: 1500, errors: 1300, faultWindowsS: [{from: 2.2, to: 15.6}],
      errorsBySecond: [{t: 2, errors: 1000}, {t: 9, errors: 20}, {t: 14, errors: 12}, {t: 18, errors: 7}]}
    expect(byName(loadChecks(f, healthLimits(undefined, true)))['errors-bounded']!.observed).toMatch(/^7 errors outside faults/)
  })

  it('chaos: sends in flight when a fault strikes (started within the send p90 before it) are the fault\'s', () => {
    const f = {...healthy, sendOk: 2000, errors: 0, faultWindowsS: [{from: 4, to: 6}], inFlightS: 1.5}
    // 10 s − (4 − 1.5 → 6 + 1 s grace) = 5.5 s outside faults.
    expect(byName(loadChecks(f, healthLimits(undefined, true)))['load-happened']!.observed)
      .toBe('2,000 SEND_OK of 5,500 intended outside faults (1,000 msg/s × 5.5 s) = 36.4 %')
  })
})

describe('faults all along', () => {
  it('a load window covered by faults is not judged: weak, not FAIL', () => {
    const c = byName(loadChecks({...healthy, sendOk: 100, errors: 900, faultWindowsS: [{from: 1, to: 9.5}], inFlightS: 1.2}, healthLimits(undefined, true)))
    expect(c['load-happened']).toMatchObject({pass: true, weak: true, observed: 'faults covered the load window (10 s) all but 0.00 s: not judged'})
    expect(c['errors-bounded']).toMatchObject({pass: true, weak: true})
  })
})

describe('fault checks: weak, never FAIL', () => {
  it('a fault that injected nothing, or a schedule cut short, is weak', () => {
    const [c] = faultChecks(2, [{action: 'kill', target: 'consumer:3', injected: false}])
    expect(c).toMatchObject({pass: true, weak: true, observed: 'kill consumer:3 injected nothing; 1 scheduled fault(s) never fired (the load ended first)'})
  })

  it('a power cut that found nothing unsynced (or could not measure) is weak; one that destroyed bytes is not', () => {
    expect(faultChecks(1, [{action: 'power-loss', target: 'master', injected: true, unsyncedBytes: 4096}]).some((c) => c.weak)).toBe(false)
    const weak = faultChecks(2, [{action: 'power-loss', target: 'master', injected: true, unsyncedBytes: 4096}, {action: 'power-loss', target: 'master', injected: true, unsyncedBytes: 0}])
    expect(weak[1]).toMatchObject({name: 'power-cut-effective', weak: true, observed: '1 of 2 cut(s) found no unsynced byte; 4,096 bytes destroyed in all'})
  })
})
