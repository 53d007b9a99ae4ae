import {describe, expect, it} from 'vitest'
import {CHANNEL_EXPIRED_TIMEOUT_MS} from '../../../src/broker/consumer-manager.js'
import {ProducerManager} from '../../../src/broker/producer-manager.js'

const channel = (id: number) => ({id, remoteAddr: `127.0.0.1:${5000 + id}`, send: () => {}})
const java = {language: 'JAVA', version: 479}

describe('ProducerManager', () => {
  it('lists a group\'s clients; forgets them on unregister, channel close and expiry', () => {
    const pm = new ProducerManager()
    expect(pm.connections('p')).toBeUndefined()
    pm.register('p', 'c1', channel(1), java, 0)
    pm.register('p', 'c2', channel(2), {language: 'GO', version: 1}, 0)
    expect(pm.connections('p')).toEqual([
      {clientId: 'c1', clientAddr: '127.0.0.1:5001', language: 'JAVA', version: 479},
      {clientId: 'c2', clientAddr: '127.0.0.1:5002', language: 'GO', version: 1},
    ])
    pm.unregister('p', 'c1')
    expect(pm.connections('p')?.map((c) => c.clientId)).toEqual(['c2'])
    pm.removeChannel(2)
    expect(pm.connections('p')).toBeUndefined()
    pm.register('p', 'c3', channel(3), java, 0)
    pm.scanNotActive(CHANNEL_EXPIRED_TIMEOUT_MS)
    expect(pm.connections('p')).toHaveLength(1)
    pm.scanNotActive(CHANNEL_EXPIRED_TIMEOUT_MS + 1)
    expect(pm.connections('p')).toBeUndefined()
  })
})
