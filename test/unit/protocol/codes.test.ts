import {describe, expect, it} from 'vitest'
import {RequestCode, requestCodeName} from '../../../src/protocol/request-code.js'
import {ResponseCode, responseCodeName} from '../../../src/protocol/response-code.js'

describe('request and response codes', () => {
  it('carry RocketMQ values (§2.1, §2.2)', () => {
    expect(RequestCode).toMatchObject({
      SEND_MESSAGE: 10, PULL_MESSAGE: 11, QUERY_CONSUMER_OFFSET: 14, UPDATE_CONSUMER_OFFSET: 15,
      UPDATE_AND_CREATE_TOPIC: 17, GET_MAX_OFFSET: 30, HEART_BEAT: 34, CONSUMER_SEND_MSG_BACK: 36,
      NOTIFY_CONSUMER_IDS_CHANGED: 40, REGISTER_BROKER: 103, GET_ROUTEINFO_BY_TOPIC: 105,
      GET_BROKER_CLUSTER_INFO: 106, SEND_MESSAGE_V2: 310, SEND_BATCH_MESSAGE: 320, LITE_PULL_MESSAGE: 361,
      BROKER_HEARTBEAT: 904,
    })
    expect(ResponseCode).toMatchObject({
      SUCCESS: 0, SYSTEM_ERROR: 1, SYSTEM_BUSY: 2, REQUEST_CODE_NOT_SUPPORTED: 3, FLUSH_DISK_TIMEOUT: 10,
      SLAVE_NOT_AVAILABLE: 11, FLUSH_SLAVE_TIMEOUT: 12, MESSAGE_ILLEGAL: 13, SERVICE_NOT_AVAILABLE: 14,
      NO_PERMISSION: 16, TOPIC_NOT_EXIST: 17, PULL_NOT_FOUND: 19, PULL_RETRY_IMMEDIATELY: 20,
      PULL_OFFSET_MOVED: 21, QUERY_NOT_FOUND: 22, SUBSCRIPTION_GROUP_NOT_EXIST: 26, INVALID_PARAMETER: 29,
      GO_AWAY: 1500,
    })
  })

  it('have unique values, so code → name is unambiguous', () => {
    for (const table of [RequestCode, ResponseCode]) {
      const values = Object.values(table)
      expect(new Set(values).size).toBe(values.length)
    }
  })

  it('name every code and mark unknown ones', () => {
    for (const [name, code] of Object.entries(RequestCode)) expect(requestCodeName(code)).toBe(name)
    for (const [name, code] of Object.entries(ResponseCode)) expect(responseCodeName(code)).toBe(name)
    expect(requestCodeName(9999)).toBe('UNKNOWN(9999)')
    expect(responseCodeName(-1)).toBe('UNKNOWN(-1)')
  })
})
