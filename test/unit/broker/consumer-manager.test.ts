import {describe, expect, it} from 'vitest'
import {CHANNEL_EXPIRED_TIMEOUT_MS, type ClientChannel, ConsumerManager} from '../../../src/broker/consumer-manager.js'
import type {RemotingCommand} from '../../../src/protocol/remoting-command.js'
import {RequestCode} from '../../../src/protocol/request-code.js'

function channel(id: number): ClientChannel & {sent: RemotingCommand[]} {
  const sent: RemotingCommand[] = []
  return {id, remoteAddr: `127.0.0.1:${5000 + id}`, sent, send: (c) => sent.push(c)}
}

describe('ConsumerManager', () => {
  it('registers clients per group and notifies members oneway when membership changes', () => {
    const m = new ConsumerManager()
    const a = channel(1)
    const b = channel(2)
    expect(m.register('g', 'c1', a, [{topic: 'T', subString: '*', expressionType: 'TAG', subVersion: 1}])).toBe(true)
    expect(m.register('g', 'c1', a, [])).toBe(false) // repeat heartbeat: no change
    m.register('g', 'c2', b, [])
    expect(m.clientIds('g')).toEqual(['c1', 'c2'])
    expect(m.subscription('g', 'T')?.subString).toBe('*')
    const notify = a.sent.at(-1)!
    expect(notify.code).toBe(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED)
    expect(notify.extFields).toEqual({consumerGroup: 'g'})
    expect(notify.flag & 2).toBe(2)
    const before = a.sent.length
    m.removeChannel(2)
    expect(m.clientIds('g')).toEqual(['c1'])
    expect(a.sent.length).toBe(before + 1)
    expect(m.unregister('g', 'c1')).toBe(true)
    expect(m.clientIds('g')).toEqual([])
  })

  it('drops clients that stopped heartbeating', () => {
    const m = new ConsumerManager()
    m.register('g', 'c1', channel(1), [], 0)
    m.register('g', 'c2', channel(2), [], 100_000)
    m.scanNotActive(CHANNEL_EXPIRED_TIMEOUT_MS + 1)
    expect(m.clientIds('g')).toEqual(['c2'])
  })
})
