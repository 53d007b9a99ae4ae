import {describe, expect, it} from 'vitest'
import {addSendCounters, countBrokerError, emptySendCounters, totalErrors, totalStatuses} from '../../../src/metrics/counters.js'

describe('SendCounters', () => {
  it('starts at zero', () => {
    const c = emptySendCounters()
    expect(totalStatuses(c)).toBe(0)
    expect(totalErrors(c)).toBe(0)
    expect(c).toEqual({SEND_OK: 0, FLUSH_DISK_TIMEOUT: 0, FLUSH_SLAVE_TIMEOUT: 0, SLAVE_NOT_AVAILABLE: 0,
      errors: {timeout: 0, connection: 0, broker: {}}, retries: 0, dropped: 0})
  })

  it('adds every field, including broker errors by name, without touching the inputs', () => {
    const a = emptySendCounters()
    a.SEND_OK = 10; a.FLUSH_DISK_TIMEOUT = 1; a.errors.timeout = 2; a.retries = 3; a.dropped = 4
    countBrokerError(a, 'SYSTEM_BUSY')
    const b = emptySendCounters()
    b.SEND_OK = 5; b.FLUSH_SLAVE_TIMEOUT = 2; b.SLAVE_NOT_AVAILABLE = 7; b.errors.connection = 1; b.retries = 1
    countBrokerError(b, 'SYSTEM_BUSY')
    countBrokerError(b, 'TOPIC_NOT_EXIST')
    const aBefore = structuredClone(a)
    const bBefore = structuredClone(b)

    const sum = addSendCounters(a, b)
    expect(sum).toEqual({SEND_OK: 15, FLUSH_DISK_TIMEOUT: 1, FLUSH_SLAVE_TIMEOUT: 2, SLAVE_NOT_AVAILABLE: 7,
      errors: {timeout: 2, connection: 1, broker: {SYSTEM_BUSY: 2, TOPIC_NOT_EXIST: 1}}, retries: 4, dropped: 4})
    expect(totalStatuses(sum)).toBe(25)
    expect(totalErrors(sum)).toBe(6)
    expect(a).toEqual(aBefore)
    expect(b).toEqual(bBefore)
    sum.errors.broker.SYSTEM_BUSY = 99
    expect(a.errors.broker.SYSTEM_BUSY).toBe(1)
  })

  it('survives a JSON round trip (IPC) unchanged', () => {
    const c = emptySendCounters()
    c.SEND_OK = 3
    countBrokerError(c, 'SYSTEM_ERROR')
    expect(addSendCounters(emptySendCounters(), JSON.parse(JSON.stringify(c)))).toEqual(c)
  })
})
