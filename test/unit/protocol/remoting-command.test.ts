import {describe, expect, it} from 'vitest'
import {
  DEFAULT_LANGUAGE, DEFAULT_VERSION, isOneway, isResponse, newRequest, newResponse, RemotingFlag,
} from '../../../src/protocol/remoting-command.js'

describe('RemotingCommand', () => {
  it('builds a request with opaque 0, JAVA and version 479, omitting absent parts', () => {
    expect(newRequest(105, {topic: 'T'})).toStrictEqual({
      code: 105, language: 'JAVA', version: 479, opaque: 0, flag: 0, extFields: {topic: 'T'},
    })
    expect(DEFAULT_LANGUAGE).toBe('JAVA')
    expect(DEFAULT_VERSION).toBe(479)
    expect(Object.keys(newRequest(34))).toEqual(['code', 'language', 'version', 'opaque', 'flag'])
  })

  it('answers with the request opaque and the RESPONSE flag', () => {
    const req = {...newRequest(10, undefined, Buffer.from('x')), opaque: 77, flag: RemotingFlag.ONEWAY}
    const res = newResponse(req, 17, {remark: 'No topic route info', extFields: {a: 'b'}, body: Buffer.from('y')})
    expect(res).toMatchObject({code: 17, opaque: 77, flag: 1, remark: 'No topic route info', extFields: {a: 'b'}})
    expect(res.body!.toString()).toBe('y')
    expect(isResponse(res)).toBe(true)
    expect(isOneway(res)).toBe(false)
    expect(isResponse(req)).toBe(false)
    expect(isOneway(req)).toBe(true)
    expect(Object.keys(newResponse(req, 0))).toEqual(['code', 'language', 'version', 'opaque', 'flag'])
  })

  it('reads the flag bits independently', () => {
    expect(isResponse({...newRequest(1), flag: 3})).toBe(true)
    expect(isOneway({...newRequest(1), flag: 3})).toBe(true)
  })
})
